package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storages;
import io.tidemark.coordinator.migration.ChunkProgress;
import io.tidemark.coordinator.migration.Failure;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Progress;
import io.tidemark.coordinator.migration.TableProgress;
import io.tidemark.coordinator.migration.Warning;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A migration as users see it: what {@code GET /api/v1/migrations/{id}} answers. Endpoints show no password, not even
 * the sealed form, and the storage location no key: the view is built from fields, never from the stored spec as a
 * whole.
 */
record MigrationView(String id, String name, String mode, String phase, EndpointView source, EndpointView target,
                     List<String> filter, String storage, BinlogPosition start, String targetTables,
                     List<TableView> tables, Positions positions, Long lagSeconds, Boolean safeMode, ErrorView error,
                     List<Warning> warnings, Instant createdAt, Instant updatedAt) {

    record EndpointView(String host, int port, String user) {
        static EndpointView of(DatabaseEndpoint e) {
            return new EndpointView(e.host(), e.port(), e.user());
        }
    }

    /**
     * @param state         pending (listed), dumped (in storage), importing (chunks planned, not all in), imported
     * @param snapshotPoint where in the binlog the table's dump was taken: replication skips its events before it;
     *                      null until the snapshot completes, and where the source gave none (then replication
     *                      replays from the snapshot's start in safe mode)
     */
    record TableView(String table, String state, long rowsDumped, long rowsImported, int chunksDone, int chunksTotal,
                     BinlogPosition snapshotPoint) {
    }

    record Positions(BinlogPosition snapshotStart, BinlogPosition snapshotEnd, BinlogPosition replication) {
    }

    record ErrorView(String code, String message, String remedy, String stage, boolean retriable) {
        static ErrorView of(Failure f) {
            return f == null ? null : new ErrorView(f.code(), f.message(), f.remedy(), f.stage().code(), f.retriable());
        }
    }

    static MigrationView of(Migration m) {
        Progress p = m.progress();
        return new MigrationView(m.id().value(), m.spec().name(), m.spec().mode().code(), m.phase().code(),
                EndpointView.of(m.spec().source()), EndpointView.of(m.spec().target()), m.spec().filter(),
                m.spec().storage() == null ? null : Storages.redact(m.spec().storage()), m.spec().start(),
                m.spec().targetTables().code(), tables(p),
                new Positions(p.snapshotStart(), p.snapshotEnd(), p.replication()), p.lagSeconds(), p.safeMode(),
                ErrorView.of(m.error()), m.warnings(), m.createdAt(), m.updatedAt());
    }

    private static List<TableView> tables(Progress p) {
        Map<String, List<ChunkProgress>> chunksByTable = p.chunks().values().stream()
                .collect(Collectors.groupingBy(c -> Progress.key(c.table())));
        return p.tables().values().stream().map(t -> table(t, chunksByTable.getOrDefault(Progress.key(t.table()),
                List.of()), p.importPlanned())).toList();
    }

    private static TableView table(TableProgress t, List<ChunkProgress> chunks, boolean importPlanned) {
        int done = (int) chunks.stream().filter(ChunkProgress::imported).count();
        long rowsImported = chunks.stream().filter(ChunkProgress::imported).mapToLong(ChunkProgress::rows).sum();
        String state;
        if (importPlanned) {
            state = done == chunks.size() ? "imported" : "importing";
        } else {
            state = t.dumped() ? "dumped" : "pending";
        }
        return new TableView(t.table().toString(), state, t.rowsDumped(), rowsImported, done, chunks.size(),
                t.snapshotPoint());
    }
}
