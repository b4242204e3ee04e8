package io.tidemark.coordinator.precheck;

import io.tidemark.common.migration.Mode;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.table.TableRouter;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.precheck.target.TargetChecks;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The kit's {@code target_privileges} check on the schemas the migration writes: those of the source tables the
 * filter selects, or for an import the routed target tables its files go to. An import needs
 * {@link TargetChecks#IMPORT}; a migration that replicates needs {@link TargetChecks#REPLICATION}, which holds it.
 */
final class TargetPrivilegesCheck implements Precheck<MigrationFacts> {
    private final Mode mode;

    TargetPrivilegesCheck(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return TargetChecks.PRIVILEGES;
    }

    @Override
    public Set<String> needs() {
        return mode.readsSource() ? Set.of(TargetChecks.LOGIN, SourceChecks.TABLES_SELECTED)
                : Set.of(TargetChecks.LOGIN);
    }

    @Override
    public CheckResult check(MigrationFacts f) {
        Collection<TableRef> tables = mode.readsSource() ? selected(f.source()) : f.spec().imports().targets();
        if (tables == null) {
            return CheckResult.warn(name(), "the tables the filter selects could not be read, so their schemas' grants"
                    + " on the target were not checked", "make sure the target account may "
                    + String.join(", ", needed()) + " in every migrated schema");
        }
        // the schemas written are the routed ones (an import's targets are routed already)
        TableRouter router = TableRouter.of(mode.readsSource() ? f.spec().routes() : List.of());
        Set<String> schemas = new TreeSet<>(tables.stream().map(t -> router.route(t).schema()).toList());
        return TargetChecks.privileges(schemas, needed()).check(f.target());
    }

    private Set<String> needed() {
        return mode.replicates() ? TargetChecks.REPLICATION : TargetChecks.IMPORT;
    }

    private static Collection<TableRef> selected(SourceFacts source) {
        if (source == null || source.tables() == null || !source.tables().known()) {
            return null;
        }
        return source.tables().value().selected();
    }
}
