package io.tidemark.common.command;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How an import's CSV files are written: TiDB Lightning's {@code [mydumper.csv]}, as far as the workers' {@code LOAD
 * DATA} can read it. {@link #dumpling()} is what Dumpling writes by default and what a Tidemark dump holds.
 *
 * @param separator       what separates fields ({@code FIELDS TERMINATED BY}); one or more characters
 * @param delimiter       what quotes a field ({@code OPTIONALLY ENCLOSED BY}); "" for none
 * @param terminator      what ends a row ({@code LINES TERMINATED BY}); "" for a line feed, as Dumpling writes
 * @param header          whether the first line names the columns ({@code IGNORE 1 LINES}; rows then load by name)
 * @param nulls           the field values that mean NULL; empty for none (Lightning's {@code not-null = true})
 * @param backslashEscape whether a backslash escapes the byte after it ({@code ESCAPED BY '\\'}, else {@code ''})
 */
public record CsvFormat(String separator, String delimiter, String terminator, boolean header, List<String> nulls,
                        boolean backslashEscape) {
    private static final CsvFormat DUMPLING = new CsvFormat(",", "\"", "", true, List.of("\\N"), true);

    public CsvFormat {
        Objects.requireNonNull(separator, "separator");
        delimiter = delimiter == null ? "" : delimiter;
        terminator = terminator == null ? "" : terminator;
        nulls = nulls == null ? List.of("\\N") : List.copyOf(nulls);
    }

    /** Dumpling's defaults: {@code ,} {@code "} line feed, a header, {@code \N}, backslash escapes */
    public static CsvFormat dumpling() {
        return DUMPLING;
    }

    /** what a row ends with in the bytes: the terminator, or a line feed */
    public String lineEnd() {
        return terminator.isEmpty() ? "\n" : terminator;
    }

    /**
     * Why {@code LOAD DATA} cannot read files written so, or empty when it can. It knows one quoting character, and
     * NULL only as {@code \N} (with backslash escapes) or as an unquoted {@code NULL} (with a delimiter).
     */
    public Optional<String> unloadable() {
        if (separator.isEmpty()) {
            return Optional.of("the separator is empty");
        }
        if (delimiter.length() > 1) {
            return Optional.of("the delimiter " + delimiter + " is more than one character, and LOAD DATA quotes"
                    + " fields with one (ENCLOSED BY)");
        }
        if (nulls.size() > 1) {
            return Optional.of("it names " + nulls.size() + " NULL markers " + nulls + ", and LOAD DATA knows one");
        }
        if (!nulls.isEmpty()) {
            String marker = nulls.getFirst();
            boolean escapedN = marker.equals("\\N") && backslashEscape;
            boolean word = marker.equals("NULL") && !delimiter.isEmpty();
            if (!escapedN && !word) {
                return Optional.of("its NULL marker " + (marker.isEmpty() ? "(an empty field)" : marker)
                        + " is not one LOAD DATA reads as NULL: \\N with backslash-escape = true, or an unquoted"
                        + " NULL with a delimiter");
            }
        }
        return Optional.empty();
    }
}
