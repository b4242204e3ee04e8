package io.tidemark.lightning.sql;

import io.tidemark.lightning.target.SessionText;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The columns a dump's rows give values for, in the dump's order, so that rows are written by column name. An INSERT
 * without a column list (Dumpling's default: {@code --complete-insert=false}) or a CSV file loaded without one puts
 * each value into whichever target column stands at its position; a target table created by hand in another column
 * order would take the rows silently wrong.
 *
 * @param names the column names in the session view ({@link SessionText}): the dump's bytes, one char per byte
 */
public record ColumnList(List<String> names) {
    /** no column list: a statement keeps the one it has, or none */
    public static final ColumnList NONE = new ColumnList(List.of());
    /** the words that start a table element other than a column; all are reserved, so never a bare column name */
    private static final Set<String> NOT_A_COLUMN = Set.of("PRIMARY", "KEY", "INDEX", "UNIQUE", "CONSTRAINT",
            "FOREIGN", "FULLTEXT", "SPATIAL", "CHECK");
    /** a generated column (MySQL, MariaDB, MariaDB's system-versioning row start/end) or an invisible one */
    private static final Pattern NOT_INSERTED = Pattern.compile(
            "\\bGENERATED\\s+ALWAYS\\b|(?:^|\\s)AS\\s*\\(|\\bINVISIBLE\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?TABLE\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern PERIOD_FOR = Pattern.compile("^PERIOD\\s+FOR\\b", Pattern.CASE_INSENSITIVE);

    public ColumnList {
        names = List.copyOf(names);
    }

    /**
     * The implicit column list of {@code INSERT INTO t VALUES} on the table a dump's {@code CREATE TABLE} defines:
     * its columns in order, without generated and invisible ones (a dump has no values for them). Empty when the
     * statement defines no columns (not a CREATE TABLE, or {@code CREATE TABLE ... LIKE}).
     *
     * @param createTable the statement in the session view, as {@link StatementSplitter} gives it
     */
    public static ColumnList ofCreateTable(String createTable) {
        List<String> names = new ArrayList<>();
        int open = CREATE_TABLE.matcher(createTable).lookingAt() ? firstTopLevelParenthesis(createTable) : -1;
        if (open < 0) {
            return new ColumnList(names);
        }
        for (String element : elements(createTable, open + 1)) {
            String e = element.strip();
            String name;
            String rest;
            if (e.startsWith("`")) {
                int close = closingQuote(e, 0);
                name = e.substring(1, close).replace("``", "`");
                rest = e.substring(close + 1);
            } else {
                int end = 0;
                while (end < e.length() && isBareIdentifierChar(e.charAt(end))) {
                    end++;
                }
                name = e.substring(0, end);
                rest = e.substring(end);
                if (name.isEmpty() || NOT_A_COLUMN.contains(name.toUpperCase(Locale.ROOT))
                        || PERIOD_FOR.matcher(e).find()) {
                    continue;
                }
            }
            if (!NOT_INSERTED.matcher(withoutLiterals(rest)).find()) {
                names.add(name);
            }
        }
        return new ColumnList(names);
    }

    /**
     * The columns a Dumpling CSV file's header line names ({@code "id","name"}: fields separated by ',', optionally
     * enclosed in '"', escaped with '\'), the same dialect its rows are loaded with.
     *
     * @param header the first line without its '\n', in the session view
     */
    public static ColumnList ofCsvHeader(String header) {
        List<String> names = new ArrayList<>();
        if (header.isEmpty()) {
            return new ColumnList(names);
        }
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char ch = header.charAt(i);
            if (ch == '\\' && i + 1 < header.length()) {
                field.append(header.charAt(++i));
            } else if (ch == '"' && quoted && i + 1 < header.length() && header.charAt(i + 1) == '"') {
                field.append(header.charAt(++i));
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                names.add(field.toString());
                field.setLength(0);
            } else if (ch != '\r' || quoted) {
                field.append(ch);
            }
        }
        names.add(field.toString());
        return new ColumnList(names);
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** {@code (`a`,`b`)} in the session view, for a statement sent as the dump's bytes */
    public String sql() {
        StringBuilder out = new StringBuilder("(");
        for (String name : names) {
            out.append(out.length() > 1 ? "," : "").append('`').append(name.replace("`", "``")).append('`');
        }
        return out.append(')').toString();
    }

    /** {@link #sql()} as text, for a statement the driver sends in UTF-8 (LOAD DATA) */
    public String readableSql() {
        return SessionText.readable(sql());
    }

    private static int firstTopLevelParenthesis(String sql) {
        for (int i = 0; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '`' || ch == '\'' || ch == '"') {
                i = closingQuote(sql, i);
            } else if (ch == '(') {
                return i;
            }
        }
        return -1;
    }

    /** the comma-separated elements of the parenthesis opened just before {@code from} */
    private static List<String> elements(String sql, int from) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = from;
        for (int i = from; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (ch == '`' || ch == '\'' || ch == '"') {
                i = closingQuote(sql, i);
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && depth-- == 0) {
                out.add(sql.substring(start, i));
                return out;
            } else if (ch == ',' && depth == 0) {
                out.add(sql.substring(start, i));
                start = i + 1;
            }
        }
        out.add(sql.substring(start));
        return out;
    }

    /** the index of the quote closing the one at {@code open}; a doubled quote or a backslash escape stays inside */
    private static int closingQuote(String s, int open) {
        char quote = s.charAt(open);
        for (int i = open + 1; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '\\' && quote != '`') {
                i++;
            } else if (ch == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return s.length() - 1;
    }

    /** a column definition with its string literals emptied: a COMMENT or DEFAULT cannot look like a keyword */
    private static String withoutLiterals(String definition) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < definition.length(); i++) {
            char ch = definition.charAt(i);
            if (ch == '\'' || ch == '"') {
                i = closingQuote(definition, i);
                out.append("''");
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** letters, digits, '_', '$' and any byte of a UTF-8 sequence (in the session view, chars 0x80..0xFF) */
    private static boolean isBareIdentifierChar(char ch) {
        return Character.isLetterOrDigit(ch) && ch < 0x80 || ch == '_' || ch == '$' || ch >= 0x80 && ch <= 0xFF;
    }
}
