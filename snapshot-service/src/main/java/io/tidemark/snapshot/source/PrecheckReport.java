package io.tidemark.snapshot.source;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;

import java.util.List;
import java.util.Optional;

/**
 * The prechecks' findings.
 *
 * @param results every check that ran, in order; the last one failed when {@link #failure()} is present
 * @param flavor  the source's flavor (null when the login failed)
 * @param tables  the base tables the filter selects, sorted
 * @param skipped views and sequences the filter matched: they hold no rows of their own, so they are not dumped
 */
public record PrecheckReport(List<CheckResult> results, SourceFlavor flavor, List<TableRef> tables,
                             List<TableRef> skipped, TidemarkException failureOrNull) {
    public Optional<TidemarkException> failure() {
        return Optional.ofNullable(failureOrNull);
    }
}
