package io.tidemark.mysql.precheck;

import java.util.Set;

/**
 * One thing a migration needs from a source, a target or its storage, checked before the work starts, as DM's
 * checker items: it looks at a context ({@code SourceFacts}, {@code TargetFacts}, a {@code Storage}) and says what
 * it saw and, when that is not enough, what the user does about it. A check never throws for a finding: a finding is a
 * FAIL or WARN result. Checks are stateless and may run on any thread; {@link Prechecks} runs them.
 *
 * @param <C> what the check looks at
 */
public interface Precheck<C> {
    /** a short stable name such as {@code binlog_format}; reports and messages list results by it */
    String name();

    CheckResult check(C context);

    /**
     * The names of checks whose failure makes this one meaningless (e.g. {@code source_login}): when one of them
     * failed or was not checked, this one is reported as not checked instead of failing a second time.
     */
    default Set<String> needs() {
        return Set.of();
    }
}
