package io.tidemark.common.table;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Table filter in the syntax of Dumpling's {@code --filter} and Lightning's {@code [mydumper] filter}:
 * each rule is {@code schema.table}; {@code *}, {@code ?} and {@code [a-z]} / {@code [!a-z]} are wildcards,
 * a backslash escapes, {@code "..."} or {@code `...`} quote a name, {@code /regex/} is a regular expression, and a
 * leading {@code !} excludes. The <em>last</em> rule that matches a table decides; a table no rule matches is
 * excluded. Matching is case-insensitive, as in both tools by default. System schemas are never selected.
 *
 * <p>Whether two filters may select a common table ({@link #overlaps}) is answered from the rules alone, without a
 * list of tables, and in doubt the answer is "they may":
 * <ol>
 * <li>A table a rule names exactly ({@code shop.orders}, no wildcard) is decided exactly: the filters overlap on it
 *     when both select it, exclusions and rule order included. So {@code ["shop.*", "!shop.big"]} and
 *     {@code ["shop.big"]} do not overlap.</li>
 * <li>Two including rules with wildcards overlap when their schema patterns can match one name and so can their
 *     table patterns: a pattern and a name when the pattern matches the name; two patterns unless their fixed
 *     beginnings or endings differ ({@code shop_eu*} and {@code shop_us*} cannot meet, {@code *} meets anything, and
 *     a {@code /regex/} is taken to meet anything). An exclusion is honoured when it comes after the including rule
 *     and covers the other rule whole (each of its parts is {@code *}, the same pattern, or matches the other's exact
 *     name): {@code ["shop.*", "!shop.tmp_*"]} and {@code ["shop.tmp_*"]} do not overlap; exclusions narrower than
 *     that are not weighed, so {@code ["shop.*", "!shop.tmp_1*"]} and {@code ["shop.tmp_*"]} are reported (list the
 *     tables exactly to split a schema finer).</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class TableFilter {
    private static final Set<String> SYSTEM_SCHEMAS = Set.of(
            "mysql", "sys", "information_schema", "performance_schema", "metrics_schema", "inspection_schema",
            "tidemark_meta");
    private static final String ANY = "(?s).*";

    /**
     * Two rules, one of each filter, that may select a common table.
     *
     * @param rule      this filter's rule, as written
     * @param otherRule the other filter's rule, as written
     * @param table     the table both select when a rule names it exactly ({@code shop.orders}); null when only
     *                  wildcards meet
     */
    public record Overlap(String rule, String otherRule, String table) {
    }

    private record Rule(int index, boolean exclude, Part schema, Part table, String text) {
        boolean exact() {
            return schema.literal != null && table.literal != null;
        }

        /** an including rule with a wildcard, in a schema that is not a system one (those are never selected) */
        boolean widens() {
            return !exclude && !exact() && (schema.literal == null || !isSystemSchema(schema.literal));
        }

        String key() {
            return key(schema.literal, table.literal);
        }

        static String key(String schema, String table) {
            return schema.toLowerCase(Locale.ROOT) + '\u0000' + table.toLowerCase(Locale.ROOT);
        }

        /** whether the rule's patterns match the table, whether the rule includes or excludes it */
        boolean matches(String schemaName, String tableName) {
            return schema.matches(schemaName) && table.matches(tableName);
        }
    }

    /**
     * One side of a rule. {@code literal} is the exact name when the side has no wildcard, else null; {@code prefix}
     * and {@code suffix} are the fixed text before the first and after the last wildcard, lower-cased (matching
     * ignores case), both empty for a {@code /regex/}.
     */
    private record Part(String text, Pattern pattern, String literal, String prefix, String suffix) {
        boolean matches(String name) {
            return pattern.matcher(name).matches();
        }

        boolean mayMeet(Part other) {
            if (literal != null && other.literal != null) {
                return literal.equalsIgnoreCase(other.literal);
            }
            if (literal != null) {
                return other.matches(literal);
            }
            if (other.literal != null) {
                return matches(other.literal);
            }
            return (prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix))
                    && (suffix.endsWith(other.suffix) || other.suffix.endsWith(suffix));
        }

        /** whether this side matches every name the other side can */
        boolean covers(Part other) {
            return text.equals("*") || text.equalsIgnoreCase(other.text)
                    || (other.literal != null && (literal == null ? matches(other.literal)
                    : literal.equalsIgnoreCase(other.literal)));
        }
    }

    private final List<Rule> rules;
    private final List<String> texts;
    /** the last exact rule per table: an exact rule decides nothing else */
    private final Map<String, Rule> lastExact = new HashMap<>();
    private final List<Rule> wildcards = new ArrayList<>();
    /** the including rules with a wildcard: the only ones whose tables are not known by name */
    private final List<Rule> widening = new ArrayList<>();
    private final List<Rule> exclusions = new ArrayList<>();

    private TableFilter(List<Rule> rules, List<String> texts) {
        this.rules = rules;
        this.texts = texts;
        for (Rule rule : rules) {
            if (rule.exclude) {
                exclusions.add(rule);
            }
            if (rule.exact()) {
                lastExact.put(rule.key(), rule);
            } else {
                wildcards.add(rule);
                if (rule.widens()) {
                    widening.add(rule);
                }
            }
        }
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
            rules.add(parseRule(text, rules.size()));
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
            if (r.matches(schema, table)) {
                return !r.exclude;
            }
        }
        return false;
    }

    /** whether this filter and {@code other} may select a common table, by the rule in the class comment */
    public boolean mayOverlap(TableFilter other) {
        return !overlaps(other, 1).isEmpty();
    }

    /**
     * Where this filter and {@code other} may select a common table, by the rule in the class comment: tables both
     * name exactly first, then wildcard rules that may meet; at most {@code max} of them, none when they cannot.
     * Takes time in proportion to the number of rules, not to their product, when the rules name tables exactly.
     */
    public List<Overlap> overlaps(TableFilter other, int max) {
        Set<Overlap> found = new LinkedHashSet<>();
        Set<String> tried = new HashSet<>();
        for (TableFilter side : List.of(this, other)) {
            for (Rule r : side.rules) {
                if (found.size() >= max) {
                    return List.copyOf(found);
                }
                if (r.exclude || !r.exact() || isSystemSchema(r.schema.literal) || !tried.add(r.key())) {
                    continue;
                }
                Rule ours = deciding(r.schema.literal, r.table.literal);
                Rule theirs = other.deciding(r.schema.literal, r.table.literal);
                if (ours != null && !ours.exclude && theirs != null && !theirs.exclude) {
                    found.add(new Overlap(ours.text, theirs.text, r.schema.literal + "." + r.table.literal));
                }
            }
        }
        for (Rule a : widening) {
            for (Rule b : other.widening) {
                if (found.size() >= max) {
                    return List.copyOf(found);
                }
                if (!excludesAfter(a.index, b) && !other.excludesAfter(b.index, a)
                        && a.schema.mayMeet(b.schema) && a.table.mayMeet(b.table)) {
                    found.add(new Overlap(a.text, b.text, null));
                }
            }
        }
        return List.copyOf(found);
    }

    /** the rule that decides the table: the last one matching it, or null when none does */
    private Rule deciding(String schema, String table) {
        Rule decides = lastExact.get(Rule.key(schema, table));
        for (int k = wildcards.size() - 1; k >= 0; k--) {
            Rule w = wildcards.get(k);
            if (decides != null && w.index < decides.index) {
                break;
            }
            if (w.matches(schema, table)) {
                return w;
            }
        }
        return decides;
    }

    /** whether an exclusion after rule {@code i} covers the whole of {@code other} */
    private boolean excludesAfter(int i, Rule other) {
        for (Rule e : exclusions) {
            if (e.index > i && e.schema.covers(other.schema) && e.table.covers(other.table)) {
                return true;
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
            if (r.schema.matches(schema)) {
                if (!r.exclude) {
                    return true;
                }
                if (r.table.pattern.pattern().equals(ANY)) {
                    return false;
                }
            }
        }
        return false;
    }

    public static boolean isSystemSchema(String schema) {
        return SYSTEM_SCHEMAS.contains(schema.toLowerCase(Locale.ROOT));
    }

    private static Rule parseRule(String text, int index) {
        boolean exclude = text.startsWith("!");
        String body = exclude ? text.substring(1).strip() : text;
        Cursor c = new Cursor(text, body);
        Part schema = c.part();
        if (!c.consume('.')) {
            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, text,
                    "expected 'schema.table' (a '.' between two patterns)");
        }
        Part table = c.part();
        if (!c.atEnd()) {
            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, text,
                    "unexpected text after the table pattern at position " + c.pos);
        }
        return new Rule(index, exclude, schema, table, text);
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

        /** one side of the rule, up to the next unescaped, unquoted '.' */
        Part part() {
            if (atEnd() || s.charAt(pos) == '.') {
                throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "empty schema or table pattern");
            }
            int start = pos;
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
                    Pattern p = Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                    return new Part(s.substring(start, pos), p, null, "", "");
                } catch (PatternSyntaxException e) {
                    throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, e.getDescription());
                }
            }
            StringBuilder regex = new StringBuilder();
            StringBuilder fixed = new StringBuilder(); // the name's characters, wildcards left out
            String prefix = null; // the fixed text before the first wildcard, once there is one
            int suffixFrom = 0; // where the fixed text after the last wildcard starts
            while (!atEnd() && s.charAt(pos) != '.') {
                char ch = s.charAt(pos++);
                switch (ch) {
                    case '*', '?' -> {
                        regex.append(ch == '*' ? ".*" : ".");
                        prefix = prefix == null ? fixed.toString() : prefix;
                        suffixFrom = fixed.length();
                    }
                    case '\\' -> {
                        if (atEnd()) {
                            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "dangling backslash");
                        }
                        char escaped = s.charAt(pos++);
                        regex.append(Pattern.quote(String.valueOf(escaped)));
                        fixed.append(escaped);
                    }
                    case '"', '`' -> {
                        int end = s.indexOf(ch, pos);
                        if (end < 0) {
                            throw new TidemarkException(ErrorCode.INVALID_TABLE_FILTER, rule, "unterminated quote " + ch);
                        }
                        regex.append(Pattern.quote(s.substring(pos, end)));
                        fixed.append(s, pos, end);
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
                        prefix = prefix == null ? fixed.toString() : prefix;
                        suffixFrom = fixed.length();
                    }
                    default -> {
                        regex.append(Pattern.quote(String.valueOf(ch)));
                        fixed.append(ch);
                    }
                }
            }
            String r = regex.toString();
            Pattern pattern = Pattern.compile(r.equals(".*") ? ANY : r, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            String text = s.substring(start, pos);
            return prefix == null ? new Part(text, pattern, fixed.toString(), "", "")
                    : new Part(text, pattern, null, prefix.toLowerCase(Locale.ROOT),
                    fixed.substring(suffixFrom).toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public String toString() {
        return String.join(",", texts);
    }
}
