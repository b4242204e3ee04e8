package io.tidemark.coordinator.config.lightning;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One {@code [[mydumper.files]]} rule, as TiDB Lightning reads it: a file whose path (relative to data-source-dir,
 * {@code /}-separated) matches {@code pattern} — or equals {@code path} — belongs to the table the {@code schema} and
 * {@code table} templates name ({@code $1}, {@code ${name}} from the pattern's groups) and holds what {@code type}
 * says (sql, csv, parquet, table-schema, schema-schema, view-schema or ignore; a template too). {@code key} and
 * {@code compression} are optional templates. The seed's Aurora-export rule takes the folder
 * {@code <db>.<table>} anywhere in the path as {@code $1} and {@code $2} and the file's {@code parquet} ending as
 * {@code $3}, with {@code schema = '$1'}, {@code table = '$2'}, {@code type = '$3'}.
 *
 * @param index the rule's place among the file's rules, from 1; 0 for TiDB Lightning's built-in rules
 * @param pattern the regular expression as written (Go syntax, which Java reads with the differences
 *                {@link GoRegex} bridges); null when the rule gives {@code path}
 * @param path    an exact file path instead of a pattern; null when the rule gives {@code pattern}
 */
public record FileRule(int index, String pattern, String path, String schema, String table, String type,
                       String key, String compression, Origin origin) {
    public FileRule {
        Checks c = new Checks(origin);
        boolean hasPattern = pattern != null && !pattern.isEmpty();
        boolean hasPath = path != null && !path.isEmpty();
        Pattern regex = null;
        if (hasPattern == hasPath) {
            c.fail(hasPattern ? "path" : "pattern", hasPattern ? path : null, hasPattern
                    ? "and pattern are both given; a rule matches by one of them"
                    : "is missing: a rule needs a pattern (or an exact path)", hasPattern ? "remove path or pattern"
                    : "write pattern = '(?i)^(?:[^/]*/)*([a-z0-9_]+)\\.([a-z0-9_]+)/(?:[^/]*/)*(?:[a-z0-9\\-_.]+"
                    + "\\.(parquet))$' (the seed's Aurora-export rule)");
        } else if (hasPattern) {
            try {
                regex = GoRegex.compile(pattern);
            } catch (PatternSyntaxException e) {
                c.fail("pattern", pattern, "is not a valid regular expression: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : ""),
                        "correct the expression; a literal dot is \\. and every ( needs its )");
            }
        } else {
            regex = Pattern.compile(Pattern.quote(path));
        }
        if (regex != null) {
            checkTemplates(regex, hasPath, type, schema, table, key, compression, c);
        } else if (type != null && !type.isEmpty()) {
            checkType(template(type, hasPath), type, c); // the groups cannot be checked without a pattern
        }
        c.done();
    }

    private static void checkTemplates(Pattern regex, boolean byPath, String type, String schema, String table,
                                       String key, String compression, Checks c) {
        if (type == null || type.isEmpty()) {
            c.fail("type", null, "says what the matched files hold", "write type = 'parquet' (or sql, csv,"
                    + " table-schema, schema-schema, ignore, or a template such as '$3')");
            return;
        }
        GoTemplate typeTemplate = template(type, byPath);
        checkType(typeTemplate, type, c);
        checkGroups("type", type, typeTemplate, regex, c);
        if (typeTemplate.literal() && typeTemplate.text().strip().equalsIgnoreCase("ignore")) {
            return; // TiDB Lightning reads nothing else of an ignore rule
        }
        if (schema == null || schema.isEmpty()) {
            c.fail("schema", null, "names the schema the matched files belong to", "write schema = '$1' (the"
                    + " pattern's first group)");
        } else {
            checkGroups("schema", schema, template(schema, byPath), regex, c);
        }
        boolean databaseFile = typeTemplate.literal()
                && typeTemplate.text().strip().equalsIgnoreCase(SourceType.SCHEMA_SCHEMA.word());
        if (!databaseFile) {
            if (table == null || table.isEmpty()) {
                c.fail("table", null, "names the table the matched files belong to", "write table = '$2' (the"
                        + " pattern's second group)");
            } else {
                checkGroups("table", table, template(table, byPath), regex, c);
            }
        }
        if (key != null && !key.isEmpty()) {
            checkGroups("key", key, template(key, byPath), regex, c);
        }
        if (compression != null && !compression.isEmpty()) {
            GoTemplate t = template(compression, byPath);
            checkGroups("compression", compression, t, regex, c);
            if (t.literal() && Compression.of(t.text()).isEmpty()) {
                c.fail("compression", compression, "is not a compression TiDB Lightning knows",
                        "write one of " + Compression.WORDS);
            } else if (t.literal() && Compression.of(t.text()).orElseThrow() != Compression.NONE
                    && typeTemplate.literal() && typeTemplate.text().strip().equalsIgnoreCase("parquet")) {
                c.fail("compression", compression, "compresses Parquet files as a whole, which neither TiDB"
                        + " Lightning nor Tidemark reads (Parquet compresses its pages inside the file)",
                        "remove compression");
            }
        }
    }

    private static void checkType(GoTemplate typeTemplate, String type, Checks c) {
        if (typeTemplate.literal() && SourceType.of(typeTemplate.text()).isEmpty()) {
            c.fail("type", type, "is not a type of file TiDB Lightning knows", "write one of "
                    + SourceType.words() + (type.strip().equalsIgnoreCase("schema")
                    ? " (table-schema for CREATE TABLE files, schema-schema for CREATE DATABASE files)" : ""));
        }
    }

    private static void checkGroups(String field, String written, GoTemplate t, Pattern regex, Checks c) {
        List<String> missing = t.missingGroups(regex.matcher("").groupCount(), regex.namedGroups());
        if (!missing.isEmpty()) {
            int groups = regex.matcher("").groupCount();
            c.fail(field, written, "refers to " + String.join(", ", missing) + ", but the pattern has "
                    + (groups == 0 ? "no group" : groups == 1 ? "1 group" : groups + " groups")
                    + (regex.namedGroups().isEmpty() ? "" : " (named " + String.join(", ",
                    regex.namedGroups().keySet()) + ")"), "refer to a group the pattern has ($1 is the first"
                    + " (...)), or add the group to the pattern; $$ writes a dollar");
        }
    }

    /** with {@code path}, TiDB Lightning takes every {@code $} of a template literally */
    private static GoTemplate template(String written, boolean byPath) {
        return GoTemplate.parse(byPath ? written.replace("$", "$$") : written);
    }

    /** the rule's regular expression, compiled the way it was validated */
    Pattern regex() {
        return pattern != null && !pattern.isEmpty() ? GoRegex.compile(pattern) : Pattern.compile(Pattern.quote(path));
    }

    GoTemplate templateOf(String written) {
        return written == null || written.isEmpty() ? null : template(written, path != null && !path.isEmpty());
    }

    /** whether this is one of TiDB Lightning's built-in rules rather than one of the file's */
    public boolean builtIn() {
        return index == 0;
    }

    /** how messages name the rule: {@code [[mydumper.files]] #1 (line 9)} */
    public String describe() {
        if (builtIn()) {
            return "TiDB Lightning's built-in rule " + Optional.ofNullable(pattern).orElse(path);
        }
        Position at = origin.header();
        return "[[mydumper.files]] #" + index + (at.known() ? " (line " + at.line() + ")" : "");
    }

    static FileRule read(int index, TomlSection s) {
        String pattern = s.string("pattern").orElse(null);
        String path = s.string("path").orElse(null);
        return new FileRule(index, pattern, path, s.template("schema").orElse(null), s.template("table").orElse(null),
                s.template("type").orElse(null), s.template("key").orElse(null),
                s.template("compression").orElse(null), s.origin());
    }

    boolean ignoreRule() {
        return type != null && type.strip().toLowerCase(Locale.ROOT).equals(SourceType.IGNORE.word());
    }

    boolean databaseRule() {
        return type != null && type.strip().toLowerCase(Locale.ROOT).equals(SourceType.SCHEMA_SCHEMA.word());
    }
}
