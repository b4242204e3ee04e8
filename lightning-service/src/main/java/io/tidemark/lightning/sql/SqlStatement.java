package io.tidemark.lightning.sql;

import io.tidemark.lightning.target.SessionText;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One statement of a dump file, without its terminating ';' and without plain comments ({@code /*! ... *}{@code /}
 * version comments stay: the server executes them).
 *
 * @param sql         the statement's bytes exactly as in the file, one char per byte ({@link SessionText}): what a
 *                    target session sends; {@link #readable()} is the form for people
 * @param index       0-based position of the statement in its file: the unit a chunk checkpoint counts
 * @param startOffset byte offset of the statement's first byte in the file
 * @param endOffset   byte offset just past its ';': where the next statement's scan begins
 * @param valueGroups rows of an {@code INSERT ... VALUES} statement (its top-level value tuples); meaningless for others
 */
public record SqlStatement(String sql, long index, long startOffset, long endOffset, long valueGroups) {
    private static final Pattern LEADING_WORD = Pattern.compile("^(?:/\\*![0-9]*\\s*)?([A-Za-z]+)");
    private static final Pattern INSERT = Pattern.compile("^INSERT(\\s+)(?!IGNORE\\b)", Pattern.CASE_INSENSITIVE);

    /** What a statement does to the load: rows, session state, or something else. */
    public enum Kind {
        /** {@code INSERT}: loaded as {@code REPLACE}, counted as rows, skipped when resuming past it */
        INSERT,
        /** {@code SET ...}: session state the rows after it depend on, replayed when resuming */
        SESSION,
        /** anything else: executed once, in order */
        OTHER
    }

    /** the statement as UTF-8 text, for messages and logs (bytes of other charsets show as U+FFFD) */
    public String readable() {
        return SessionText.readable(sql);
    }

    public Kind kind() {
        Matcher m = LEADING_WORD.matcher(sql);
        if (!m.find()) {
            return Kind.OTHER;
        }
        return switch (m.group(1).toUpperCase(Locale.ROOT)) {
            case "INSERT" -> Kind.INSERT;
            case "SET" -> Kind.SESSION;
            default -> Kind.OTHER;
        };
    }

    /**
     * The statement with a leading {@code INSERT} keyword turned into {@code REPLACE}, as Lightning's logical import
     * does with {@code on-duplicate = "replace"}: a row already in the target is overwritten, never duplicated.
     * Only the keyword changes; {@code INSERT IGNORE} keeps its own duplicate handling.
     */
    public String asReplace() {
        Matcher m = INSERT.matcher(sql);
        return m.find() ? "REPLACE" + m.group(1) + sql.substring(m.end()) : sql;
    }
}
