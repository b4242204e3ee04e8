package io.tidemark.mysql.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs checks and collects every result: a failure does not stop the run, only the checks that need the failed one
 * are reported as not checked. Runs on the calling thread; stateless.
 */
public final class Prechecks {
    private static final Logger LOGGER = LoggerFactory.getLogger(Prechecks.class);

    private Prechecks() {
    }

    /** runs {@code checks} in order on {@code context} */
    public static <C> PrecheckReport run(List<? extends Precheck<? super C>> checks, C context) {
        List<CheckResult> results = new ArrayList<>();
        // for each check that did not pass: the failed check at the root of it (itself, or what it needed)
        Map<String, String> rootFailure = new HashMap<>();
        for (Precheck<? super C> check : checks) {
            String blocker = blockedBy(check, results, rootFailure);
            CheckResult result = blocker != null ? CheckResult.skipped(check.name(), blocker) : runOne(check, context);
            if (!result.passed()) {
                rootFailure.put(result.name(), blocker != null ? blocker : result.name());
            }
            log(result);
            results.add(result);
        }
        return new PrecheckReport(results);
    }

    /** the earliest failed check this one needs, directly or through a check that was not run because of it */
    private static String blockedBy(Precheck<?> check, List<CheckResult> earlier, Map<String, String> rootFailure) {
        for (CheckResult r : earlier) {
            if (check.needs().contains(r.name()) && !r.passed()) {
                return rootFailure.get(r.name());
            }
        }
        return null;
    }

    private static <C> CheckResult runOne(Precheck<? super C> check, C context) {
        try {
            return check.check(context);
        } catch (TidemarkException e) {
            return CheckResult.fail(check.name(), e, e.error().remedy());
        } catch (RuntimeException e) {
            LOGGER.warn("precheck {} broke", check.name(), e);
            return CheckResult.fail(check.name(), new TidemarkException(ErrorCode.INTERNAL, e,
                    "the precheck " + check.name() + " could not run: " + e.getMessage()), ErrorCode.INTERNAL.remedy());
        }
    }

    private static void log(CheckResult r) {
        switch (r.state()) {
            case PASS -> LOGGER.info("precheck {} passed: {}", r.name(), r.message());
            case WARN -> LOGGER.warn("precheck {} warns: {} — fix: {}", r.name(), r.message(), r.instruction());
            case FAIL -> LOGGER.warn("precheck {} failed: {} — fix: {}", r.name(), r.message(), r.instruction());
            case SKIPPED -> LOGGER.info("precheck {} {}", r.name(), r.message());
        }
    }
}
