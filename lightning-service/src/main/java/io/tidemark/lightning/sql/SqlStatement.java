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
    /** a quoted or bare identifier; in the session view a UTF-8 byte is a char 0x80..0xFF */
    private static final String NAME = "(?:`(?:[^`]|``)+`|[\\w$\\x80-\\xff]+)";
    /** {@code INSERT [IGNORE] INTO t VALUES}: no column list between the table (maybe db-qualified) and VALUES */
    private static final Pattern WITHOUT_COLUMN_LIST = Pattern.compile(
            "^(INSERT\\s+(?:IGNORE\\s+)?INTO\\s+" + NAME + "(?:\\s*\\.\\s*" + NAME + ")?)"
                    + "\\s*(?=VALUES?\\b)", Pattern.CASE_INSENSITIVE);

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
     * The statement as a chunk runs it, written by column name into a {@code REPLACE}, as Lightning's logical import
     * does with {@code on-duplicate = "replace"}: a row already in the target is overwritten, never duplicated. An
     * INSERT that names no columns gets {@code columns}, so its values go to the columns they were dumped from
     * whatever the target table's column order. Only the keyword and the column list change; {@code INSERT IGNORE}
     * keeps its own duplicate handling.
     *
     * @param columns the dump's columns for an INSERT without a column list; when empty, the statement keeps none
     */
    public String asReplace(ColumnList columns) {
        String sql = this.sql;
        Matcher named = WITHOUT_COLUMN_LIST.matcher(sql);
        if (!columns.isEmpty() && named.lookingAt()) {
            sql = named.group(1) + " " + columns.sql() + " " + sql.substring(named.end());
        }
        Matcher m = INSERT.matcher(sql);
        // lookingAt, not find: only the head can match, and a statement may be megabytes long
        return m.lookingAt() ? "REPLACE" + m.group(1) + sql.substring(m.end()) : sql;
    }
}
