package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.springframework.util.unit.DataSize;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what a user posts — a JSON spec, a TiDB Lightning file — no further than the size limit. A migration is kept
 * as one Kafka message holding its spec, and Kafka refuses messages past its limit, so a request must be refused here
 * rather than fail when it is saved.
 */
final class RequestBodies {
    private RequestBodies() {
    }

    /**
     * @param declaredLength the request's Content-Length, -1 when it has none
     * @throws TidemarkException SPEC_TOO_LARGE past the limit, as soon as that is known: from the declared length, or
     *                           after {@code max} bytes, never read whole
     */
    static byte[] read(InputStream body, long declaredLength, DataSize max) throws IOException {
        long limit = max.toBytes();
        if (declaredLength > limit) {
            throw new TidemarkException(ErrorCode.SPEC_TOO_LARGE, declaredLength + " bytes", describe(max));
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw new TidemarkException(ErrorCode.SPEC_TOO_LARGE, "larger than " + describe(max), describe(max));
        }
        return bytes;
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
