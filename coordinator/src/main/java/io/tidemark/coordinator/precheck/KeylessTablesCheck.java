package io.tidemark.coordinator.precheck;

import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code keyless_tables}, a warning for mode {@code all}. Each table's dump is given its own snapshot point (DM's
 * table point) where the source can name one, and replication skips the table's events before it, so even a table
 * without a key gets every row once. A MySQL-family source names one for every InnoDB table: MariaDB inside the
 * consistent-snapshot transaction ({@code Binlog_snapshot_file}/{@code _position}), MySQL and Aurora under a brief
 * {@code LOCK TABLES ... READ} while the transaction opens (the source account holds LOCK TABLES). A table of a
 * non-transactional engine (MyISAM, Aria, MEMORY, ...) has no such point: replication replays it from the start of the
 * snapshot, which a primary key or a NOT NULL unique key absorbs (the change overwrites its own row) and a table
 * without one does not (the row twice). Only those tables are warned of; the migration runs, the warning stays on it.
 * A snapshot without points at all (an Aurora snapshot export, to come) will warn of every keyless table.
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
            return CheckResult.warn(name(), "cannot read the selected tables' keys and engines: "
                    + f.sourceTables().error().detail(), "make sure every selected table has a primary key or a NOT"
                    + " NULL unique key, or is InnoDB, or stop writes to the ones that are neither while the snapshot"
                    + " is taken");
        }
        List<TableDefinition> keyless = f.sourceTables().value().values().stream()
                .filter(t -> !t.identifiesRows()).sorted(Comparator.comparing(TableDefinition::table)).toList();
        List<TableDefinition> unpointed = keyless.stream().filter(t -> !t.snapshotsAtAPoint()).toList();
        if (unpointed.isEmpty()) {
            return CheckResult.pass(name(), keyless.isEmpty()
                    ? "every selected table has a primary key or a NOT NULL unique key"
                    : "every selected table has a primary key or a NOT NULL unique key, or is InnoDB and is kept"
                    + " exact by its own snapshot point (" + keyless.size() + " without a key)");
        }
        boolean one = unpointed.size() == 1;
        String names = unpointed.stream().limit(NAMED)
                .map(t -> t.table() + " (" + (t.engine() == null ? "engine unknown" : t.engine()) + ")")
                .collect(Collectors.joining(", "))
                + (unpointed.size() > NAMED ? " and " + (unpointed.size() - NAMED) + " more" : "");
        return CheckResult.warn(name(), (one ? "keyless table " : "keyless tables ") + names + ": "
                        + (one ? "its engine reads" : "their engines read") + " no consistent snapshot, so rows"
                        + " written during the snapshot window may be replayed twice",
                "add a primary key (or a NOT NULL unique key) to " + (one ? "it" : "each") + ", or convert "
                        + (one ? "it" : "them") + " to InnoDB (ALTER TABLE ... ENGINE=InnoDB), before the migration;"
                        + " or stop writes to " + (one ? "it" : "them") + " while the snapshot is taken (until the"
                        + " migration is replicating)");
    }
}
