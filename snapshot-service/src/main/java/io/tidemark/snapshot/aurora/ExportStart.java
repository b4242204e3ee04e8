package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.storage.Storage;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The binlog position recorded before the cluster snapshot was asked for, written to the export's location before
 * {@code CreateDBClusterSnapshot}: a restarted snapshot service that re-attaches to the snapshot must replicate from
 * this position, never from one read after the snapshot (that would lose the writes in between).
 *
 * @param messageId the snapshot request it belongs to: another request's position is never reused
 */
record ExportStart(String messageId, String snapshotId, BinlogPosition start) {
    static final String FILE = "tidemark-aurora-export.json";

    static Optional<ExportStart> read(Storage storage, String messageId) {
        try {
            if (!storage.exists(FILE)) {
                return Optional.empty();
            }
            try (InputStream in = storage.open(FILE)) {
                ExportStart s = MessageCodec.mapper().readValue(in.readAllBytes(), ExportStart.class);
                return messageId.equals(s.messageId()) ? Optional.of(s) : Optional.empty();
            }
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "reading " + FILE + ": "
                    + e.getMessage());
        } catch (JacksonException e) {
            // unreadable: no proof of an earlier attempt, so this one records its own position
            return Optional.empty();
        }
    }

    void write(Storage storage) {
        try (OutputStream out = storage.create(FILE)) {
            out.write(MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "writing " + FILE + ": "
                    + e.getMessage());
        }
    }
}
