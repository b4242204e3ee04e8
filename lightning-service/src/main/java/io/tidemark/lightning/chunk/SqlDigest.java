package io.tidemark.lightning.chunk;

import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.sql.InsertValues;
import io.tidemark.lightning.sql.SqlStatement;
import io.tidemark.lightning.sql.SqlValue;
import io.tidemark.lightning.target.SessionText;
import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.mysql.checksum.RowDigest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value digest of a SQL file's rows, read from the literals of each INSERT the chunk runs ({@link InsertValues}) and
 * fed into the target table's {@link RowDigest} as the server stores them, by the INSERT's own column list or else the
 * dump's ({@link ChunkImporter}'s insert columns). A string's bytes are read as the session's character set says: the
 * file's last {@code SET NAMES} ({@code binary} from the start, as every import session begins).
 * <p>
 * Whenever the stored value is not certain, the chunk reports no sum rather than a wrong one: a value that is not a
 * literal, a {@code SET} before an INSERT that changes how literals or times are read (another character set,
 * sql_mode {@code NO_BACKSLASH_ESCAPES} or {@code ANSI_QUOTES}, a time zone other than UTC), a statement that may
 * change rows (DELETE, UPDATE, DDL), text that is not valid UTF-8 for a UTF-8 column, a byte where MySQL's latin1 and
 * Java's windows-1252 differ, non-ASCII text for a column of another charset, a number for a date or time, an
 * approximate number for a DECIMAL or string, a string or hex for a number. One per chunk delivery, not thread-safe.
 */
final class SqlDigest {
    private static final Logger LOGGER = LoggerFactory.getLogger(SqlDigest.class);
    private static final Pattern VERSION_COMMENT = Pattern.compile("^\\s*/\\*!\\d*\\s*(.*?)\\s*\\*/\\s*$",
            Pattern.DOTALL);
    private static final Pattern SET_NAMES = Pattern.compile(
            "^SET\\s+NAMES\\s+['\"`]?(\\w+)['\"`]?(?:\\s+COLLATE\\s+['\"`]?\\w+['\"`]?)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET = Pattern.compile("^SET\\s+(.*)$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(?:(?:SESSION|LOCAL)\\s+|@@(?:SESSION\\.|LOCAL\\.)?)?(@?\\w+)\\s*:?=\\s*(.*)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    /** variables a dump sets that change nothing about how a literal becomes a stored value */
    private static final List<String> HARMLESS = List.of("foreign_key_checks", "unique_checks", "sql_notes",
            "sql_log_bin", "sql_safe_updates", "autocommit", "innodb_strict_mode", "tidb_constraint_check_in_place");
    /** MySQL's latin1, as {@code DigestColumns} maps it */
    private static final Charset LATIN1 = Charset.forName("windows-1252");
    /** sql_modes that change how a literal reads: no backslash escapes, "…" as a name (ANSI and the compound modes) */
    private static final Pattern LITERAL_MODES = Pattern.compile(
            "\\b(?:NO_BACKSLASH_ESCAPES|ANSI_QUOTES|ANSI|ORACLE|MSSQL|DB2|POSTGRESQL|MAXDB)\\b");
    private static final Pattern HARMLESS_STATEMENT = Pattern.compile(
            "^(?:(?:LOCK|UNLOCK)\\s+TABLES\\b.*|ALTER\\s+TABLE\\s+\\S+\\s+(?:DISABLE|ENABLE)\\s+KEYS)$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?(?:0|[1-9]\\d*)(?:\\.\\d+)?");

    private enum Names { BINARY, UTF8, OTHER }

    private final RowDigest digest;
    private final ColumnList fileColumns;
    private final Map<ColumnList, int[]> mappings = new HashMap<>();
    private Names names = Names.BINARY;
    /** why the session no longer reads literals as assumed: an INSERT after it gives up, a trailer SET does not */
    private String sessionDoubt;
    private String uncertain;

    /** @param uncertain why the sum is not known from the start; null when it is */
    SqlDigest(RowDigest digest, ColumnList fileColumns, String uncertain) {
        this.digest = digest;
        this.fileColumns = fileColumns;
        this.uncertain = uncertain;
    }

    /**
     * The digest of a SQL chunk resumed from {@code from}, into {@code table}; one that reports no sum when the
     * checkpoint holds none.
     *
     * @param fileColumns the columns an INSERT without a column list fills, in the session view
     */
    static SqlDigest of(Connection c, TableRef table, ColumnList fileColumns, ChunkCheckpoint from)
            throws SQLException {
        return of(c, table, fileColumns, from, List.of());
    }

    /** as {@link #of(Connection, TableRef, ColumnList, ChunkCheckpoint)}, the route's filled columns left out */
    static SqlDigest of(Connection c, TableRef table, ColumnList fileColumns, ChunkCheckpoint from,
                        List<String> filled) throws SQLException {
        Optional<RowDigest> digest = ChunkDigest.resumed(c, table, from, filled);
        return new SqlDigest(digest.orElse(null), fileColumns,
                digest.isPresent() ? null : "its checkpoint holds no value sum");
    }

    /** a SET statement of the file, run or replayed on resumption: follows what it changes */
    void session(SqlStatement s) {
        if (uncertain != null) {
            return;
        }
        String sql = s.sql().strip();
        Matcher comment = VERSION_COMMENT.matcher(sql);
        if (comment.matches()) {
            sql = comment.group(1);
        }
        Matcher names = SET_NAMES.matcher(sql);
        if (names.matches()) {
            this.names = switch (names.group(1).toLowerCase(Locale.ROOT)) {
                case "binary" -> Names.BINARY;
                case "utf8", "utf8mb3", "utf8mb4" -> Names.UTF8;
                default -> Names.OTHER;
            };
            return;
        }
        Matcher set = SET.matcher(sql);
        if (!set.matches()) {
            doubt("statement " + s.index() + " is not a SET this digest reads");
            return;
        }
        for (String assignment : assignments(set.group(1))) {
            Matcher a = ASSIGNMENT.matcher(assignment.strip());
            if (!a.matches()) {
                doubt("statement " + s.index() + " sets something this digest does not read");
                return;
            }
            String variable = a.group(1).toLowerCase(Locale.ROOT);
            String value = a.group(2).strip().toUpperCase(Locale.ROOT);
            boolean harmless = variable.startsWith("@") || HARMLESS.contains(variable)
                    || variable.equals("time_zone") && (value.equals("'+00:00'") || value.equals("'UTC'"))
                    || variable.equals("sql_mode") && !LITERAL_MODES.matcher(value).find() && !value.contains("@");
            if (!harmless) {
                doubt("statement " + s.index() + " sets " + variable + ", which changes how values are stored");
                return;
            }
        }
    }

    /**
     * Any other statement of the file, run: one that may change rows (DELETE, UPDATE, a DDL) makes the sum uncertain;
     * the table locks and key toggles a mysqldump file wraps its INSERTs in do not.
     */
    void other(SqlStatement s) {
        String sql = s.sql().strip();
        Matcher comment = VERSION_COMMENT.matcher(sql);
        if (comment.matches()) {
            sql = comment.group(1);
        }
        if (!HARMLESS_STATEMENT.matcher(sql).matches()) {
            giveUp("statement " + s.index() + " is neither an INSERT nor a SET, and may change the rows");
        }
    }

    /** {@code a = 1, b = 'x,y'}: split at the commas outside quotes */
    private static List<String> assignments(String list) {
        List<String> out = new ArrayList<>();
        int start = 0;
        char quote = 0;
        for (int i = 0; i < list.length(); i++) {
            char ch = list.charAt(i);
            if (quote != 0) {
                if (ch == '\\') {
                    i++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == ',') {
                out.add(list.substring(start, i));
                start = i + 1;
            }
        }
        out.add(list.substring(start));
        return out;
    }

    /** an INSERT of the file, as it is run: digests its rows */
    void insert(SqlStatement s) {
        if (sessionDoubt != null) {
            giveUp(sessionDoubt);
        }
        if (uncertain != null) {
            return;
        }
        Optional<InsertValues> values = InsertValues.of(s.sql());
        if (values.isEmpty()) {
            giveUp("statement " + s.index() + " is not INSERT ... VALUES");
            return;
        }
        ColumnList written = values.get().columns().isEmpty() ? fileColumns : values.get().columns();
        int[] index = mappings.computeIfAbsent(written, w -> {
            int[] feeding = ChunkDigest.feeding(digest.columns(), w.names().stream().map(SessionText::readable)
                    .toList());
            return feeding == null ? new int[0] : feeding;
        });
        if (index.length == 0) {
            giveUp("the columns statement " + s.index() + " writes are not exactly the target table's");
            return;
        }
        long before = digest.rows();
        boolean read = values.get().read(row -> {
            if (uncertain != null) {
                return;
            }
            if (row.size() != index.length) {
                giveUp("a row of statement " + s.index() + " has " + row.size() + " values for " + index.length
                        + " columns");
                return;
            }
            for (int i = 0; i < index.length; i++) {
                add(index[i], row.get(i));
            }
            digest.endRow();
        });
        if (!read) {
            giveUp("statement " + s.index() + " holds a value that is not a literal");
        } else if (uncertain == null && digest.rows() - before != s.valueGroups()) {
            giveUp("statement " + s.index() + " has " + s.valueGroups() + " rows, " + (digest.rows() - before)
                    + " were read");
        }
    }

    /** the sum to save with a checkpoint and report: null once a value's stored form was not certain */
    Long sum() {
        return uncertain == null && digest.complete() ? digest.sum() : null;
    }

    private void add(int column, SqlValue value) {
        DigestColumn.Kind kind = digest.columns().get(column).kind();
        if (kind == DigestColumn.Kind.UNCHECKED) {
            // only whether it is NULL counts
            if (value instanceof SqlValue.Null) {
                digest.nul(column);
            } else {
                digest.bytes(column, new byte[0]);
            }
            return;
        }
        switch (value) {
            case SqlValue.Null n -> digest.nul(column);
            case SqlValue.Bool b -> digest.number(column, b.value() ? 1 : 0);
            case SqlValue.Number n -> number(column, kind, n);
            case SqlValue.Text t -> text(column, kind, t);
            case SqlValue.Hex h -> binaryString(column, kind, h.bytes(), true);
            case SqlValue.Bits b -> binaryString(column, kind, b.bytes(), false);
        }
    }

    private void number(int column, DigestColumn.Kind kind, SqlValue.Number n) {
        String text = n.text();
        switch (kind) {
            case INTEGER, YEAR, BIT -> {
                if (n.integer() && text.length() <= 18) {
                    digest.number(column, Long.parseLong(text));
                } else {
                    digest.text(column, text); // an integer's digits; anything else the digest marks not certain
                }
            }
            case DECIMAL -> {
                if (n.exponent()) {
                    giveUp("an approximate number for a DECIMAL column is rounded as a double");
                } else {
                    digest.text(column, text);
                }
            }
            case TEXT, BINARY -> {
                if (PLAIN_NUMBER.matcher(text).matches() && !text.matches("-[0.]*")) {
                    digest.text(column, text); // an exact number becomes its digits as written
                } else {
                    giveUp("a number written " + text + " for a string column");
                }
            }
            default -> giveUp("a number for a date or time column");
        }
    }

    private void text(int column, DigestColumn.Kind kind, SqlValue.Text t) {
        Names charset = switch (t.introducer()) {
            case BINARY -> Names.BINARY;
            case UTF8 -> Names.UTF8;
            case NONE -> names;
        };
        byte[] bytes = t.bytes();
        switch (kind) {
            case TEXT -> {
                if (charset == Names.OTHER) {
                    giveUp("a string in a character set this digest does not read");
                    return;
                }
                storedText(column, bytes, charset == Names.UTF8);
            }
            case BINARY -> digest.bytes(column, bytes);
            case BIT -> giveUp("a string for a BIT column");
            default -> {
                if (!ascii(bytes)) {
                    giveUp("a non-ASCII string for a number, date or time column");
                    return;
                }
                digest.text(column, new String(bytes, StandardCharsets.US_ASCII));
            }
        }
    }

    /** hex and bit values are binary strings: bytes into a string column, a number into a BIT */
    private void binaryString(int column, DigestColumn.Kind kind, byte[] bytes, boolean hex) {
        switch (kind) {
            case BINARY, BIT -> digest.bytes(column, bytes);
            case TEXT -> storedText(column, bytes, false);
            default -> giveUp((hex ? "a hex" : "a bit") + " value for a number, date or time column");
        }
    }

    /**
     * A string stored in a text column: {@code converted} from UTF-8 into the column's charset (SET NAMES utf8mb4, an
     * {@code _utf8mb4} introducer), or its bytes landing unconverted (SET NAMES binary, {@code _binary}, hex, bits).
     * Certain for a UTF-8 column when the bytes are valid UTF-8; for a latin1 column when each byte (landing) or char
     * (converted) is one where MySQL's latin1 and Java's windows-1252 agree; for any other charset when ASCII.
     */
    private void storedText(int column, byte[] bytes, boolean converted) {
        DigestColumn target = digest.columns().get(column);
        boolean certain;
        if (target.charset().equals(StandardCharsets.UTF_8)) {
            certain = validUtf8(bytes);
        } else if (target.charset().equals(LATIN1)) {
            certain = converted ? validUtf8(bytes) && latin1(new String(bytes, StandardCharsets.UTF_8))
                    : latin1Bytes(bytes);
        } else {
            certain = ascii(bytes);
        }
        if (!certain) {
            giveUp("a string whose bytes the column " + target.name() + " may store otherwise");
        } else if (converted || target.charset().equals(StandardCharsets.UTF_8)) {
            digest.text(column, new String(bytes, StandardCharsets.UTF_8));
        } else {
            digest.bytes(column, bytes); // the column's own bytes, read in its charset
        }
    }

    /** bytes MySQL's latin1 reads as windows-1252 does: all but the five cp1252 leaves undefined */
    private static boolean latin1Bytes(byte[] bytes) {
        for (byte b : bytes) {
            int u = b & 0xff;
            if (u == 0x81 || u == 0x8d || u == 0x8f || u == 0x90 || u == 0x9d) {
                return false;
            }
        }
        return true;
    }

    /** text a latin1 column holds as it is: every char has a windows-1252 byte (so also a MySQL latin1 one) */
    private static boolean latin1(String text) {
        return LATIN1.newEncoder().canEncode(text);
    }

    private static boolean ascii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean validUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void doubt(String why) {
        if (sessionDoubt == null) {
            sessionDoubt = why;
        }
    }

    private void giveUp(String why) {
        if (uncertain == null) {
            uncertain = why;
            LOGGER.info("the chunk reports no value sum: {}", why);
        }
    }
}
