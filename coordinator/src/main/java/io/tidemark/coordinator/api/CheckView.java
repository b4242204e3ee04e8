package io.tidemark.coordinator.api;

import io.tidemark.mysql.precheck.CheckResult;

/**
 * One precheck's result as the API shows it: what was checked, whether it passed ({@code PASS}, {@code WARN},
 * {@code FAIL}, or {@code SKIPPED} when a check it needs failed), what was seen and what to do.
 */
record CheckView(String name, String state, String message, String instruction) {
    static CheckView of(CheckResult r) {
        return new CheckView(r.name(), r.state().name(), r.message(), r.instruction());
    }
}
