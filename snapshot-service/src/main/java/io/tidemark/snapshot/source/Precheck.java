package io.tidemark.snapshot.source;

import io.tidemark.common.error.TidemarkException;

/**
 * One thing the source must allow before a dump starts. Checks run in order on one {@link Probe} (a later check may
 * use what an earlier one learned, e.g. the flavor) and only read: the source is never written to.
 */
interface Precheck {
    String name();

    /** @return what was seen when the check passes; throws the catalog error when it does not */
    String check(Probe probe);

    /** what to do about {@code failure}, worded for the source's flavor (null when the login itself failed) */
    String remedy(SourceFlavor flavor, TidemarkException failure);
}
