package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableFilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code [mydumper]} section: where the files are, which tables to import, and how to read and route the files.
 *
 * @param filter           the table filter rules as written (Dumpling/Lightning syntax, last matching rule wins);
 *                         {@code ["*.*"]} when not set — system schemas are never selected
 * @param noSchema         {@code no-schema = true}: the target's tables exist already, create none
 * @param characterSet     how the schema files are encoded
 * @param strictFormat     {@code strict-format = true}: no CSV value holds a line break, so a CSV file may be cut at
 *                         any row end — it then needs a {@code csv.terminator}, as in TiDB Lightning
 * @param files            the file's {@code [[mydumper.files]]} rules, in order
 * @param defaultFileRules whether TiDB Lightning's built-in rules (Dumpling's file names) apply after the file's own:
 *                         always when the file has none, else when {@code default-file-rules = true}
 */
public record Mydumper(DataSourceDir dataSourceDir, List<String> filter, boolean noSchema, CharacterSet characterSet,
                       boolean strictFormat, Csv csv, List<FileRule> files, boolean defaultFileRules, Origin origin) {
    /** {@code character-set}: the encoding of the schema files, in TiDB Lightning's words */
    public enum CharacterSet {
        /** UTF-8, or GB18030 when the file is not UTF-8 */
        AUTO("auto"), UTF8MB4("utf8mb4"), GB18030("gb18030"), LATIN1("latin1"),
        /** read as bytes, no decoding */
        BINARY("binary");

        private final String word;

        CharacterSet(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Optional<CharacterSet> of(String word) {
            String w = word.strip().toLowerCase(Locale.ROOT);
            return w.equals("utf8") ? Optional.of(UTF8MB4)
                    : Arrays.stream(values()).filter(c -> c.word.equals(w)).findFirst();
        }
    }

    public Mydumper {
        Checks c = new Checks(origin);
        if (dataSourceDir == null) {
            c.fail("data-source-dir", null, "must say where the files to import are",
                    "write data-source-dir = \"s3://my-bucket/my-export\" or an absolute path");
        }
        filter = filter == null ? List.of("*.*") : List.copyOf(filter);
        if (filter.isEmpty()) {
            c.fail("filter", filter, "selects no table", "write filter = ['mydb.*'] or leave filter out for all"
                    + " tables");
        }
        for (String rule : filter) {
            try {
                TableFilter.parse(rule);
            } catch (TidemarkException e) {
                c.fail("filter", filter, "has the rule " + TomlValues.render(rule) + " that does not parse: "
                        + e.detail(), e.error().remedy());
            }
        }
        characterSet = characterSet == null ? CharacterSet.AUTO : characterSet;
        csv = csv == null ? Csv.defaults(Origin.of(origin == null ? "mydumper.csv" : origin.path("csv"))) : csv;
        files = files == null ? List.of() : List.copyOf(files);
        defaultFileRules = defaultFileRules || files.isEmpty();
        if (strictFormat && csv.terminator().isEmpty()) {
            c.fail("strict-format", true, "needs mydumper.csv.terminator: a file is cut at row ends, which an"
                    + " empty terminator (\\n or \\r\\n) does not pin down", "write terminator = \"\\n\" (or"
                    + " \"\\r\\n\") under [mydumper.csv], or strict-format = false");
        }
        c.done();
    }

    /** the filter, parsed */
    public TableFilter tableFilter() {
        return TableFilter.parse(filter);
    }

    /** routes file paths to tables by the file's rules, then the built-in ones when they apply */
    public FileRouter fileRouter() {
        return new FileRouter(this);
    }

    static Mydumper read(TomlSection s, Findings findings) {
        DataSourceDir dir = s.string("data-source-dir")
                .map(uri -> findings.build(() -> new DataSourceDir(uri, s.origin()))).orElse(null);
        if (dir != null) {
            dir.parameters().keySet().stream().filter(DataSourceDir.S3_WRITE_ONLY::contains).forEach(p ->
                    findings.note(new Note(s.path("data-source-dir"), s.at("data-source-dir").line(), "the URI"
                            + " parameter " + p + " shapes objects written to S3; Tidemark only reads from"
                            + " data-source-dir, so it has no effect")));
        }
        List<String> filter = s.strings("filter", false).orElse(null);
        boolean noSchema = s.bool("no-schema").orElse(false);
        CharacterSet charset = s.string("character-set").flatMap(word -> {
            Optional<CharacterSet> set = CharacterSet.of(word);
            if (set.isEmpty()) {
                s.fail("character-set", word, "is not a character set TiDB Lightning reads schema files in",
                        "write character-set = \"auto\" (or utf8mb4, gb18030, latin1, binary)");
            }
            return set;
        }).orElse(CharacterSet.AUTO);
        boolean strict = s.bool("strict-format").orElse(false);
        TomlSection csvSection = s.section("csv");
        // a part that failed is reported already; the section is still built without it, to find what else is wrong
        Csv read = csvSection.present() ? findings.build(() -> Csv.read(csvSection)) : null;
        boolean csvFailed = csvSection.present() && read == null;
        Csv csv = read == null ? Csv.defaults(csvSection.origin()) : read;
        List<FileRule> rules = new ArrayList<>();
        List<TomlSection> ruleSections = s.tables("files");
        for (int i = 0; i < ruleSections.size(); i++) {
            int index = i + 1;
            TomlSection rule = ruleSections.get(i);
            Optional.ofNullable(findings.build(() -> FileRule.read(index, rule))).ifPresent(rules::add);
        }
        boolean defaults = s.bool("default-file-rules").orElse(false);
        // with the CSV section faulted, its terminator is unknown: strict-format is not held against it
        boolean strictChecked = strict && !csvFailed;
        return findings.build(() -> new Mydumper(dir, filter, noSchema, charset, strictChecked, csv, rules, defaults,
                s.origin()));
    }
}
