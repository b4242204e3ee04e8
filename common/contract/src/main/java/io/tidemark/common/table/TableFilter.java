package io.tidemark.common.table;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Table filter in the syntax of Dumpling's {@code --filter} and Lightning's {@code [mydumper] filter}:
 * each rule is {@code schema.table}; {@code *}, {@code ?} and {@code [a-z]} / {@code [!a-z]} are wildcards,
 * a backslash escapes, {@code "..."} or {@code `...`} quote a name, {@code /regex/} is a regular expression, and a
 * leading {@code !} excludes. The <em>last</em> rule that matches a table decides; a table no rule matches is
 * excluded. Matching is case-insensitive, as in both tools by default. System schemas are never selected.
 */
public final class TableFilter {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of(
            "mysql", "sys", "information_schema", "performance_schema", "metrics_schema", "inspection_schema",
            "tidemark_meta");

    private record Rule(boolean exclude, Pattern schema, Pattern table, String text) {
    }

    private final List<Rule> rules;
    private final List<String> texts;

    private TableFilter(List<Rule> rules, List<String> texts) {
        this.rules = rules;
        this.texts = texts;
    }

    /** parses rules; blank lines and {@code #} comments are skipped, as in a filter file */
    public static TableFilter parse(List<String> ruleTexts) {
        List<Rule> rules = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String raw : ruleTexts == null ? List.<String>of() : ruleTexts) {
            String text = raw == null ? "" : raw.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            rules.add(parseRule(text));
            kept.add(text);
        }
        if (rules.isEmpty()) {
            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, String.valueOf(ruleTexts),
                    "at least one rule is needed, e.g. \"*.*\" or \"mydb.*\"");
        }
        return new TableFilter(List.copyOf(rules), List.copyOf(kept));
    }

    public static TableFilter parse(String... ruleTexts) {
        return parse(List.of(ruleTexts));
    }

    /** the rules as written, for echoing back in commands and APIs */
    public List<String> rules() {
        return texts;
    }

    public boolean matches(TableRef table) {
        return matches(table.schema(), table.table());
    }

    public boolean matches(String schema, String table) {
        if (isSystemSchema(schema)) {
            return false;
        }
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            if (r.schema.matcher(schema).matches() && r.table.matcher(table).matches()) {
                return !r.exclude;
            }
        }
        return false;
    }

    /**
     * Whether some table of the schema may be selected: true when the last rule whose schema pattern matches is an
     * inclusion, or any inclusion with a table pattern applies to it. Used for schema-level statements.
     */
    public boolean matchesSchema(String schema) {
        if (isSystemSchema(schema)) {
            return false;
        }
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule r = rules.get(i);
            if (r.schema.matcher(schema).matches()) {
                if (!r.exclude) {
                    return true;
                }
                if (r.table.pattern().equals("(?s).*")) {
                    return false;
                }
            }
        }
        return false;
    }

    public static boolean isSystemSchema(String schema) {
        return SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT));
    }

    private static Rule parseRule(String text) {
        boolean exclude = text.startsWith("!");
        String body = exclude ? text.substring(1).strip() : text;
        Cursor c = new Cursor(text, body);
        Pattern schema = c.pattern();
        if (!c.consume('.')) {
            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, text,
                    "expected 'schema.table' (a '.' between two patterns)");
        }
        Pattern table = c.pattern();
        if (!c.atEnd()) {
            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, text,
                    "unexpected text after the table pattern at position " + c.pos);
        }
        return new Rule(exclude, schema, table, text);
    }

    /** a small hand-written scanner: one pattern up to an unescaped, unquoted '.' */
    private static final class Cursor {
        private final String rule;
        private final String s;
        private int pos;

        Cursor(String rule, String s) {
            this.rule = rule;
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        boolean consume(char ch) {
            if (!atEnd() && s.charAt(pos) == ch) {
                pos++;
                return true;
            }
            return false;
        }

        Pattern pattern() {
            if (atEnd() || s.charAt(pos) == '.') {
                throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "empty schema or table pattern");
            }
            if (s.charAt(pos) == '/') {
                int end = s.indexOf('/', pos + 1);
                while (end > 0 && s.charAt(end - 1) == '\\') {
                    end = s.indexOf('/', end + 1);
                }
                if (end < 0) {
                    throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "unterminated /regex/");
                }
                String regex = s.substring(pos + 1, end);
                pos = end + 1;
                try {
                    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                } catch (PatternSyntaxException e) {
                    throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, e.getDescription());
                }
            }
            StringBuilder regex = new StringBuilder();
            while (!atEnd() && s.charAt(pos) != '.') {
                char ch = s.charAt(pos++);
                switch (ch) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    case '\\' -> {
                        if (atEnd()) {
                            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "dangling backslash");
                        }
                        regex.append(Pattern.quote(String.valueOf(s.charAt(pos++))));
                    }
                    case '"', '`' -> {
                        int end = s.indexOf(ch, pos);
                        if (end < 0) {
                            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "unterminated quote " + ch);
                        }
                        regex.append(Pattern.quote(s.substring(pos, end)));
                        pos = end + 1;
                    }
                    case '[' -> {
                        int end = s.indexOf(']', pos + 1);
                        if (end < 0) {
                            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "unterminated [ ]");
                        }
                        String set = s.substring(pos, end);
                        pos = end + 1;
                        if (set.startsWith("!")) {
                            set = "^" + set.substring(1);
                        }
                        regex.append('[').append(set.replace("\\", "\\\\")).append(']');
                    }
                    default -> regex.append(Pattern.quote(String.valueOf(ch)));
                }
            }
            String r = regex.toString();
            return Pattern.compile(r.equals(".*") ? "(?s).*" : r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        }
    }

    @Override
    public String toString() {
        return String.join(",", texts);
    }
}
