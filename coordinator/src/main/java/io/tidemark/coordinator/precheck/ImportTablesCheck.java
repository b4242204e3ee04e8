package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.TargetTableSetup;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.target.TargetChecks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code target_tables} for mode {@code import}: the target tables the files go to (after routing) are ready for them.
 * No source to compare definitions with, so:
 * <ul>
 * <li>{@code targetTables: create} (TiDB Lightning's default): the import creates each table from its
 *     {@code CREATE TABLE} file, so a table that exists already must be empty; a table with no such file (an Aurora
 *     snapshot export holds none) is not created, so it must exist — as after the seed's schema import.</li>
 * <li>{@code targetTables: pre-created} ({@code no-schema = true}): every table must exist.</li>
 * </ul>
 * Either way a table that exists must be empty, as TiDB Lightning's own check of its target tables requires: the import
 * is verified by counting each table against the rows its files held.
 */
final class ImportTablesCheck implements Precheck<MigrationFacts> {
    private static final int NAMED = 10;

    @Override
    public String name() {
        return TargetTablesCheck.NAME;
    }

    @Override
    public Set<String> needs() {
        return Set.of(TargetChecks.LOGIN, StorageReadable.NAME);
    }

    @Override
    public CheckResult check(MigrationFacts f) {
        if (!f.targetTables().known()) {
            return CheckResult.fail(name(), f.targetTables().error(), f.targetTables().error().error().remedy());
        }
        MigrationSpec spec = f.spec();
        ImportSource source = spec.imports();
        boolean create = spec.targetTables() == TargetTableSetup.CREATE;
        Map<String, TableDefinition> there = f.targetTables().value();
        List<TableRef> withoutSchema = source.targetsWithoutSchema();
        List<String> missing = new ArrayList<>();
        List<String> holdingRows = new ArrayList<>();
        for (TableRef table : source.targets()) {
            TableDefinition existing = there.get(TableDefinition.key(table));
            if (existing == null) {
                if (!create || withoutSchema.contains(table)) {
                    missing.add(table.toString());
                }
            } else if (Boolean.TRUE.equals(existing.hasRows())) {
                holdingRows.add(table.toString());
            }
        }
        String endpoint = spec.target().describe();
        if (!missing.isEmpty()) {
            String them = missing.size() == 1 ? "it" : "them";
            String why = create ? "the files hold no CREATE TABLE statement for " + them
                    + " (an Aurora snapshot export holds none), so the import cannot create " + them
                    : "targetTables is pre-created (TiDB Lightning's no-schema = true), so the import creates no table";
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.TARGET_TABLE_MISSING, endpoint,
                    named(missing), why), "create the tables first: import the schema files (the CREATE TABLE files"
                    + " a Dumpling --no-data dump writes) with their own import, give schemaStorage, or create them"
                    + " by hand; then submit the import again");
        }
        if (!holdingRows.isEmpty()) {
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.TARGET_TABLE_MISMATCH, endpoint,
                    named(holdingRows) + ": " + (holdingRows.size() == 1 ? "it holds" : "they hold") + " rows"
                    + " already, and an import fills empty tables (as TiDB Lightning's check of its target tables"
                    + " requires)"), "empty the listed tables (TRUNCATE TABLE) or drop them, and submit the import"
                    + " again: once every chunk is in, each table's count is checked against the rows its files"
                    + " held, which rows from before would break");
        }
        int existing = (int) source.targets().stream().filter(t -> there.containsKey(TableDefinition.key(t))).count();
        return CheckResult.pass(name(), source.targets().size() + " target tables, " + existing + " of them on the"
                + " target already" + (existing == 0 ? "" : " and empty"));
    }

    private static String named(List<String> tables) {
        String named = String.join(", ", tables.subList(0, Math.min(NAMED, tables.size())));
        return tables.size() > NAMED ? named + " and " + (tables.size() - NAMED) + " more" : named;
    }
}
