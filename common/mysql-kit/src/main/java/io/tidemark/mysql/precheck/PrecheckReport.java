package io.tidemark.mysql.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every check's result, in the order they ran: all failures at once, so the user fixes everything in one round
 * instead of one item per attempt. An immutable value.
 */
public record PrecheckReport(List<CheckResult> results) {
    public PrecheckReport {
        results = List.copyOf(results);
    }

    public List<CheckResult> failures() {
        return results.stream().filter(CheckResult::failed).toList();
    }

    public List<CheckResult> warnings() {
        return results.stream().filter(r -> r.state() == CheckResult.State.WARN).toList();
    }

    /** checks not run because a check they need failed */
    public List<CheckResult> skipped() {
        return results.stream().filter(r -> r.state() == CheckResult.State.SKIPPED).toList();
    }

    /** true when every check ran and passed (warnings allowed) */
    public boolean ok() {
        return results.stream().allMatch(CheckResult::passed);
    }

    public Optional<CheckResult> result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** this report followed by {@code other}'s results, e.g. the source's, the target's and the storage's in one */
    public PrecheckReport and(PrecheckReport other) {
        List<CheckResult> all = new ArrayList<>(results);
        all.addAll(other.results);
        return new PrecheckReport(all);
    }

    /**
     * One PRECHECKS_FAILED error listing every failing item with its instruction ("2 prechecks failed:
     * binlog_format: … — fix: …; replication_privileges: … — fix: …"), then the checks not run because of them.
     *
     * @throws IllegalStateException when nothing failed
     */
    public TidemarkException toException() {
        List<CheckResult> failures = failures();
        if (failures.isEmpty()) {
            throw new IllegalStateException("no precheck failed: " + this);
        }
        String items = failures.stream()
                .map(r -> r.name() + ": " + r.message() + " — fix: " + r.instruction())
                .collect(Collectors.joining("; "));
        List<CheckResult> skipped = skipped();
        if (!skipped.isEmpty()) {
            items += "; not checked because of the above: "
                    + skipped.stream().map(CheckResult::name).collect(Collectors.joining(", "));
        }
        String count = failures.size() + (failures.size() == 1 ? " precheck" : " prechecks");
        return new TidemarkException(ErrorCode.PRECHECKS_FAILED, failures.getFirst().error(), count, items);
    }

    /**
     * Throws when a check failed: {@link #toException()}, fatal — except when every failure is retriable, which says
     * the server could not be asked (unreachable, no answer), nothing about what it allows: then the first of those
     * errors, retriable, so the caller retries it like any outage.
     */
    public PrecheckReport throwIfFailed() {
        List<CheckResult> failures = failures();
        if (failures.isEmpty()) {
            return this;
        }
        if (failures.stream().allMatch(f -> f.error() != null && f.error().retriable())) {
            throw failures.getFirst().error();
        }
        throw toException();
    }

    @Override
    public String toString() {
        return results.stream().map(CheckResult::toString).collect(Collectors.joining("\n"));
    }
}
