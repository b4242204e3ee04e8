package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.springframework.util.unit.DataSize;

/**
 * A spec larger than {@code tidemark.coordinator.max-spec-bytes}, refused before it is read whole or stored; the
 * API answers 413 Content Too Large. A migration is kept as one Kafka message holding its spec, and Kafka refuses
 * messages past its limit, so a spec must be refused here rather than fail when it is saved.
 */
final class SpecTooLarge extends RuntimeException {
    private final TidemarkException error;

    /** @param size the body's size when the request declared it, else -1 */
    SpecTooLarge(long size, DataSize max) {
        this(new TidemarkException(ErrorCode.INVALID_SPEC, (size >= 0 ? "the spec is " + size + " bytes"
                : "the spec is larger than " + describe(max)) + "; at most " + describe(max) + " is accepted"
                + " (tidemark.coordinator.max-spec-bytes). A spec is a few KB: select tables with wildcard rules"
                + " (\"shop.*\", \"shop.order_*\") rather than one rule per table"));
    }

    private SpecTooLarge(TidemarkException error) {
        super(error.getMessage());
        this.error = error;
    }

    TidemarkException error() {
        return error;
    }

    /** "256 KiB", "1 MiB", or bytes when neither is whole */
    static String describe(DataSize size) {
        long bytes = size.toBytes();
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
