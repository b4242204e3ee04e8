package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.table.TableRouter;
import io.tidemark.coordinator.migration.TargetTableSetup;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.target.TargetChecks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code target_tables}: the target tables the migration will write, where they exist already, fit the source's.
 * <ul>
 * <li>Modes {@code full} and {@code all} with {@code targetTables: create} (the default): the import writes rows by
 *     position into tables it would have created, so an existing table must be defined exactly as on the source
 *     ({@link TableComparison#exact}) and hold no rows.</li>
 * <li>Modes {@code full} and {@code all} with {@code targetTables: pre-created}: rows are written by column name,
 *     so an existing table must take the source's columns ({@link TableComparison#byName}); other keys and rows
 *     already there are warned of.</li>
 * <li>Mode {@code incremental}: replication writes by column name into tables an import filled, so only the
 *     comparison by name applies; a table the target lacks is warned of.</li>
 * </ul>
 * A table the spec's routes rename is compared with its routed target table.
 */
final class TargetTablesCheck implements Precheck<MigrationFacts> {
    static final String NAME = "target_tables";
    /** a report names this many tables, then counts the rest */
    private static final int NAMED = 10;
    private static final String CREATED_BY_TIDEMARK = "drop or rename the listed target tables (or empty them, if"
            + " only their rows are in the way) so that Tidemark creates them from the source's definitions; if they"
            + " were created by hand on purpose, set \"targetTables\": \"pre-created\" in the spec: rows are then"
            + " written by column name, and each table needs every source column with a type that holds its values";
    private static final String WRITTEN_BY_NAME = "alter the listed target tables: every source column must be there"
            + " with a type that holds its values (the same or wider) and allow NULL where the source does, and every"
            + " other column must allow NULL or have a default";
    private static final String NOTES = "check that these differences are meant: rows already in a target table stay"
            + " beside the source's, updates and deletes find their rows by the target's keys, and a table missing"
            + " on the target must be created there before replication writes to it";

    private final Set<String> needs;

    TargetTablesCheck(Mode mode) {
        this.needs = mode.snapshots() ? Set.of(SourceChecks.LOGIN, SourceChecks.TABLES_SELECTED, TargetChecks.LOGIN)
                : Set.of(SourceChecks.LOGIN, TargetChecks.LOGIN);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> needs() {
        return needs;
    }

    @Override
    public CheckResult check(MigrationFacts f) {
        for (var fact : List.of(f.sourceTables(), f.targetTables())) {
            if (!fact.known()) {
                return CheckResult.fail(name(), fact.error(), fact.error().error().remedy());
            }
        }
        Mode mode = f.spec().mode();
        boolean byPosition = mode.snapshots() && f.spec().targetTables() == TargetTableSetup.CREATE;
        Map<String, TableDefinition> target = f.targetTables().value();
        List<String> refused = new ArrayList<>();
        List<String> noted = new ArrayList<>();
        int existing = 0;
        TableRouter router = TableRouter.of(f.spec().routes());
        for (TableDefinition source : f.sourceTables().value().values()) {
            TableRef routed = router.route(source.table());
            TableDefinition there = target.get(TableDefinition.key(routed));
            String name = routed.equals(source.table()) ? source.table().toString()
                    : source.table() + " (routed to " + routed + ")";
            if (there == null) {
                if (!mode.snapshots()) {
                    noted.add(name + ": not on the target");
                }
                continue;
            }
            existing++;
            TableComparison c = byPosition ? TableComparison.exact(source, there)
                    : TableComparison.byName(source, there);
            List<String> refusals = new ArrayList<>(c.refusals());
            List<String> notes = new ArrayList<>(c.notes());
            if (mode.snapshots() && Boolean.TRUE.equals(there.hasRows())) {
                (byPosition ? refusals : notes).add("it already holds rows");
            }
            if (!refusals.isEmpty()) {
                refused.add(name + ": " + String.join(", ", refusals));
            }
            if (!notes.isEmpty()) {
                noted.add(name + ": " + String.join(", ", notes));
            }
        }
        String endpoint = f.spec().target().describe();
        if (!refused.isEmpty()) {
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.TARGET_TABLE_MISMATCH, endpoint,
                    named(refused)), byPosition ? CREATED_BY_TIDEMARK : WRITTEN_BY_NAME);
        }
        if (!noted.isEmpty()) {
            return CheckResult.warn(name(), "target " + endpoint + " has tables that differ from the source's: "
                    + named(noted), NOTES);
        }
        int selected = f.sourceTables().value().size();
        return CheckResult.pass(name(), existing == 0
                ? (mode.snapshots() ? "none of the " + selected + " selected tables is on the target yet"
                : "no selected table to compare")
                : existing + " of the " + selected + " selected tables are on the target already and fit the"
                + " source's");
    }

    private static String named(List<String> tables) {
        String named = String.join("; ", tables.subList(0, Math.min(NAMED, tables.size())));
        return tables.size() > NAMED ? named + "; and " + (tables.size() - NAMED) + " more tables" : named;
    }
}
