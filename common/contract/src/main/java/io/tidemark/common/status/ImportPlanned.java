package io.tidemark.common.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.table.TableRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The import planner created the schemas and queued these chunks: the import is done when each is imported.
 * <p>
 * A plan of more chunks than one event should carry (Kafka takes 1 MiB in a message by default, about 9,000 chunks)
 * comes as several events of the same epoch, {@code part} 1 to {@code parts}, each with its own id ({@link #paged}),
 * published in order on the migration's partition: the plan is complete once its last part is in.
 *
 * @param part  which part of the plan this is, from 1; absent from a plan in one event (as every plan was before
 *              plans were paged)
 * @param parts how many events the plan takes; absent likewise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImportPlanned(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                            List<PlannedChunk> chunks, Integer part, Integer parts) implements StatusEvent {
    public ImportPlanned {
        chunks = List.copyOf(chunks);
        if ((part == null) != (parts == null) || parts != null && (part < 1 || part > parts)) {
            throw new IllegalArgumentException("import plan part " + part + " of " + parts
                    + ": both absent, or 1 <= part <= parts");
        }
    }

    /** a plan in one event */
    public ImportPlanned(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                         List<PlannedChunk> chunks) {
        this(eventId, migrationId, workerId, epoch, at, chunks, null, null);
    }

    public record PlannedChunk(String chunkId, TableRef table, long sizeBytes) {
    }

    /** whether this event completes its plan: a plan in one event, or the last part of a paged one */
    public boolean completesPlan() {
        return parts == null || part.equals(parts);
    }

    /**
     * The plan as the events to publish, in order: one event when it has at most {@code perEvent} chunks, else parts
     * of {@code perEvent} chunks each (the last one less).
     */
    public static List<ImportPlanned> paged(MigrationId m, WorkerId worker, long epoch, Instant at,
                                            List<PlannedChunk> chunks, int perEvent) {
        if (perEvent < 1) {
            throw new IllegalArgumentException("chunks per event must be positive, was " + perEvent);
        }
        if (chunks.size() <= perEvent) {
            return List.of(new ImportPlanned(idFor(m, epoch), m, worker, epoch, at, chunks));
        }
        int parts = (chunks.size() + perEvent - 1) / perEvent;
        List<ImportPlanned> events = new ArrayList<>(parts);
        for (int part = 1; part <= parts; part++) {
            List<PlannedChunk> these = chunks.subList((part - 1) * perEvent, Math.min(chunks.size(), part * perEvent));
            events.add(new ImportPlanned(idFor(m, epoch, part, parts), m, worker, epoch, at, these, part, parts));
        }
        return events;
    }

    public static String idFor(MigrationId m, long epoch) {
        return m + "/import/e" + epoch + "/planned";
    }

    /** one part's id: {@code <migration>/import/e<epoch>/planned/<part>-of-<parts>} */
    public static String idFor(MigrationId m, long epoch, int part, int parts) {
        return idFor(m, epoch) + "/" + part + "-of-" + parts;
    }
}
