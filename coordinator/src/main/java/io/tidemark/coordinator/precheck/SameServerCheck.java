package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceChecks;
import io.tidemark.mysql.precheck.target.TargetChecks;

import java.util.Set;

/**
 * {@code source_is_not_target}: the source and the target are not one server. A migration into its own source would
 * write Tidemark's meta schema and every imported row into the database it reads, which Tidemark promises never to
 * write. How it is told: {@link FactsReader}.
 */
final class SameServerCheck implements Precheck<MigrationFacts> {
    static final String NAME = "source_is_not_target";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> needs() {
        return Set.of(SourceChecks.LOGIN, TargetChecks.LOGIN, TargetChecks.META_SCHEMA);
    }

    @Override
    public CheckResult check(MigrationFacts f) {
        Fact<ServerIdentity> identity = f.identity();
        if (!identity.known()) {
            return CheckResult.fail(name(), identity.error(), identity.error().error().remedy());
        }
        String source = f.spec().source().describe();
        String target = f.spec().target().describe();
        return switch (identity.value().verdict()) {
            case DIFFERENT -> CheckResult.pass(name(), "source and target are different servers: "
                    + identity.value().evidence());
            case SAME -> CheckResult.fail(name(), new TidemarkException(ErrorCode.SOURCE_IS_TARGET, source, target,
                    identity.value().evidence()), "point target at the TiDB cluster to migrate into (or the server"
                    + " meant to receive the rows), not at the source or another endpoint of the source's cluster");
            case UNKNOWN -> CheckResult.warn(name(), "cannot prove that source and target are different servers: "
                    + identity.value().evidence(), "make sure target is not the source or another endpoint of its"
                    + " cluster; to let Tidemark verify it, GRANT SELECT ON " + FactsReader.META_SCHEMA + ".* TO the"
                    + " source account");
        };
    }
}
