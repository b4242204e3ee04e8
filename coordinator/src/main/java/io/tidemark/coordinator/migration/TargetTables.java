package io.tidemark.coordinator.migration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.table.TableFilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Whether two migrations may write the same target table. When a migration is created its tables are not known yet,
 * only its filter rules (tables are found when the snapshot lists the source), so the answer comes from the rules,
 * and in doubt it is "they may":
 * <ol>
 * <li>Different targets never collide. A target is its {@code host:port}, the host compared without case; two names
 *     of one server (an IP and a DNS name, two TiDB servers of one cluster) are not recognised.</li>
 * <li>A table a rule names exactly ({@code shop.orders}, no wildcard) is decided exactly: the two collide on it when
 *     both filters select it, exclusions and rule order included. So {@code ["shop.*", "!shop.big"]} and
 *     {@code ["shop.big"]} do not collide.</li>
 * <li>Two including rules with wildcards collide when their schema patterns can match one name and so can their
 *     table patterns: a pattern and a name when the pattern matches the name; two patterns unless their fixed
 *     beginnings or endings differ ({@code shop_eu*} and {@code shop_us*} cannot meet, {@code *} meets anything, and
 *     a {@code /regex/} is taken to meet anything). An exclusion is honoured when it comes after the including rule
 *     and covers the other rule whole (each of its parts is {@code *}, the same pattern, or matches the other's exact
 *     name): {@code ["shop.*", "!shop.tmp_*"]} and {@code ["shop.tmp_*"]} do not collide; exclusions narrower than
 *     that are not, so {@code ["shop.*", "!shop.tmp_1*"]} and {@code ["shop.tmp_*"]} are reported (list the tables
 *     exactly to split a schema finer).</li>
 * </ol>
 * Target tables are the source's names today; table routing, when it comes, must compare the routed names.
 */
public final class TargetTables {
    /** enough to show the user what collides; more would only be longer */
    private static final int MAX_REPORTED = 3;

    private TargetTables() {
    }

    /**
     * Two rules, one of each spec, that may select the same target table.
     *
     * @param table the table both select, when a rule names it exactly; null when only wildcards meet
     */
    public record Collision(String heldRule, String wantedRule, String table) {
        /** e.g. "its rule `shop.*` and this spec's rule `shop.orders` both select shop.orders" */
        public String describe(String held, String wanted) {
            return held + " rule `" + heldRule + "` and " + wanted + " rule `" + wantedRule + "` "
                    + (table == null ? "can select the same tables" : "both select " + table);
        }
    }

    /** where the two specs may write the same table, at most a few; empty when they cannot */
    public static List<Collision> overlap(MigrationSpec held, MigrationSpec wanted) {
        if (!sameServer(held.target(), wanted.target())) {
            return List.of();
        }
        Claim theirs = new Claim(held.filter());
        Claim ours = new Claim(wanted.filter());
        Set<Collision> found = new LinkedHashSet<>();
        Set<String> tried = new HashSet<>();
        for (Claim claim : List.of(theirs, ours)) {
            for (Rule r : claim.rules) {
                if (found.size() >= MAX_REPORTED) {
                    return List.copyOf(found);
                }
                if (r.exclude || !r.exact() || !tried.add(r.key())) {
                    continue;
                }
                Rule their = theirs.deciding(r.schema.literal, r.table.literal);
                Rule our = ours.deciding(r.schema.literal, r.table.literal);
                if (their != null && !their.exclude && our != null && !our.exclude
                        && !TableFilter.isSystemSchema(r.schema.literal)) {
                    found.add(new Collision(their.text, our.text, r.schema.literal + "." + r.table.literal));
                }
            }
        }
        for (Rule a : theirs.widening) {
            for (Rule b : ours.widening) {
                if (found.size() >= MAX_REPORTED) {
                    return List.copyOf(found);
                }
                if (!theirs.excludesAfter(a.index, b) && !ours.excludesAfter(b.index, a)
                        && a.schema.mayMeet(b.schema) && a.table.mayMeet(b.table)) {
                    found.add(new Collision(a.text, b.text, null));
                }
            }
        }
        return List.copyOf(found);
    }

    private static boolean sameServer(DatabaseEndpoint a, DatabaseEndpoint b) {
        return a.port() == b.port() && a.host().equalsIgnoreCase(b.host());
    }

    /** one migration's filter, parsed once, answering "which rule decides this table" without a scan per table */
    private static final class Claim {
        final List<Rule> rules = new ArrayList<>();
        /** the last exact rule per table: an exact rule decides nothing else */
        final Map<String, Rule> lastExact = new HashMap<>();
        final List<Rule> wildcards = new ArrayList<>();
        /** the including rules with a wildcard: the only ones whose tables are not known by name */
        final List<Rule> widening = new ArrayList<>();
        final List<Rule> exclusions = new ArrayList<>();

        Claim(List<String> texts) {
            for (String text : texts) {
                Rule rule = Rule.parse(text, rules.size());
                rules.add(rule);
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

        /** the filter's own rule: the last rule matching the table, or null when none does */
        Rule deciding(String schema, String table) {
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
        boolean excludesAfter(int i, Rule other) {
            for (Rule e : exclusions) {
                if (e.index > i && e.schema.covers(other.schema) && e.table.covers(other.table)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** one rule of Dumpling's table-filter syntax, read only as far as deciding collisions needs */
    private record Rule(String text, int index, boolean exclude, Part schema, Part table, TableFilter asInclude) {
        static Rule parse(String text, int index) {
            boolean exclude = text.startsWith("!");
            String body = exclude ? text.substring(1).strip() : text;
            Scanner scan = new Scanner(body);
            Part schema = scan.part();
            scan.pos++; // the '.' between the parts; the rule was validated when the spec was accepted
            Part table = scan.part();
            // an exact rule is matched by its name alone: no pattern to compile for each of thousands of tables
            boolean exact = schema.literal != null && table.literal != null;
            return new Rule(text, index, exclude, schema, table, exact ? null : TableFilter.parse(body));
        }

        boolean exact() {
            return schema.literal != null && table.literal != null;
        }

        /** an including rule with a wildcard, in a schema that is not a system one (those are never selected) */
        boolean widens() {
            return !exclude && !exact() && (schema.literal == null || !TableFilter.isSystemSchema(schema.literal));
        }

        String key() {
            return key(schema.literal, table.literal);
        }

        static String key(String schema, String table) {
            return schema.toLowerCase(Locale.ROOT) + '\u0000' + table.toLowerCase(Locale.ROOT);
        }

        /** whether the wildcard rule's patterns match the table, whether the rule includes or excludes it */
        boolean matches(String schema, String table) {
            return asInclude.matches(schema, table);
        }
    }

    /**
     * One side of a rule. {@code literal} is the exact name when the side has no wildcard; {@code prefix} and
     * {@code suffix} are the fixed text before the first and after the last wildcard, lower-cased (matching ignores
     * case), both empty for a {@code /regex/}; {@code alone} is the pattern as a filter of its own, null for a name.
     */
    private record Part(String text, String literal, String prefix, String suffix, TableFilter alone) {
        static Part name(String text, String literal) {
            return new Part(text, literal, "", "", null);
        }

        static Part pattern(String text, String prefix, String suffix) {
            // as the table side of a rule in any schema: the same pattern matches a schema name the same way
            return new Part(text, null, prefix.toLowerCase(Locale.ROOT), suffix.toLowerCase(Locale.ROOT),
                    TableFilter.parse("*." + text));
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

        private boolean matches(String name) {
            return alone.matches("s", name);
        }
    }

    /** reads one side of a rule up to its unquoted, unescaped '.' (the syntax {@link TableFilter} parses) */
    private static final class Scanner {
        private final String s;
        private int pos;

        Scanner(String s) {
            this.s = s;
        }

        Part part() {
            int start = pos;
            if (pos < s.length() && s.charAt(pos) == '/') {
                int end = s.indexOf('/', pos + 1);
                while (end > 0 && s.charAt(end - 1) == '\\') {
                    end = s.indexOf('/', end + 1);
                }
                pos = end + 1;
                return Part.pattern(s.substring(start, pos), "", "");
            }
            StringBuilder fixed = new StringBuilder();
            String prefix = null;
            int suffixFrom = 0;
            while (pos < s.length() && s.charAt(pos) != '.') {
                char ch = s.charAt(pos++);
                switch (ch) {
                    case '*', '?', '[' -> {
                        if (ch == '[') {
                            pos = s.indexOf(']', pos + 1) + 1;
                        }
                        prefix = prefix == null ? fixed.toString() : prefix;
                        suffixFrom = fixed.length(); // the fixed ending starts after the last wildcard
                    }
                    case '\\' -> fixed.append(s.charAt(pos++));
                    case '"', '`' -> {
                        int end = s.indexOf(ch, pos);
                        fixed.append(s, pos, end);
                        pos = end + 1;
                    }
                    default -> fixed.append(ch);
                }
            }
            String text = s.substring(start, pos);
            return prefix == null ? Part.name(text, fixed.toString())
                    : Part.pattern(text, prefix, fixed.substring(suffixFrom));
        }
    }
}
