package io.tidemark.coordinator.precheck;

import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

import java.util.Set;
import java.util.function.Function;

/**
 * One of the kit's checks run on its part of a migration's facts, so that the source's, the target's, the storage's
 * and the coordinator's own checks are one list in one run, and a check may need one of another part (the same-server
 * check needs both logins).
 */
record On<C>(Precheck<C> check, Function<MigrationFacts, C> part) implements Precheck<MigrationFacts> {
    @Override
    public String name() {
        return check.name();
    }

    @Override
    public Set<String> needs() {
        return check.needs();
    }

    @Override
    public CheckResult check(MigrationFacts facts) {
        return check.check(part.apply(facts));
    }
}
