package io.tidemark.coordinator.store;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.serde.MessageType;
import io.tidemark.coordinator.migration.ChunkProgress;

/**
 * One import chunk's progress as its own record on the compacted {@code <prefix>.migrations.chunks} topic, keyed by
 * its chunk id: a chunk's change writes this small record, not its migration's whole record again, so that record
 * stays the same size whatever the import's (thousands of chunks would pass Kafka's 1 MiB message limit, and each
 * report would rewrite them all).
 *
 * @param snapshotEpoch the migration's snapshot epoch when written: a new snapshot attempt starts its progress over,
 *                      so a chunk of an earlier one is not the migration's any more, even where its tombstone is
 *                      missing
 */
@MessageType("migration-chunk")
public record StoredChunk(MigrationId migrationId, long snapshotEpoch, String chunkId, ChunkProgress chunk) {
}
