package io.tidemark.coordinator.config.lightning;

import io.tidemark.common.command.CsvFormat;

import java.util.List;

/**
 * The {@code [mydumper.csv]} section: how CSV data files are written, with TiDB Lightning's defaults — fields
 * separated by {@code ,}, quoted by {@code "}, rows ended by either line ending, a header row, {@code \N} for NULL,
 * backslash escapes.
 *
 * @param terminator what ends a row; empty = {@code \n} or {@code \r\n}
 * @param nulls      the field values that mean NULL ({@code null}, a string or an array of them); ignored when
 *                   {@code notNull}
 */
public record Csv(String separator, String delimiter, String terminator, boolean header, boolean notNull,
                  List<String> nulls, boolean backslashEscape, boolean trimLastSeparator, Origin origin) {
    public Csv {
        Checks c = new Checks(origin);
        if (separator == null || separator.isEmpty()) {
            c.fail("separator", separator, "must not be empty", "write separator = ','");
        } else if (delimiter != null && !delimiter.isEmpty()
                && (separator.startsWith(delimiter) || delimiter.startsWith(separator))) {
            c.fail("delimiter", delimiter, "and separator " + TomlValues.render(separator) + " must not begin with"
                    + " one another, or a field could not be told from a quote", "write delimiter = '\"' and"
                    + " separator = ','");
        }
        if (backslashEscape) {
            for (String[] k : new String[][]{{"separator", separator}, {"delimiter", delimiter},
                    {"terminator", terminator}}) {
                if ("\\".equals(k[1])) {
                    c.fail(k[0], k[1], "is a backslash, which backslash-escape = true makes the escape character",
                            "write backslash-escape = false or use another " + k[0]);
                }
            }
        }
        delimiter = delimiter == null ? "" : delimiter;
        terminator = terminator == null ? "" : terminator;
        nulls = nulls == null ? List.of("\\N") : List.copyOf(nulls);
        if (!notNull && nulls.isEmpty()) {
            nulls = List.of(""); // as TiDB Lightning: no NULL marker given means an empty field is NULL
        }
        c.done();
    }

    /** the format the import's workers read the files in; trim-last-separator is not part of it (LOAD DATA has none) */
    public CsvFormat format() {
        return new CsvFormat(separator, delimiter, terminator, header, notNull ? List.of() : nulls, backslashEscape);
    }

    static Csv defaults(Origin origin) {
        return new Csv(",", "\"", "", true, false, List.of("\\N"), true, false, origin);
    }

    static Csv read(TomlSection s) {
        return new Csv(s.string("separator").orElse(","), s.string("delimiter").orElse("\""),
                s.string("terminator").orElse(""), s.bool("header").orElse(true), s.bool("not-null").orElse(false),
                s.strings("null", true).orElse(List.of("\\N")), s.bool("backslash-escape").orElse(true),
                s.bool("trim-last-separator").orElse(false), s.origin());
    }
}
