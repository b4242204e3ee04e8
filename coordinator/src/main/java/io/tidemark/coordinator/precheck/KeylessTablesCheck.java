package io.tidemark.coordinator.precheck;

import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code keyless_tables}, a warning for mode {@code all}: replication starts at a position read around the snapshot,
 * and a row change between that position and the snapshot is applied again after the import. A table with a primary
 * key or a NOT NULL unique key absorbs the replay (the change overwrites its own row); a table without one gets the
 * row twice. The migration runs; the warning stays on it.
 */
final class KeylessTablesCheck implements Precheck<MigrationFacts> {
    static final String NAME = "keyless_tables";
    private static final int NAMED = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> needs() {
        return Set.of(SourceChecks.LOGIN, SourceChecks.TABLES_SELECTED);
    }

    @Override
    public CheckResult check(MigrationFacts f) {
        if (!f.sourceTables().known()) {
            return CheckResult.warn(name(), "cannot read the selected tables' keys: "
                    + f.sourceTables().error().detail(), "make sure every selected table has a primary key or a NOT"
                    + " NULL unique key, or stop writes to the ones that do not while the snapshot is taken");
        }
        List<TableRef> keyless = f.sourceTables().value().values().stream()
                .filter(t -> !t.identifiesRows()).map(TableDefinition::table).sorted().toList();
        if (keyless.isEmpty()) {
            return CheckResult.pass(name(), "every selected table has a primary key or a NOT NULL unique key");
        }
        String names = keyless.stream().limit(NAMED).map(TableRef::toString).collect(Collectors.joining(", "))
                + (keyless.size() > NAMED ? " and " + (keyless.size() - NAMED) + " more" : "");
        return CheckResult.warn(name(), (keyless.size() == 1 ? "keyless table " : "keyless tables ") + names
                        + ": rows written during the snapshot window may be replayed twice",
                "add a primary key (or a NOT NULL unique key) to " + (keyless.size() == 1 ? "it" : "each")
                        + " before the migration, or stop writes to " + (keyless.size() == 1 ? "it" : "them")
                        + " while the snapshot is taken (until the migration is replicating)");
    }
}
