package io.tidemark.lightning.sql;

import io.tidemark.lightning.target.SessionText;

import java.util.Locale;
import java.util.Optional;
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
    /**
     * The head of a statement that writes rows: INSERT or REPLACE with their modifiers, INTO, and the table. A bare
     * name right after the verb is never INTO itself, so a table name is never mistaken for the keyword.
     */
    static final Pattern ROWS_INTO = Pattern.compile(
            "^(?:INSERT(?:\\s+(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY))?(?:\\s+IGNORE)?"
                    + "|REPLACE(?:\\s+(?:LOW_PRIORITY|DELAYED))?)"
                    + "(?:\\s+INTO\\b\\s*|\\s+(?!INTO\\b))" + SqlNames.QUALIFIED_NAME + "\\s*",
            Pattern.CASE_INSENSITIVE);
    /** VALUES right after the table: the statement has no column list */
    private static final Pattern VALUES_NEXT = Pattern.compile("VALUES?\\b", Pattern.CASE_INSENSITIVE);

    /** What a statement does to the load: rows, session state, or something else. */
    public enum Kind {
        /**
         * {@code INSERT} or {@code REPLACE}: its rows go into the chunk's table as the import's on-duplicate says
         * ({@link #writtenInto}), counted as rows, skipped when resuming past it
         */
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
            case "INSERT", "REPLACE" -> Kind.INSERT;
            case "SET" -> Kind.SESSION;
            default -> Kind.OTHER;
        };
    }

    /**
     * The statement as a chunk runs it: its rows written by {@code verb} into {@code table}, whatever table and
     * duplicate handling the file's own statement names, since where rows go (routes) and what a duplicate key does
     * (on-duplicate) are the import's to decide, as TiDB Lightning decides them. An INSERT that names no columns gets
     * {@code columns}, so its values go to the columns they were dumped from whatever the target table's column
     * order. Only the head changes; the values are sent as the file holds them.
     *
     * @param verb    {@code REPLACE}, {@code INSERT IGNORE} or {@code INSERT}
     * @param table   the target table, quoted, in the session view
     * @param columns the dump's columns for an INSERT without a column list; when empty, the statement keeps none
     * @return empty when the statement's head is not one that writes rows into a table named as MySQL names tables
     */
    public Optional<String> writtenInto(String verb, String table, ColumnList columns) {
        Matcher head = ROWS_INTO.matcher(sql);
        // lookingAt, not find: only the head can match, and a statement may be megabytes long
        if (!head.lookingAt()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(sql.length() + 256).append(verb).append(" INTO ").append(table)
                .append(' ');
        if (!columns.isEmpty() && VALUES_NEXT.matcher(sql).region(head.end(), sql.length()).lookingAt()) {
            out.append(columns.sql()).append(' ');
        }
        return Optional.of(out.append(sql, head.end(), sql.length()).toString());
    }
}
