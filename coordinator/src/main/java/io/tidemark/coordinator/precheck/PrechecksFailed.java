package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.precheck.PrecheckReport;

/**
 * A migration refused because a precheck failed; the API answers 422 with every failing item. Nothing of the
 * migration was stored or published.
 */
public final class PrechecksFailed extends RuntimeException {
    private final transient PrecheckReport report;
    private final TidemarkException error;

    PrechecksFailed(PrecheckReport report) {
        this(report, report.toException());
    }

    private PrechecksFailed(PrecheckReport report, TidemarkException error) {
        super(error.getMessage(), error);
        this.report = report;
        this.error = error;
    }

    /** every check's result, the failing ones with their instructions */
    public PrecheckReport report() {
        return report;
    }

    /** PRECHECKS_FAILED, its message listing every failing item */
    public TidemarkException error() {
        return error;
    }
}
