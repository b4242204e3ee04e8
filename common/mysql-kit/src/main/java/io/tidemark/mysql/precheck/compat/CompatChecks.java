package io.tidemark.mysql.precheck.compat;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.target.TargetChecks;
import io.tidemark.mysql.precheck.compat.CompatFacts.Column;
import io.tidemark.mysql.precheck.compat.CompatFacts.Index;
import io.tidemark.mysql.precheck.compat.CompatFacts.RowProbe;
import io.tidemark.mysql.precheck.compat.CompatFacts.SchemaObjects;
import io.tidemark.mysql.precheck.compat.CompatFacts.TableStats;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The TiDB-compatibility checks of what a migration selects (issue 9's check-task items). They judge the target as
 * TiDB whatever it answers as: Tidemark's target is TiDB, and a MySQL or MariaDB target stands in for it in tests and
 * rehearsals, so a rehearsal warns and fails as the real run will. Only the collations and lower_case_table_names are
 * read from the target itself. Every check only reads {@link CompatFacts}; an item that could not be read is a
 * warning naming why, never a silent pass.
 */
public final class CompatChecks {
    public static final String TRIGGERS = "triggers";
    public static final String ROUTINES = "routines";
    public static final String EVENTS = "events";
    public static final String VIEWS = "views";
    public static final String SPATIAL = "spatial_types";
    public static final String FULLTEXT = "fulltext_indexes";
    public static final String COLLATIONS = "target_collations";
    public static final String LOWER_CASE = "lower_case_table_names";
    public static final String ROW_SIZE = "row_size";

    /** TiDB's default txn-entry-size-limit: the largest row (key and value) one write may carry */
    public static final long ENTRY_LIMIT = 6L << 20;
    /** the most txn-entry-size-limit may be raised to */
    public static final long ENTRY_LIMIT_MAX = 120L << 20;

    private static final int NAMED = 10;
    private static final Set<String> SPATIAL_TYPES = Set.of("geometry", "point", "linestring", "polygon",
            "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection");

    private CompatChecks() {
    }

    /** every compatibility check, in report order */
    public static List<Precheck<CompatFacts>> all() {
        return List.of(triggers(), routines(), events(), views(), spatial(), fulltext(), collations(), lowerCase(),
                rowSize());
    }

    /** {@code triggers}: WARN naming the selected tables' triggers, which TiDB does not have */
    public static Precheck<CompatFacts> triggers() {
        return new Check(TRIGGERS, f -> notMigrated(TRIGGERS, f.objects(), SchemaObjects::triggers, "trigger",
                "TiDB has no triggers and Tidemark does not copy them: what they do on the source will not happen on"
                        + " the target", "do their work in the application (or drop them) before writes move to"
                        + " the target; during replication the rows they write on the source arrive as ordinary rows"));
    }

    /** {@code routines}: WARN naming the selected schemas' stored procedures and functions */
    public static Precheck<CompatFacts> routines() {
        return new Check(ROUTINES, f -> notMigrated(ROUTINES, f.objects(), SchemaObjects::routines,
                "stored procedure or function", "TiDB has no stored procedures or functions and Tidemark does not"
                        + " copy them", "move their logic into the application before it uses the target; calls to"
                        + " them fail on TiDB"));
    }

    /** {@code events}: WARN naming the selected schemas' scheduled events */
    public static Precheck<CompatFacts> events() {
        return new Check(EVENTS, f -> notMigrated(EVENTS, f.objects(), SchemaObjects::events, "event",
                "TiDB has no event scheduler and Tidemark does not copy events", "run their work from an external"
                        + " scheduler (cron, a job runner) once writes move to the target"));
    }

    /** {@code views}: WARN naming the views the filter matches; the dump skips them and replication ignores them */
    public static Precheck<CompatFacts> views() {
        return new Check(VIEWS, f -> notMigrated(VIEWS, f.objects(),
                o -> o.views().stream().map(TableRef::toString).toList(), "view",
                "Tidemark copies rows, not views: the dump skips them and replication ignores CREATE/ALTER VIEW",
                "after the import, create them on the target (SHOW CREATE VIEW on the source, then run it on the"
                        + " target; TiDB supports views)"));
    }

    /** {@code spatial_types}: FAIL for geometry columns and SPATIAL indexes, which TiDB does not have */
    public static Precheck<CompatFacts> spatial() {
        return new Check(SPATIAL, CompatChecks::spatial);
    }

    /** {@code fulltext_indexes}: WARN; TiDB parses FULLTEXT but does not build or use the index */
    public static Precheck<CompatFacts> fulltext() {
        return new Check(FULLTEXT, CompatChecks::fulltext);
    }

    /** {@code target_collations}: FAIL for a column or table collation (or charset) the target lacks */
    public static Precheck<CompatFacts> collations() {
        return new Check(COLLATIONS, CompatChecks::collations);
    }

    /** {@code lower_case_table_names}: source and target fold table names alike, or no selected name clashes */
    public static Precheck<CompatFacts> lowerCase() {
        return new Check(LOWER_CASE, CompatChecks::lowerCase);
    }

    /** {@code row_size}: no row above TiDB's entry size limit; FAIL only above the most it can be raised to */
    public static Precheck<CompatFacts> rowSize() {
        return new Check(ROW_SIZE, CompatChecks::rowSize);
    }

    private static CheckResult notMigrated(String name, Fact<SchemaObjects> objects,
                                           Function<SchemaObjects, List<String>> kind, String what, String why,
                                           String instruction) {
        if (!objects.known()) {
            return unread(name, objects, what + "s");
        }
        List<String> found = kind.apply(objects.value());
        if (found.isEmpty()) {
            return CheckResult.pass(name, "no " + what + "s in what the migration selects");
        }
        return CheckResult.warn(name, (found.size() == 1 ? what : found.size() + " " + what + "s") + " not migrated: "
                + names(found) + "; " + why, instruction);
    }

    private static CheckResult spatial(CompatFacts f) {
        if (!f.columns().known() || !f.indexes().known()) {
            return unread(SPATIAL, f.columns().known() ? f.indexes() : f.columns(), "column types and indexes");
        }
        List<String> uses = new ArrayList<>();
        f.columns().value().stream().filter(c -> SPATIAL_TYPES.contains(c.dataType()))
                .forEach(c -> uses.add(c.table() + "." + c.name() + " (" + c.dataType() + ")"));
        f.indexes().value().stream().filter(i -> i.type().equals("SPATIAL"))
                .forEach(i -> uses.add(i.table() + " index " + i.name() + " (SPATIAL)"));
        if (uses.isEmpty()) {
            return CheckResult.pass(SPATIAL, "no spatial columns or indexes in the selected tables");
        }
        TidemarkException e = new TidemarkException(ErrorCode.TIDB_SPATIAL_UNSUPPORTED, names(uses));
        return CheckResult.fail(SPATIAL, e, ErrorCode.TIDB_SPATIAL_UNSUPPORTED.remedy());
    }

    private static CheckResult fulltext(CompatFacts f) {
        if (!f.indexes().known()) {
            return unread(FULLTEXT, f.indexes(), "indexes");
        }
        List<String> found = f.indexes().value().stream().filter(i -> i.type().equals("FULLTEXT"))
                .map(i -> i.table() + " index " + i.name()).toList();
        if (found.isEmpty()) {
            return CheckResult.pass(FULLTEXT, "no FULLTEXT indexes in the selected tables");
        }
        return CheckResult.warn(FULLTEXT, "FULLTEXT " + (found.size() == 1 ? "index " : "indexes ") + names(found)
                        + ": TiDB accepts the FULLTEXT syntax but builds no such index, so MATCH ... AGAINST queries"
                        + " fail on the target; the rows migrate",
                "move full-text search off the database (a search engine fed from the target), or to TiDB's own"
                        + " full-text search where your TiDB offers it; the tables need nothing");
    }

    private static CheckResult collations(CompatFacts f) {
        if (!f.columns().known() || !f.tables().known()) {
            return unread(COLLATIONS, f.columns().known() ? f.tables() : f.columns(), "collations in use");
        }
        if (!f.targetCollations().known() || !f.targetCharsets().known()) {
            return unread(COLLATIONS, f.targetCollations().known() ? f.targetCharsets() : f.targetCollations(),
                    "the target's collations");
        }
        Set<String> has = f.targetCollations().value();
        Set<String> charsets = f.targetCharsets().value();
        Set<String> used = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (TableStats t : f.tables().value()) {
            if (t.collation() != null) {
                used.add(t.collation().toLowerCase(Locale.ROOT));
                if (!has.contains(t.collation().toLowerCase(Locale.ROOT))) {
                    missing.add(t.table() + " (table default " + t.collation() + ")");
                }
            }
        }
        for (Column c : f.columns().value()) {
            if (c.collation() == null) {
                continue;
            }
            used.add(c.collation().toLowerCase(Locale.ROOT));
            if (!has.contains(c.collation().toLowerCase(Locale.ROOT))) {
                boolean noCharset = c.charset() != null && !charsets.contains(c.charset().toLowerCase(Locale.ROOT));
                missing.add(c.table() + "." + c.name() + " (" + c.collation()
                        + (noCharset ? ", character set " + c.charset() + " missing too" : "") + ")");
            }
        }
        if (missing.isEmpty()) {
            return CheckResult.pass(COLLATIONS, "the target has every collation the selected tables use ("
                    + String.join(", ", used) + ")");
        }
        TidemarkException e = new TidemarkException(ErrorCode.TARGET_COLLATION_MISSING, f.target(), names(missing));
        return CheckResult.fail(COLLATIONS, e, ErrorCode.TARGET_COLLATION_MISSING.remedy());
    }

    private static CheckResult lowerCase(CompatFacts f) {
        if (!f.sourceLowerCase().known() || !f.targetLowerCase().known()) {
            return unread(LOWER_CASE, f.sourceLowerCase().known() ? f.targetLowerCase() : f.sourceLowerCase(),
                    "lower_case_table_names");
        }
        int source = f.sourceLowerCase().value();
        int target = f.targetLowerCase().value();
        String both = "source lower_case_table_names=" + source + ", target " + target;
        if (source == 0 && target != 0) {
            // the source tells Foo from foo, the target does not: two such names in one schema cannot both migrate
            Map<String, List<TableRef>> byFolded = new LinkedHashMap<>();
            f.selected().forEach(t -> byFolded.computeIfAbsent(t.toString().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(t));
            List<String> clashes = byFolded.values().stream().filter(l -> l.size() > 1)
                    .map(l -> l.stream().map(TableRef::toString).collect(Collectors.joining(" and "))).toList();
            if (!clashes.isEmpty()) {
                TidemarkException e = new TidemarkException(ErrorCode.TABLE_NAME_CASE_CONFLICT, f.target(), target,
                        names(clashes));
                return CheckResult.fail(LOWER_CASE, e, ErrorCode.TABLE_NAME_CASE_CONFLICT.remedy());
            }
            List<String> upper = f.selected().stream().map(TableRef::toString)
                    .filter(n -> !n.equals(n.toLowerCase(Locale.ROOT))).toList();
            if (upper.isEmpty()) {
                return CheckResult.pass(LOWER_CASE, both + "; every selected name is lower case, so both treat"
                        + " them alike");
            }
            return CheckResult.warn(LOWER_CASE, both + ": the target matches table names without letter case"
                            + (target == 1 ? " and stores them in lower case" : "") + "; selected names with upper"
                            + " case: " + names(upper),
                    "nothing to do for the migration; check that no application relies on names differing only in"
                            + " case, and that filters and routes you add later match names case-insensitively on"
                            + " the target");
        }
        if (source != 0 && target == 0) {
            return CheckResult.warn(LOWER_CASE, both + ": the source matches table names without letter case, the"
                            + " target with it, so a statement that spells a name differently from how it is stored"
                            + " works on the source and fails on the target",
                    "set the target's lower_case_table_names to the source's (TiDB supports only 2, its default), or"
                            + " make applications spell table names exactly as stored");
        }
        return CheckResult.pass(LOWER_CASE, both + (source == target ? "" : ": both match names without letter case"));
    }

    private static CheckResult rowSize(CompatFacts f) {
        if (!f.tables().known() || !f.columns().known()) {
            return unread(ROW_SIZE, f.tables().known() ? f.columns() : f.tables(), "row sizes");
        }
        Map<TableRef, Long> largest = new LinkedHashMap<>();
        f.tables().value().forEach(t -> largest.merge(t.table(), t.avgRowLength(), Math::max));
        Set<TableRef> probed = new LinkedHashSet<>();
        if (f.largestRows().known()) {
            for (RowProbe p : f.largestRows().value()) {
                probed.add(p.table());
                largest.merge(p.table(), p.bytes(), Math::max);
            }
        }
        List<String> tooLarge = largest.entrySet().stream().filter(e -> e.getValue() > ENTRY_LIMIT_MAX)
                .map(e -> e.getKey() + " (" + mib(e.getValue()) + ")").toList();
        if (!tooLarge.isEmpty()) {
            TidemarkException e = new TidemarkException(ErrorCode.ROW_TOO_LARGE, names(tooLarge));
            return CheckResult.fail(ROW_SIZE, e, ErrorCode.ROW_TOO_LARGE.remedy());
        }
        List<String> over = largest.entrySet().stream().filter(e -> e.getValue() > ENTRY_LIMIT)
                .map(e -> e.getKey() + " (" + (probed.contains(e.getKey()) ? "largest row " : "average row ")
                        + mib(e.getValue()) + ")").toList();
        Set<TableRef> unprobed = new LinkedHashSet<>();
        f.columns().value().stream().filter(Column::large).map(Column::table)
                .filter(t -> !probed.contains(t)).forEach(unprobed::add);
        String unprobedText = unprobed.isEmpty() ? "" : "tables with MEDIUM/LONG BLOB/TEXT or JSON columns too large"
                + " to measure (over " + CompatFacts.PROBE_MAX_ROWS + " rows or " + mib(CompatFacts.PROBE_MAX_BYTES)
                + ") may hold rows above it: "
                + names(unprobed.stream().map(TableRef::toString).toList());
        if (over.isEmpty() && unprobed.isEmpty()) {
            return CheckResult.pass(ROW_SIZE, "no selected table has rows above TiDB's default entry size limit ("
                    + mib(ENTRY_LIMIT) + ")");
        }
        long need = largest.values().stream().mapToLong(Long::longValue).max().orElse(0);
        String message = over.isEmpty() ? unprobedText
                : "rows above TiDB's default entry size limit (txn-entry-size-limit, " + mib(ENTRY_LIMIT) + "): "
                + names(over) + (unprobedText.isEmpty() ? "" : "; " + unprobedText);
        return CheckResult.warn(ROW_SIZE, message, "on TiDB set performance.txn-entry-size-limit (tidb.toml)"
                + (over.isEmpty() ? "" : " to at least " + mib(need)) + " above the largest row, at most "
                + mib(ENTRY_LIMIT_MAX) + ", before the migration; the load and replication otherwise stop with"
                + " 'entry too large' on such a row");
    }

    private static CheckResult unread(String name, Fact<?> fact, String what) {
        return CheckResult.warn(name, "cannot read " + what + ": " + fact.error().detail(),
                "grant the account read access to information_schema and the selected schemas, then check again;"
                        + " until then this item is not checked");
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static String names(Collection<String> items) {
        String named = items.stream().limit(NAMED).collect(Collectors.joining(", "));
        return items.size() > NAMED ? named + " and " + (items.size() - NAMED) + " more" : named;
    }

    /** one item: its name, what it needs, its decision */
    private record Check(String name, Function<CompatFacts, CheckResult> decide) implements Precheck<CompatFacts> {
        @Override
        public Set<String> needs() {
            return Set.of(SourceChecks.LOGIN, TargetChecks.LOGIN, SourceChecks.TABLES_SELECTED);
        }

        @Override
        public CheckResult check(CompatFacts facts) {
            return decide.apply(facts);
        }
    }
}
