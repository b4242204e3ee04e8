package io.tidemark.lightning.plan;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.topic.Topics;
import io.tidemark.lightning.sql.SqlStatement;
import io.tidemark.lightning.sql.StatementSplitter;
import io.tidemark.lightning.status.StatusPublisher;
import io.tidemark.lightning.target.SessionText;
import io.tidemark.lightning.target.TargetErrors;
import io.tidemark.lightning.target.TargetSessions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListener;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Plans an {@link ImportRequest}: creates the databases and tables of the dump on the target (schema first, as
 * Lightning does), then queues one {@link ImportChunk} per data file and reports {@link ImportPlanned}.
 * Deterministic: the same request yields the same chunk ids, so a redelivered request re-queues chunks the workers
 * find done in their checkpoints. Called by one listener container thread.
 */
final class ImportPlanner implements MessageListener<String, Command> {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImportPlanner.class);
    private static final String SUBJECT = "plan";
    private static final int ATTEMPTS = 5;

    private final TargetSessions sessions;
    private final KafkaTemplate<String, Object> kafka;
    private final StatusPublisher status;
    private final int maxStatementBytes;
    private final Duration maxBackoff;

    ImportPlanner(TargetSessions sessions, KafkaTemplate<String, Object> kafka, StatusPublisher status,
                  int maxStatementBytes, Duration maxBackoff) {
        this.sessions = sessions;
        this.kafka = kafka;
        this.status = status;
        this.maxStatementBytes = maxStatementBytes;
        this.maxBackoff = maxBackoff;
    }

    @Override
    public void onMessage(ConsumerRecord<String, Command> record) {
        switch (record.value()) {
            case null -> LOGGER.warn("skipping unreadable record at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            case ImportRequest request -> planWithRetries(request);
            case SnapshotRequest ignored -> LOGGER.warn("skipping a snapshot request on {}", record.topic());
            case ImportChunk ignored -> LOGGER.warn("skipping an import chunk on {}", record.topic());
            case ReplicationTask ignored -> LOGGER.warn("skipping a replication task on {}", record.topic());
        }
    }

    private void planWithRetries(ImportRequest request) {
        MDC.put("migrationId", request.migrationId().value());
        try {
            Duration backoff = Duration.ofSeconds(1);
            for (int attempt = 1; ; attempt++) {
                try {
                    plan(request);
                    return;
                } catch (TidemarkException e) {
                    status.publish(WorkFailed.of(request.migrationId(), status.workerId(), request.epoch(),
                            Stage.IMPORT, SUBJECT, e));
                    if (!e.retriable() || attempt == ATTEMPTS) {
                        LOGGER.error("import plan failed: {}", e.getMessage());
                        return;
                    }
                    LOGGER.warn("import plan attempt {} failed, retrying in {}: {}", attempt, backoff, e.getMessage());
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                }
            }
        } finally {
            MDC.remove("migrationId");
        }
    }

    private void plan(ImportRequest request) {
        Storage storage = Storages.open(request.location());
        Set<String> files = new HashSet<>(list(storage));
        List<TableRef> tables = request.tables().isEmpty() ? tablesIn(files) : request.tables();
        for (TableRef table : tables) {
            String schemaFile = DumpLayout.tableSchemaFile(table);
            if (!files.contains(schemaFile)) {
                throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, schemaFile,
                        "it is missing from " + storage.root() + ", so table " + table + " cannot be created");
            }
        }
        createSchemas(request, storage, files, tables);
        List<ImportPlanned.PlannedChunk> planned = queueChunks(request, storage, files, Set.copyOf(tables));
        status.publish(new ImportPlanned(ImportPlanned.idFor(request.migrationId(), request.epoch()),
                request.migrationId(), status.workerId(), request.epoch(), Instant.now(), planned));
        LOGGER.info("import planned: {} tables, {} chunks from {}", tables.size(), planned.size(), storage.root());
    }

    private void createSchemas(ImportRequest request, Storage storage, Set<String> files, List<TableRef> tables) {
        Connection c = sessions.open(request.target());
        try {
            for (String schema : new LinkedHashSet<>(tables.stream().map(TableRef::schema).sorted().toList())) {
                String file = DumpLayout.schemaCreateFile(schema);
                List<String> statements = files.contains(file) ? readStatements(storage, file)
                        : List.of(SessionText.utf8("CREATE DATABASE " + TableRef.quote(schema)));
                execute(c, request, schema, file, statements);
            }
            for (TableRef table : tables) {
                String file = DumpLayout.tableSchemaFile(table);
                useSchema(c, request, table);
                execute(c, request, table.toString(), file, readStatements(storage, file));
            }
        } finally {
            TargetSessions.closeQuietly(c);
        }
    }

    /**
     * @param statements as the session sends them ({@link SessionText}); each file starts from a binary session, as
     *                   if loaded on its own, whatever SET NAMES the file before it issued
     */
    private void execute(Connection c, ImportRequest request, String subject, String file, List<String> statements) {
        try (Statement st = c.createStatement()) {
            st.execute(TargetSessions.BYTES_AS_THEY_ARE);
            for (String sql : statements) {
                try {
                    st.execute(SchemaStatements.idempotent(sql));
                } catch (SQLException e) {
                    throw TargetErrors.classify(e, request.target(), subject + " (file " + file + ")");
                }
            }
        } catch (SQLException e) {
            throw TargetErrors.classify(e, request.target(), subject + " (file " + file + ")");
        }
    }

    private static void useSchema(Connection c, ImportRequest request, TableRef table) {
        try (Statement st = c.createStatement()) {
            st.execute(TargetSessions.BYTES_AS_THEY_ARE);
            st.execute(SessionText.utf8("USE " + TableRef.quote(table.schema())));
        } catch (SQLException e) {
            throw TargetErrors.classify(e, request.target(), table.toString());
        }
    }

    private List<ImportPlanned.PlannedChunk> queueChunks(ImportRequest request, Storage storage, Set<String> files,
                                                         Set<TableRef> tables) {
        List<ImportPlanned.PlannedChunk> planned = new ArrayList<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (String file : new TreeSet<>(files)) {
            DumpLayout.DataFile data = DumpLayout.parseDataFile(file).orElse(null);
            if (data == null || !tables.contains(data.table())) {
                continue;
            }
            String chunkId = ImportChunk.idFor(request.migrationId(), request.epoch(), file);
            long size = size(storage, file);
            ImportChunk chunk = new ImportChunk(chunkId, request.migrationId(), request.epoch(), request.target(),
                    request.location(), data.table(), file, size);
            sends.add(kafka.send(Topics.IMPORT_CHUNKS, chunkId, chunk));
            planned.add(new ImportPlanned.PlannedChunk(chunkId, data.table(), size));
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted while queueing chunks");
        } catch (Exception e) {
            throw new TidemarkException(ErrorCode.INTERNAL, e,
                    "cannot queue chunks on " + Topics.IMPORT_CHUNKS + ": " + e.getMessage());
        }
        return planned;
    }

    private static List<TableRef> tablesIn(Set<String> files) {
        return files.stream().map(DumpLayout::parseTableSchemaFile).flatMap(java.util.Optional::stream)
                .sorted().toList();
    }

    /**
     * A schema file is small, but it goes through the same splitter so comments and quotes mean the same; its
     * statements come out as the file's bytes, ready for the session like the file's data.
     */
    private List<String> readStatements(Storage storage, String file) {
        InputStream in;
        try {
            in = storage.open(file);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, e, file, "cannot open: " + e.getMessage());
        }
        List<String> out = new ArrayList<>();
        try (StatementSplitter splitter = new StatementSplitter(in, file, maxStatementBytes)) {
            for (SqlStatement s = splitter.next(); s != null; s = splitter.next()) {
                out.add(s.sql());
            }
        }
        return out;
    }

    private static List<String> list(Storage storage) {
        try {
            return storage.list("");
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot list: " + e.getMessage());
        }
    }

    private static long size(Storage storage, String file) {
        try {
            return storage.size(file);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot stat " + file + ": " + e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
