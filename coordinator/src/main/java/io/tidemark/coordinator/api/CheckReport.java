package io.tidemark.coordinator.api;

import io.tidemark.mysql.precheck.PrecheckReport;

import java.util.List;

/**
 * What {@code POST /api/v1/migrations/check} answers (dmctl's check-task): whether the migration would be accepted
 * and every check with its state, in the order they ran.
 *
 * @param passed true when no check failed (warnings allowed)
 */
record CheckReport(boolean passed, List<CheckView> checks) {
    static CheckReport of(PrecheckReport report) {
        return new CheckReport(report.failures().isEmpty(), report.results().stream().map(CheckView::of).toList());
    }
}
