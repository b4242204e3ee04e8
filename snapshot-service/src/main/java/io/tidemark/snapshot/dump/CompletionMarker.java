package io.tidemark.snapshot.dump;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import tools.jackson.core.JacksonException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The file written LAST into a dump directory: its presence says the dump is complete, and for which request. A
 * redelivered request finds it and is answered without dumping again — with every report of the dump, since a
 * report Kafka did not take before the redelivery must not be lost; a dump without it is incomplete.
 *
 * @param results what each table's dump wrote, with its table point (absent from markers written before results were
 *                recorded: then empty; without points in markers written before points were)
 */
public record CompletionMarker(String messageId, MigrationId migrationId, long epoch, BinlogPosition startPosition,
                               BinlogPosition endPosition, List<TableRef> tables, List<TableResult> results,
                               Instant completedAt) {
    public static final String FILE = "tidemark-snapshot.json";

    public CompletionMarker {
        tables = List.copyOf(tables);
        results = results == null ? List.of() : List.copyOf(results);
    }

    public static Optional<CompletionMarker> read(Storage storage) {
        try {
            if (!storage.exists(FILE)) {
                return Optional.empty();
            }
            try (InputStream in = storage.open(FILE)) {
                return Optional.of(MessageCodec.mapper().readValue(in.readAllBytes(), CompletionMarker.class));
            }
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "reading " + FILE + ": " + e.getMessage());
        } catch (JacksonException e) {
            // an unreadable marker proves nothing: dump again, which replaces it
            return Optional.empty();
        }
    }

    public void write(Storage storage) {
        try (OutputStream out = storage.create(FILE)) {
            out.write(MessageCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "writing " + FILE + ": " + e.getMessage());
        }
    }
}
