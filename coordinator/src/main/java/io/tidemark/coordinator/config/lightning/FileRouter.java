package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.table.TableRef;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes file paths to tables the way TiDB Lightning does: the file's {@code [[mydumper.files]]} rules in order, then
 * — when the file has none, or says {@code default-file-rules = true} — TiDB Lightning's built-in rules for Dumpling's
 * names ({@code mydb-schema-create.sql}, {@code mydb.orders-schema.sql}, {@code mydb.orders.000000001.csv.gz}, …).
 * The first rule whose pattern is found in the path decides; a path no rule matches belongs to no table (Aurora's
 * {@code _SUCCESS} and {@code export_info_*.json} files, say). Paths are relative to data-source-dir and separated
 * by {@code /}. Immutable and thread-safe; patterns are compiled once.
 */
public final class FileRouter {
    /** TiDB Lightning's built-in rules, in its order: they name files the way Dumpling writes them */
    static final List<FileRule> BUILT_IN = List.of(
            builtIn("(?i).*(-schema-trigger|-schema-post)\\.sql(?:\\.(\\w*?))?$", "", "", "ignore", "", ""),
            builtIn("(?i).*\\.(sql|csv|parquet)(\\.(\\w+))?\\.(bak|BAK)$", "", "", "ignore", "", ""),
            builtIn("(?i)^(?:[^/]*/)*([^/.]+)-schema-create\\.sql(?:\\.(\\w*?))?$", "$1", "", "schema-schema",
                    "", "$2"),
            builtIn("(?i)^(?:[^/]*/)*([^/.]+)\\.(.*?)-schema\\.sql(?:\\.(\\w*?))?$", "$1", "$2", "table-schema", "",
                    "$3"),
            builtIn("(?i)^(?:[^/]*/)*([^/.]+)\\.(.*?)-schema-view\\.sql(?:\\.(\\w*?))?$", "$1", "$2", "view-schema",
                    "", "$3"),
            builtIn("(?i)^(?:[^/]*/)*([^/.]+)\\.(.*?)(?:\\.([0-9]+))?\\.(sql|csv|parquet)(?:\\.(\\w+))?$", "$1", "$2",
                    "$4", "$3", "$5"));

    /** a rule ready to match; built-in rules percent-decode the names they take, as Dumpling escapes them */
    private record Compiled(FileRule rule, Pattern regex, boolean unescape, GoTemplate schema, GoTemplate table,
                            GoTemplate type, GoTemplate key, GoTemplate compression) {
        static Compiled of(FileRule rule, boolean unescape) {
            return new Compiled(rule, rule.regex(), unescape, rule.templateOf(rule.schema()),
                    rule.templateOf(rule.table()), rule.templateOf(rule.type()), rule.templateOf(rule.key()),
                    rule.templateOf(rule.compression()));
        }
    }

    private final Mydumper mydumper;
    private final List<Compiled> rules = new ArrayList<>();

    FileRouter(Mydumper mydumper) {
        this.mydumper = mydumper;
        mydumper.files().forEach(r -> rules.add(Compiled.of(r, false)));
        if (mydumper.defaultFileRules()) {
            BUILT_IN.forEach(r -> rules.add(Compiled.of(r, true)));
        }
    }

    private static FileRule builtIn(String pattern, String schema, String table, String type, String key,
                                    String compression) {
        return new FileRule(0, pattern, null, schema, table, type, key, compression,
                Origin.of("mydumper.files (built-in)"));
    }

    /** the rules applied, in order: the file's, then the built-in ones when they apply */
    public List<FileRule> rules() {
        return rules.stream().map(Compiled::rule).toList();
    }

    /** the file's own rules, without the built-in ones */
    public List<FileRule> fileRules() {
        return mydumper.files();
    }

    /**
     * The table a file belongs to and what it holds, by the first rule that matches; empty when no rule does. A file
     * an {@code ignore} rule matches comes back with type {@link SourceType#IGNORE}.
     *
     * @param path relative to data-source-dir, {@code /}-separated, e.g. Aurora's
     *             {@code my-export/mydb/mydb.orders/1/part-00000-….gz.parquet}
     * @throws LightningConfigException when the matching rule makes a type or compression TiDB Lightning does not
     *                                  know (a {@code type = '$3'} whose group captured something else), naming rule,
     *                                  file and value
     */
    public Optional<RoutedFile> route(String path) {
        for (Compiled c : rules) {
            Matcher m = c.regex.matcher(path);
            if (!m.find()) {
                continue;
            }
            String typeWord = c.type.expand(m);
            SourceType type = SourceType.of(typeWord).orElseThrow(() -> routeProblem(c, "type", typeWord, path,
                    "is no type of file", "make the pattern's group capture one of " + SourceType.words()
                            + ", or write the type itself, e.g. type = 'parquet'"));
            if (c.rule.ignoreRule()) {
                return Optional.of(new RoutedFile(path, "", "", SourceType.IGNORE, "", Compression.NONE, c.rule));
            }
            String schema = name(c.schema.expand(m), c.unescape);
            String table = c.rule.databaseRule() || c.table == null ? "" : name(c.table.expand(m), c.unescape);
            String key = c.key == null ? "" : c.key.expand(m);
            Compression compression = Compression.NONE;
            if (c.compression != null) {
                String word = c.compression.expand(m);
                compression = Compression.of(word).orElseThrow(() -> routeProblem(c, "compression", word, path,
                        "is no compression", "make the group capture one of " + Compression.WORDS));
                if (type == SourceType.PARQUET && compression != Compression.NONE) {
                    throw routeProblem(c, "compression", word, path, "compresses a Parquet file as a whole, which"
                            + " is not read (Parquet compresses its pages inside the file)", "store the Parquet"
                            + " file uncompressed; its own page compression is read");
                }
            }
            return Optional.of(new RoutedFile(path, schema, table, type, key, compression, c.rule));
        }
        return Optional.empty();
    }

    /**
     * Routes every path and sets the result against the tables the import must fill — the tables the filter selects
     * on the source, from the source itself or an export's table list (Aurora's {@code export_tables_info_*.json}).
     * Tables cannot be taken from the routed files alone: a table no rule matches (the seed's {@code [a-z0-9_]+}
     * and a name with {@code $}) would then be missing without a word.
     */
    public Coverage cover(Collection<TableRef> selected, Collection<String> paths) {
        List<RoutedFile> routed = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (String path : paths) {
            route(path).ifPresentOrElse(routed::add, () -> unmatched.add(path));
        }
        return new Coverage(mydumper, selected, routed, unmatched);
    }

    private static LightningConfigException routeProblem(Compiled c, String field, String value, String path,
                                                         String what, String fix) {
        Origin o = c.rule.origin();
        return LightningConfigException.of(new Problem(o.file(), o.path(field), o.at(field),
                TomlValues.render(c.rule.templateOf(field.equals("type") ? c.rule.type() : c.rule.compression())
                        .toString()), "made " + TomlValues.render(value) + " of the file " + path + ", which "
                + what, fix));
    }

    /** a name as the rule took it; Dumpling percent-escapes characters a file name cannot hold */
    private static String name(String value, boolean unescape) {
        return unescape ? pathUnescape(value) : value;
    }

    /** Go's url.PathUnescape: %XX decoded as UTF-8; a malformed escape leaves the value as it was, as in Lightning */
    static String pathUnescape(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int plainFrom = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) != '%') {
                continue;
            }
            if (i + 2 >= value.length() || Character.digit(value.charAt(i + 1), 16) < 0
                    || Character.digit(value.charAt(i + 2), 16) < 0) {
                return value;
            }
            bytes.writeBytes(value.substring(plainFrom, i).getBytes(StandardCharsets.UTF_8));
            bytes.write(Character.digit(value.charAt(i + 1), 16) * 16 + Character.digit(value.charAt(i + 2), 16));
            i += 2;
            plainFrom = i + 1;
        }
        bytes.writeBytes(value.substring(plainFrom).getBytes(StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
