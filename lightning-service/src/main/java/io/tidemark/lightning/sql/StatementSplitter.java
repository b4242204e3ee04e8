package io.tidemark.lightning.sql;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.lightning.storage.FileCompression;
import io.tidemark.lightning.storage.ReadFailures;
import io.tidemark.lightning.target.SessionText;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a SQL dump file into statements as it streams, holding one statement at a time (bounded by
 * {@code maxStatementBytes}), never the file.
 * <p>
 * Scans bytes, not characters: every byte of a multi-byte UTF-8 sequence is {@code >= 0x80}, so none can be taken
 * for a quote, a ';' or a comment marker, and a character split across two reads needs no care. A statement is never
 * decoded: it comes out as its bytes, one char per byte ({@link SessionText}), because a dump holds each column's
 * stored bytes, which for a latin1 or binary column are not UTF-8. Knows MySQL's lexical rules that decide where a statement ends:
 * {@code '...'} and {@code "..."} with backslash escapes, {@code `...`}, doubled quotes (a closed literal followed by
 * another), {@code -- }, {@code #} and block comments (dropped), {@code /*! ... *}{@code /} version comments (kept,
 * since the server executes them, and a ';' inside one does not end the statement).
 * <p>
 * Not thread-safe: one reader per file.
 */
public final class StatementSplitter implements AutoCloseable {
    private static final int DEFAULT_BUFFER = 64 * 1024;
    private static final int SHRINK_ABOVE = 4 * 1024 * 1024;

    private final InputStream in;
    private final String file;
    private final int maxStatementBytes;
    private final byte[] buffer;
    private int pos;
    private int limit;
    /** absolute offset in the file of the next byte {@link #read()} returns */
    private long offset;
    private long nextIndex;

    private byte[] statement = new byte[1024];
    private int length;
    private long statementStart;
    private int depth;
    private long groups;
    private boolean firstGroupFollowsValues;

    public StatementSplitter(InputStream in, String file, int maxStatementBytes) {
        this(in, file, maxStatementBytes, DEFAULT_BUFFER);
    }

    /** @param bufferSize bytes read from {@code in} at a time; tiny values let tests cross every boundary */
    StatementSplitter(InputStream in, String file, int maxStatementBytes, int bufferSize) {
        this.in = in;
        this.file = file;
        this.maxStatementBytes = maxStatementBytes;
        this.buffer = new byte[bufferSize];
    }

    /**
     * Every statement of a small file, such as a schema file, as the session sends them: it goes through the same
     * splitter as data files, so comments and quotes mean the same. A file compressed whole (its name says so, as
     * {@code dumpling --compress} writes them) is decompressed.
     *
     * @param holds what the file holds, for the message when it does not decompress: "the CREATE TABLE of `d`.`t`"
     */
    public static List<String> readAll(Storage storage, String file, String holds, int maxStatementBytes) {
        InputStream in;
        try {
            in = FileCompression.of(file).open(storage.open(file), file, holds);
        } catch (IOException e) {
            throw ReadFailures.of(file, storage.root(), "open", e);
        }
        List<String> out = new ArrayList<>();
        try (StatementSplitter splitter = new StatementSplitter(in, file, maxStatementBytes)) {
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                out.add(s.sql());
            }
        }
        return out;
    }

    /** the next statement, or null at the end of the file */
    public SqlStatement next() {
        startStatement();
        boolean inVersionComment = false;
        while (true) {
            int b = read();
            switch (b) {
                case -1 -> {
                    if (inVersionComment) {
                        throw corrupt("version comment /*! starting at byte " + statementStart + " is not closed");
                    }
                    if (length > 0) {
                        throw corrupt("statement starting at byte " + statementStart
                                + " is not terminated by ';' (the file may be truncated)");
                    }
                    return null;
                }
                case '\'', '"', '`' -> {
                    append(b);
                    copyQuoted(b, offset - 1);
                }
                case '-' -> {
                    if (peek() == '-') {
                        read();
                        int after = peek();
                        if (after == -1 || after <= ' ') {
                            skipLine();
                            separate();
                        } else {
                            append('-');
                            append('-');
                        }
                    } else {
                        append(b);
                    }
                }
                case '#' -> {
                    skipLine();
                    separate();
                }
                case '/' -> {
                    if (peek() == '*') {
                        long commentStart = offset - 1;
                        read();
                        int kind = peek();
                        if (kind == '!' || kind == '+') {
                            append('/');
                            append('*');
                            inVersionComment = true;
                        } else {
                            skipBlockComment(commentStart);
                            separate();
                        }
                    } else {
                        append(b);
                    }
                }
                case '*' -> {
                    append(b);
                    if (inVersionComment && peek() == '/') {
                        append(read());
                        inVersionComment = false;
                    }
                }
                case ';' -> {
                    if (inVersionComment) {
                        append(b);
                    } else if (length > 0) {
                        return emit();
                    }
                }
                case '(' -> {
                    if (depth++ == 0 && groups++ == 0) {
                        firstGroupFollowsValues = endsWithValuesKeyword();
                    }
                    append(b);
                }
                case ')' -> {
                    depth--;
                    append(b);
                }
                default -> {
                    if (length > 0 || !isSpace(b)) {
                        append(b);
                    }
                }
            }
        }
    }

    /** bytes consumed so far: after {@link #next()} returned a statement, that statement's end offset */
    public long offset() {
        return offset;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // a read-only stream: nothing is lost by a failed close
        }
    }

    private void startStatement() {
        if (statement.length > SHRINK_ABOVE) {
            statement = new byte[1024];
        }
        length = 0;
        depth = 0;
        groups = 0;
        firstGroupFollowsValues = false;
        statementStart = -1;
    }

    private SqlStatement emit() {
        int end = length;
        while (end > 0 && isSpace(statement[end - 1])) {
            end--;
        }
        String sql = SessionText.ofBytes(statement, 0, end);
        long rows = groups == 0 ? 0 : firstGroupFollowsValues ? groups : groups - 1;
        return new SqlStatement(sql, nextIndex++, statementStart, offset, rows);
    }

    private void copyQuoted(int quote, long start) {
        while (true) {
            int c = read();
            if (c == -1) {
                throw corrupt("quoted text (" + (char) quote + ") starting at byte " + start + " is not closed");
            }
            append(c);
            if (c == '\\' && quote != '`') {
                int escaped = read();
                if (escaped == -1) {
                    throw corrupt("quoted text (" + (char) quote + ") starting at byte " + start + " is not closed");
                }
                append(escaped);
            } else if (c == quote) {
                return;
            }
        }
    }

    private void skipLine() {
        int c;
        do {
            c = read();
        } while (c != -1 && c != '\n');
    }

    private void skipBlockComment(long start) {
        int previous = 0;
        while (true) {
            int c = read();
            if (c == -1) {
                throw corrupt("comment starting at byte " + start + " is not closed");
            }
            if (previous == '*' && c == '/') {
                return;
            }
            previous = c;
        }
    }

    /** a dropped comment still separates tokens */
    private void separate() {
        if (length > 0 && !isSpace(statement[length - 1])) {
            append(' ');
        }
    }

    private boolean endsWithValuesKeyword() {
        int end = length;
        while (end > 0 && isSpace(statement[end - 1])) {
            end--;
        }
        for (String keyword : new String[]{"VALUES", "VALUE"}) {
            int start = end - keyword.length();
            if (start > 0 && matchesIgnoreCase(start, keyword) && !isIdentifierByte(statement[start - 1])) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesIgnoreCase(int start, String keyword) {
        for (int i = 0; i < keyword.length(); i++) {
            if (Character.toUpperCase((char) statement[start + i]) != keyword.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifierByte(byte b) {
        return b == '_' || b == '$' || b < 0 || Character.isLetterOrDigit((char) b);
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
    }

    private void append(int b) {
        if (length == 0) {
            statementStart = offset - 1;
        }
        if (length == statement.length) {
            if (length >= maxStatementBytes) {
                throw corrupt("statement starting at byte " + statementStart + " is longer than "
                        + maxStatementBytes + " bytes (tidemark.lightning.max-statement-bytes)");
            }
            statement = Arrays.copyOf(statement, (int) Math.min((long) length * 2, maxStatementBytes));
        }
        statement[length++] = (byte) b;
    }

    private int read() {
        if (pos == limit && !fill()) {
            return -1;
        }
        offset++;
        return buffer[pos++] & 0xff;
    }

    private int peek() {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos] & 0xff;
    }

    private boolean fill() {
        try {
            int n;
            do {
                n = in.read(buffer, 0, buffer.length);
            } while (n == 0);
            if (n < 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        } catch (FileCompression.CorruptInput e) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, e, file, e.getMessage());
        } catch (IOException e) {
            // the bytes did not arrive (a storage failure that may pass), which says nothing against the file
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, "holding " + file, "cannot read byte " + offset
                    + " of the file: " + e);
        }
    }

    private TidemarkException corrupt(String why) {
        return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, file, why);
    }
}
