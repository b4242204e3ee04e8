package io.tidemark.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storages;
import io.tidemark.coordinator.migration.ExportProgress;
import io.tidemark.coordinator.migration.Failure;
import io.tidemark.coordinator.migration.ImportSource;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.Progress;
import io.tidemark.coordinator.migration.TableFigures;
import io.tidemark.coordinator.migration.TableProgress;
import io.tidemark.coordinator.migration.Warning;

import java.time.Instant;
import java.util.List;

/**
 * A migration as users see it: what {@code GET /api/v1/migrations/{id}} answers. Endpoints show no password, not even
 * the sealed form, and the storage locations no key: the view is built from fields, never from the stored spec as a
 * whole. Fields of some modes only ({@code format}, {@code schemaStorage}, {@code onDuplicate}, a table's
 * {@code rowsInFiles} and {@code rowsInTarget}) are left out where they do not apply.
 */
record MigrationView(String id, String name, String mode, String phase, EndpointView source, EndpointView target,
                     List<String> filter, String storage, BinlogPosition start, String targetTables,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String format,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String schemaStorage,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String onDuplicate,
                     List<TableView> tables, Positions positions, Long lagSeconds, Boolean safeMode, ErrorView error,
                     List<Warning> warnings, Instant createdAt, Instant updatedAt,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BinlogOperationView> binlogOperations,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Boolean enableGtid,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Double rowsPerSecond,
                     @JsonInclude(JsonInclude.Include.NON_NULL) ExportView export,
                     @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ShardDdlView> shardDdls) {

    /**
     * Engine aurora-export: AWS's export as {@code DescribeExportTasks} last reported it, while the snapshot runs and
     * after; absent for other engines and before the first report.
     */
    record ExportView(String exportTask, String status, int percent, long extractedGb) {
        static ExportView of(ExportProgress e) {
            return e == null ? null : new ExportView(e.exportTask(), e.status(), e.percent(), e.extractedGb());
        }
    }

    /** shard-mode pessimistic: a shard's DDL on a merged table its replication waits at (shard-ddl-lock lists them) */
    record ShardDdlView(String table, String target, String position, String statement) {
        static List<ShardDdlView> of(io.tidemark.coordinator.migration.BinlogOperations ops) {
            return ops.shardDdls().waiting().stream().map(w -> new ShardDdlView(w.table().toString(),
                    w.target().toString(), w.position().file() + ":" + w.position().pos(), w.statement())).toList();
        }
    }

    /** a binlog skip|replace asked for: what, where, when, and whether the task still carries it */
    record BinlogOperationView(String op, String position, List<String> sql, Instant at, boolean pending) {
        static List<BinlogOperationView> of(io.tidemark.coordinator.migration.BinlogOperations ops) {
            return ops.requested().stream().map(r -> new BinlogOperationView(r.operation().op().code(),
                    r.operation().position().file() + ":" + r.operation().position().pos(), r.operation().sql(),
                    r.at(), r.operation().equals(ops.pending()))).toList();
        }
    }

    /** null for mode import, which has no source */
    record EndpointView(String host, int port, String user) {
        static EndpointView of(DatabaseEndpoint e) {
            return e == null ? null : new EndpointView(e.host(), e.port(), e.user());
        }
    }

    /**
     * @param state         pending (listed), dumped (in storage), importing (chunks planned, not all in), imported
     * @param snapshotPoint where in the binlog the table's dump was taken: replication skips its events before it;
     *                      null until the snapshot completes, and where the source gave none (then replication
     *                      replays from the snapshot's start in safe mode)
     * @param rowsInFiles   modes that import: the rows the table's files held, once every chunk of it is in
     * @param rowsInTarget  modes that import: the table's count on the target once every chunk of the import is in;
     *                      the import completes when each table's equals its rowsInFiles (mode all: counted before
     *                      replication starts, and not updated after)
     * @param values        modes that import, once counted: {@code equal} when the value checksum of the rows on the target
     *                      equals that of the files' values, {@code different} when not, {@code not compared} where
     *                      the files' could not be computed (a format or value the import does not digest: the
     *                      table is verified by its row count only)
     * @param kvChecksum    modes that import, on a TiDB target: {@code ADMIN CHECKSUM TABLE}'s answer after the import
     * @param target        modes full and all: the target table a route sends the table's rows to (the table its
     *                      chunks, rowsInFiles and rowsInTarget are of); absent where the table keeps its name
     * @param bytesImported the planned size of its chunks imported so far (in the files: compressed where they are)
     * @param bytesTotal    the planned size of all its chunks, once the import is planned: with bytesImported, the
     *                      import's progress in bytes and percent, as query-status shows it
     */
    record TableView(String table, String state, long rowsDumped, long rowsImported, int chunksDone, int chunksTotal,
                     BinlogPosition snapshotPoint,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Long rowsInFiles,
                     @JsonInclude(JsonInclude.Include.NON_NULL) Long rowsInTarget,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String values,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String kvChecksum,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String target,
                     long bytesImported, long bytesTotal) {
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
        MigrationSpec spec = m.spec();
        ImportSource imports = spec.imports();
        return new MigrationView(m.id().value(), spec.name(), spec.mode().code(), m.phase().code(),
                EndpointView.of(spec.source()), EndpointView.of(spec.target()), spec.filter(),
                redacted(spec.storage()), spec.start(), spec.targetTables().code(),
                spec.format() == null ? null : spec.format().code(),
                imports == null ? null : redacted(imports.schemaStorage()),
                imports == null ? null : imports.onDuplicate().code(),
                tables(p, spec.mode().imports()),
                new Positions(p.snapshotStart(), p.snapshotEnd(), p.replication()), p.lagSeconds(), p.safeMode(),
                ErrorView.of(m.error()), m.warnings(), m.createdAt(), m.updatedAt(),
                BinlogOperationView.of(m.binlog()), spec.enableGtid() ? Boolean.TRUE : null,
                m.phase() instanceof Phase.Replicating && p.rate() != null ? p.rate().rowsPerSecond() : null,
                ExportView.of(p.export()), ShardDdlView.of(m.binlog()));
    }

    private static String redacted(String location) {
        return location == null ? null : Storages.redact(location);
    }

    private static List<TableView> tables(Progress p, boolean counted) {
        return p.tableFigures().stream().map(f -> table(f, p.valueSumInFiles(f.progress().targetTable()), counted))
                .toList();
    }

    private static TableView table(TableFigures f, Long filesValueSum, boolean counted) {
        TableProgress t = f.progress();
        String state;
        if (f.importPlanned()) {
            state = f.allIn() ? "imported" : "importing";
        } else {
            state = t.dumped() ? "dumped" : "pending";
        }
        return new TableView(t.table().toString(), state, t.rowsDumped(), f.rowsImported(), f.chunksDone(),
                f.chunksTotal(), t.snapshotPoint(), counted && f.allIn() ? f.rowsImported() : null,
                counted ? t.rowsInTarget() : null,
                counted && t.rowsInTarget() != null ? values(filesValueSum, t.valueSumInTarget()) : null,
                counted ? t.kvChecksum() : null, t.target() == null ? null : t.target().toString(),
                f.bytesImported(), f.bytesTotal());
    }

    private static String values(Long files, Long target) {
        if (files == null || target == null) {
            return "not compared";
        }
        return files.equals(target) ? "equal" : "different";
    }
}
