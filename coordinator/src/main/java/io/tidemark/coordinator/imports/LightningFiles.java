package io.tidemark.coordinator.imports;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.layout.UnreadableCompression;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.config.lightning.Coverage;
import io.tidemark.coordinator.config.lightning.Csv;
import io.tidemark.coordinator.config.lightning.FileRouter;
import io.tidemark.coordinator.config.lightning.FileRule;
import io.tidemark.coordinator.config.lightning.LightningConfig;
import io.tidemark.coordinator.config.lightning.LightningConfigException;
import io.tidemark.coordinator.config.lightning.Origin;
import io.tidemark.coordinator.config.lightning.Position;
import io.tidemark.coordinator.config.lightning.Problem;
import io.tidemark.coordinator.config.lightning.RoutedFile;
import io.tidemark.coordinator.config.lightning.SourceType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A TiDB Lightning file set against the files under its {@code data-source-dir}, before anything is imported:
 * <ul>
 * <li>Files that hold no rows at all make a schema import (the seed's {@code tidb-lightning-schema.toml}): each
 *     selected table needs its {@code CREATE TABLE} file ({@link Coverage#requireSchema()}), and
 *     {@code no-schema = true} would leave nothing to do.</li>
 * <li>Otherwise each selected table the files hold rows of needs a data file the rules route to it
 *     ({@link Coverage#requireData()}) — TiDB Lightning would import the other tables and say nothing.</li>
 * <li>Tidemark's import reads the files by their {@link Layout}, not by the rules: a rule that routes a data or
 *     {@code CREATE TABLE} file to another table than the layout does (or a file the layout reads no table from) is
 *     refused, naming the rule, the file and both tables, rather than imported otherwise than the file says.</li>
 * </ul>
 * Every problem found is reported at once, each with the rule's line.
 */
public final class LightningFiles {
    private static final int NAMED = 5;
    private static final String SEED_RULE = "[[mydumper.files]] pattern = '(?i)^(?:[^/]*/)*([a-z0-9_]+)\\.([a-z0-9_]+)/"
            + "(?:[^/]*/)*(?:[a-z0-9\\-_.]+\\.(parquet))$', schema = '$1', table = '$2', type = '$3'";

    private LightningFiles() {
    }

    /** a file a rule routes to another table than its layout does */
    private record Disagreement(RoutedFile routed, Layout.Read read) {
    }

    /**
     * @return the tables the import takes, as the layout names them
     * @throws LightningConfigException listing every problem, each naming its key and line
     */
    public static FoundTables check(LightningConfig config, ImportFiles files) {
        FileRouter router = config.fileRouter();
        TableFilter filter = config.mydumper().tableFilter();
        FoundTables found = FoundTables.of(files, null, filter);
        Map<FileRule, List<Disagreement>> byRule = new LinkedHashMap<>();
        boolean routedRows = false;
        // refused by name before routing: a rule would route such a file to no table or to one the import cannot fill
        List<UnreadableCompression> unreadable = files.files().keySet().stream()
                .flatMap(p -> UnreadableCompression.of(p).stream()).toList();
        for (String path : files.files().keySet()) {
            if (UnreadableCompression.of(path).isPresent()) {
                continue;
            }
            RoutedFile routed = router.route(path).orElse(null);
            if (routed == null || !(routed.type().data() || routed.type() == SourceType.TABLE_SCHEMA)) {
                continue;
            }
            routedRows |= routed.type().data();
            TableRef ruleTable = TableRef.of(routed.schema(), routed.table());
            Layout.Read read = Layout.of(path).orElse(null);
            if (!filter.matches(ruleTable) && (read == null || !filter.matches(read.table()))) {
                continue;
            }
            Layout.Kind kind = routed.type().data() ? Layout.Kind.DATA : Layout.Kind.TABLE_SCHEMA;
            if (read == null || read.kind() != kind || !same(read.table(), ruleTable)) {
                byRule.computeIfAbsent(routed.rule(), r -> new ArrayList<>()).add(new Disagreement(routed, read));
            }
        }
        List<Problem> problems = new ArrayList<>();
        unreadable(config, unreadable, filter).ifPresent(problems::add);
        byRule.forEach((rule, routed) -> problems.add(disagreement(config, rule, routed)));

        boolean schemaImport = !found.anyData() && !routedRows;
        // the tables the rules miss follow from the disagreements: those are what to fix first
        if (problems.isEmpty()) {
            List<String> paths = files.files().keySet().stream()
                    .filter(p -> UnreadableCompression.of(p).isEmpty()).toList();
            try {
                if (schemaImport && config.mydumper().noSchema()) {
                    problems.add(nothingToDo(config, files));
                } else if (schemaImport) {
                    router.cover(found.schemaTables(), paths).requireSchema();
                } else {
                    router.cover(found.dataTables(), paths).requireData();
                }
            } catch (LightningConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (problems.isEmpty() && found.tables().isEmpty()) {
            problems.add(noTable(config, files, found));
        }
        csvAsWritten(config, found).ifPresent(problems::add);
        if (!problems.isEmpty()) {
            throw new LightningConfigException(problems);
        }
        return found;
    }

    private static boolean same(TableRef a, TableRef b) {
        return a.schema().toLowerCase(Locale.ROOT).equals(b.schema().toLowerCase(Locale.ROOT))
                && a.table().toLowerCase(Locale.ROOT).equals(b.table().toLowerCase(Locale.ROOT));
    }

    private static Problem disagreement(LightningConfig config, FileRule rule, List<Disagreement> files) {
        Disagreement first = files.getFirst();
        RoutedFile routed = first.routed();
        String what = routed.type().data() ? "data file" : "CREATE TABLE file";
        String routedTo = TableRef.of(routed.schema(), routed.table()).quoted();
        String more = files.size() == 1 ? "" : " (and " + (files.size() - 1) + " more files like it)";
        String layout = first.read() == null
                ? "Tidemark's import reads no table from that file: it reads files by their layout — Dumpling's names"
                + " (db.table-schema.sql, db.table.000000001.sql or .csv, or either compressed as .gz, .zst or .snappy) or an Aurora export's"
                + " <db>/<db>.<table>/ folders of Parquet files"
                : "Tidemark's import reads the file by its layout (" + first.read().how() + ") as "
                + (first.read().kind() == Layout.Kind.DATA ? "rows" : "the CREATE TABLE statement") + " of "
                + first.read().table().quoted() + ", whatever the rules say";
        String fix = first.read() == null
                ? "put the files in one of those layouts (rename them as Dumpling names them), or exclude "
                + routedTo + " from the filter (\"!" + routed.schema() + "." + routed.table() + "\")"
                : "make the rule name the table the layout does"
                + (first.read().how().startsWith("the Aurora") ? " (the seed's rule does: " + SEED_RULE + ")" : "")
                + ", or remove the rule";
        if (rule.builtIn()) {
            Origin m = config.mydumper().origin();
            String why = config.mydumper().files().isEmpty() ? "is not set, so" : "has no rule that matches it, so";
            return new Problem(m.file(), m.path("files"), m.header(), null, why + " TiDB Lightning's built-in"
                    + " rule " + rule.pattern() + " routes the " + what + " " + routed.path() + more + " to "
                    + routedTo + "; " + layout, first.read() != null && first.read().how().startsWith("the Aurora")
                    ? "add the seed's rule for Aurora snapshot exports: " + SEED_RULE : fix);
        }
        Origin o = rule.origin();
        String key = rule.pattern() != null ? "pattern" : "path";
        return new Problem(o.file(), o.path(key), o.at(key), null, "of " + rule.describe() + " routes the " + what
                + " " + routed.path() + more + " to " + routedTo + "; " + layout, fix);
    }

    /**
     * The workers read CSV files in the format {@code [mydumper.csv]} says, through LOAD DATA: a format it cannot read
     * ({@link io.tidemark.common.command.CsvFormat#unloadable()}, or trim-last-separator) is refused when the import
     * takes a CSV file, rather than loaded otherwise than written.
     */
    private static Optional<Problem> csvAsWritten(LightningConfig config, FoundTables found) {
        Csv csv = config.mydumper().csv();
        boolean takesCsv = found.tables().stream().flatMap(t -> found.dataFiles(t).stream())
                .anyMatch(f -> DumpLayout.parseDataFile(f).map(d -> d.extension().equals("csv"))
                        .orElse(f.endsWith(".csv")));
        Optional<String> why = csv.trimLastSeparator()
                ? Optional.of("trim-last-separator = true, and LOAD DATA cannot drop a separator ending a row")
                : csv.format().unloadable();
        if (!takesCsv || why.isEmpty()) {
            return Optional.empty();
        }
        Origin o = csv.origin();
        return Optional.of(new Problem(o.file(), o.section(), o.header(), null, "says the CSV files are written in a"
                + " format Tidemark's import cannot read with LOAD DATA: " + why.get() + " ("
                + ErrorCode.CSV_FORMAT_UNSUPPORTED.code() + ")", "write the CSV files with one quoting character"
                + " (delimiter), NULL as \\N (backslash-escape = true) or as an unquoted NULL (with a delimiter) and no"
                + " trailing separator, e.g. Dumpling's defaults (dumpling --filetype csv), and say so in"
                + " [mydumper.csv]"));
    }

    /**
     * The files of selected tables compressed as Tidemark's import does not read ({@link UnreadableCompression}), as
     * one problem; the files of tables the filter leaves out are let be.
     */
    private static Optional<Problem> unreadable(LightningConfig config, List<UnreadableCompression> found,
                                                TableFilter filter) {
        List<UnreadableCompression> refused = found.stream().filter(u -> u.createsDatabase()
                ? filter.matchesSchema(u.table().schema()) : filter.matches(u.table())).toList();
        if (refused.isEmpty()) {
            return Optional.empty();
        }
        UnreadableCompression first = refused.getFirst();
        String more = refused.size() == 1 ? "" : " (and " + (refused.size() - 1) + " more: " + refused.stream()
                .skip(1).limit(NAMED).map(UnreadableCompression::path).collect(Collectors.joining(", "))
                + (refused.size() - 1 > NAMED ? ", …" : "") + ")";
        Origin m = config.mydumper().origin();
        return Optional.of(new Problem(m.file(), m.path("data-source-dir"), m.at("data-source-dir"), null, "holds "
                + first.path() + more + ", compressed as " + first.compression() + ", which Tidemark's import does"
                + " not read: it holds " + first.holds() + ", which the import would leave out ("
                + ErrorCode.FILE_COMPRESSION_UNSUPPORTED.code() + ")", ErrorCode.FILE_COMPRESSION_UNSUPPORTED.remedy()
                .replace("; then resume with POST /api/v1/migrations/{id}/retry", "")));
    }

    private static Problem nothingToDo(LightningConfig config, ImportFiles files) {
        Origin m = config.mydumper().origin();
        return new Problem(m.file(), m.path("no-schema"), m.at("no-schema"), "true", "leaves nothing to import: the"
                + " files under " + files.shown() + " hold no rows, only CREATE statements, and no-schema = true"
                + " says not to run them", "remove no-schema to create the tables from these files, or point"
                + " data-source-dir at the data files");
    }

    private static Problem noTable(LightningConfig config, ImportFiles files, FoundTables found) {
        Origin m = config.mydumper().origin();
        if (!found.unselected().isEmpty()) {
            List<TableRef> unselected = found.unselected();
            String tables = unselected.stream().limit(NAMED).map(TableRef::toString).collect(Collectors.joining(", "))
                    + (unselected.size() > NAMED ? " and " + (unselected.size() - NAMED) + " more" : "");
            return new Problem(m.file(), m.path("filter"), m.at("filter"), null, "selects none of the tables the"
                    + " files under " + files.shown() + " hold: " + tables, "write rules that select them, e.g."
                    + " filter = ['" + found.unselected().getFirst().schema() + ".*']");
        }
        Position at = m.at("data-source-dir");
        String seen = files.files().isEmpty() ? "nothing is there"
                : "of its " + files.files().size() + " files (" + files.files().keySet().stream().limit(NAMED)
                .collect(Collectors.joining(", ")) + (files.files().size() > NAMED ? ", …" : "") + ") none belongs to"
                + " a table";
        return new Problem(m.file(), m.path("data-source-dir"), at, null, "holds no file of a table Tidemark's import"
                + " reads: " + seen, "point data-source-dir at the folder the export or dump wrote: Dumpling's files,"
                + " or an Aurora snapshot export (the S3 prefix given to the export task)");
    }
}
