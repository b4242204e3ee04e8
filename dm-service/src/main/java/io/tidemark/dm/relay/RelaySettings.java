package io.tidemark.dm.relay;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How a source's relay topic is kept and written ({@code tidemark.dm.relay.*}).
 *
 * @param retention      the relay topic's {@code retention.ms}, set on creation and checked on every start: never the
 *                       broker's default, which would decide alone how long a paused task can stay paused
 * @param retentionBytes the relay topic's {@code retention.bytes}; -1 bounds the relay by time only
 * @param pieceBytes     a binlog event larger than this is relayed as ordered pieces of at most this many bytes; it
 *                       must stay under the broker's {@code message.max.bytes} (1 MB by default) with room for the
 *                       record's headers
 */
@Validated
@ConfigurationProperties("tidemark.dm.relay")
public record RelaySettings(@DefaultValue("7d") @NotNull Duration retention,
                           @DefaultValue("-1") long retentionBytes,
                           @DefaultValue("524288") int pieceBytes) {
    /** Kafka's default message.max.bytes (1 MB) less room for the batch and the record's headers */
    static final int MAX_PIECE_BYTES = 1_000_000;

    public RelaySettings {
        if (retention != null && (retention.isNegative() || retention.isZero())) {
            throw new IllegalArgumentException("tidemark.dm.relay.retention is " + retention + "; use a positive"
                    + " duration longer than any task may stay paused, e.g. 7d");
        }
        if (retentionBytes < -1 || retentionBytes == 0) {
            throw new IllegalArgumentException("tidemark.dm.relay.retention-bytes is " + retentionBytes + "; use a"
                    + " positive size in bytes, or -1 to bound the relay by tidemark.dm.relay.retention only");
        }
        if (pieceBytes < 1024 || pieceBytes > MAX_PIECE_BYTES) {
            throw new IllegalArgumentException("tidemark.dm.relay.piece-bytes is " + pieceBytes + "; use 1024 to "
                    + MAX_PIECE_BYTES + " (below the broker's message.max.bytes), e.g. 524288");
        }
    }
}
