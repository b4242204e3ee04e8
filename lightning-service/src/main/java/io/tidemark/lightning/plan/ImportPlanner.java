package io.tidemark.lightning.plan;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.ImportPlanned;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.retry.RetriesExhausted;
import io.tidemark.kit.retry.RetryPolicy;
import io.tidemark.kit.status.StatusPublisher;
import io.tidemark.lightning.parquet.ParquetRows;
import io.tidemark.lightning.target.TargetSessions;
import io.tidemark.lightning.work.FirstFailureReported;
import io.tidemark.lightning.work.StopSignal;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.AcknowledgingMessageListener;
import org.springframework.kafka.support.Acknowledgment;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plans an {@link ImportRequest}: reads the location as an Aurora snapshot export or a Dumpling dump
 * ({@link ImportFiles}), creates the databases and tables the schema files define on the target (schema first, as
 * Lightning does; under their routed names; none with no-schema) and checks that every other table rows go to exists
 * there, then queues one {@link ImportChunk} per data file, into its routed table with the request's on-duplicate,
 * and reports {@link ImportPlanned}. Deterministic: the same request yields the same chunk ids, so a redelivered
 * request re-queues chunks the workers find done in their checkpoints.
 * <p>
 * A retriable failure (target or Kafka unreachable) is reported once as a retriable WorkFailed and the plan tried
 * again, a bounded number of times: then it is reported failed for good, saying how to resume. A request is
 * acknowledged only once its ImportPlanned or WorkFailed was taken by Kafka; when the service stops meanwhile, it is
 * left unacknowledged and planned again on the next delivery.
 * <p>
 * Called by one listener container thread; {@link #stop} (the service stopping) may come from any thread. As a
 * lifecycle it stops before its container, so a plan waiting between attempts or for Kafka ends and the container
 * can stop.
 */
final class ImportPlanner implements AcknowledgingMessageListener<String, Command>, SmartLifecycle {
    private static final Logger LOGGER = LoggerFactory.getLogger(ImportPlanner.class);
    private static final String SUBJECT = "plan";
    /** how soon an unacknowledged request comes back when the service did not stop after all */
    private static final Duration REDELIVER_AFTER = Duration.ofSeconds(1);
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(60);

    private final TargetSessions sessions;
    private final Timeouts timeouts;
    private final KafkaTemplate<String, Command> kafka;
    private final TopicCatalog topics;
    private final StatusPublisher status;
    private final WorkerId workerId;
    private final RetryPolicy retry;
    private final int maxStatementBytes;
    private final ParquetRows.Limits parquetLimits;
    private final long chunkBytes;
    private final int planPageChunks;
    private final StopSignal stop = new StopSignal();

    ImportPlanner(TargetSessions sessions, Timeouts timeouts, KafkaTemplate<String, Command> kafka,
                  TopicCatalog topics, StatusPublisher status, WorkerId workerId, RetryPolicy retry,
                  int maxStatementBytes, ParquetRows.Limits parquetLimits, long chunkBytes, int planPageChunks) {
        this.sessions = sessions;
        this.timeouts = timeouts;
        this.kafka = kafka;
        this.topics = topics;
        this.status = status;
        this.workerId = workerId;
        this.retry = retry;
        this.maxStatementBytes = maxStatementBytes;
        this.parquetLimits = parquetLimits;
        this.chunkBytes = chunkBytes;
        this.planPageChunks = planPageChunks;
    }

    @Override
    public void onMessage(ConsumerRecord<String, Command> record, Acknowledgment ack) {
        boolean reported = switch (record.value()) {
            case null -> skip("an unreadable record", record);
            case ImportRequest request -> planAndReport(request);
            case SnapshotRequest ignored -> skip("a snapshot request", record);
            case ImportChunk ignored -> skip("an import chunk", record);
            case ReplicationTask ignored -> skip("a replication task", record);
        };
        if (reported) {
            ack.acknowledge();
        } else {
            ack.nack(REDELIVER_AFTER);
        }
    }

    private static boolean skip(String what, ConsumerRecord<String, Command> record) {
        LOGGER.warn("skipping {} at {}-{}@{}", what, record.topic(), record.partition(), record.offset());
        return true;
    }

    /** true once the outcome is on the status topic; false when the service stopped before */
    private boolean planAndReport(ImportRequest request) {
        MDC.put("migrationId", request.migrationId().value());
        try (StopSignal.Registration ignored = stop.interruptOnStop()) {
            if (stop.requested()) {
                return false;
            }
            for (StatusEvent event : outcome(request)) {
                status.publish(event);
            }
            return true;
        } catch (InterruptedException e) {
            LOGGER.info("the service stops; the import request is planned again on its next delivery");
            return false;
        } finally {
            MDC.remove("migrationId");
        }
    }

    /** the plan's events, in order (one, or its parts), or the failure */
    private List<? extends StatusEvent> outcome(ImportRequest request) throws InterruptedException {
        FirstFailureReported<List<ImportPlanned>> attempts = new FirstFailureReported<>(() -> plan(request),
                e -> failed(request, e), status::publish, stop::pause);
        try {
            return retry.run("import plan of " + request.migrationId(), attempts, attempts);
        } catch (RetriesExhausted e) {
            LOGGER.error("import plan failed after {} attempts: {}", e.attempts(), e.last().getMessage());
            return List.of(WorkFailed.afterGivingUp(request.migrationId(), workerId, request.epoch(), Stage.IMPORT,
                    SUBJECT, e.last(), e.attempts()));
        } catch (TidemarkException e) {
            LOGGER.error("import plan failed: {}", e.getMessage());
            return List.of(failed(request, e));
        } catch (RuntimeException e) {
            LOGGER.error("import plan failed unexpectedly", e);
            return List.of(failed(request, new TidemarkException(ErrorCode.INTERNAL, e, "planning the import of "
                    + Storages.redact(request.location()) + " failed unexpectedly: " + e)));
        }
    }

    private WorkFailed failed(ImportRequest request, TidemarkException e) {
        return WorkFailed.of(request.migrationId(), workerId, request.epoch(), Stage.IMPORT, SUBJECT, e);
    }

    private List<ImportPlanned> plan(ImportRequest request) {
        ImportOptions options = request.options();
        options.csv().unloadable().ifPresent(why -> {
            throw new TidemarkException(ErrorCode.CSV_FORMAT_UNSUPPORTED, "the import's CSV files", why);
        });
        ImportFiles files = ImportFiles.of(Storages.open(request.location()), request.tables());
        SchemaFiles schema = options.createSchema() ? SchemaFiles.at(options.schemaLocation() != null
                ? options.schemaLocation() : request.location(), maxStatementBytes) : null;
        prepareTables(request, files.tables(), schema);
        List<ImportPlanned.PlannedChunk> planned = queueChunks(request, files);
        LOGGER.info("import planned: {} tables, {} chunks from the {} at {}", files.tables().size(), planned.size(),
                files.layout(), Storages.redact(request.location()));
        return ImportPlanned.paged(request.migrationId(), workerId, request.epoch(), Instant.now(), planned,
                planPageChunks);
    }

    /**
     * Makes sure every table the rows go to exists, schema first as Lightning does: each table with a CREATE TABLE
     * file is created (with its database) under its target name; every other one must be on the target already. Any
     * that is not stops the plan before anything is created or queued, all of them named at once.
     *
     * @param schema the schema files; null when no-schema is set (nothing is created)
     */
    private void prepareTables(ImportRequest request, List<TableRef> tables, SchemaFiles schema) {
        ImportOptions options = request.options();
        Map<TableRef, TableRef> created = new TreeMap<>(); // target -> the source whose file creates it
        Set<TableRef> needed = new TreeSet<>();
        for (TableRef source : tables) {
            TableRef target = options.targetOf(source);
            if (schema != null && schema.creates(source)) {
                created.putIfAbsent(target, source);
            } else {
                needed.add(target);
            }
        }
        needed.removeAll(created.keySet());
        Connection c = sessions.open(request.target());
        try {
            List<TableRef> missing = missing(c, request, needed);
            if (!missing.isEmpty()) {
                String why = schema == null ? "no-schema is set, so Tidemark creates no table"
                        : "the files hold no CREATE TABLE file for " + (missing.size() == 1 ? "it" : "them")
                        + " (looked in " + schema.where() + ")";
                throw new TidemarkException(ErrorCode.TARGET_TABLE_MISSING, request.target().describe(),
                        String.join(", ", missing.stream().map(TableRef::toString).toList()), why);
            }
            Map<String, Set<String>> databases = new TreeMap<>(); // target database -> source databases
            created.forEach((target, source) -> databases.computeIfAbsent(target.schema(), k -> new TreeSet<>())
                    .add(source.schema()));
            databases.forEach((target, sources) -> execute(c, request, target, schema.createDatabase(target, sources)));
            created.forEach((target, source) -> execute(c, request, target.toString(),
                    schema.createTable(source, target, options.filledOf(source))));
        } finally {
            Sessions.closeQuietly(c);
        }
    }

    private List<TableRef> missing(Connection c, ImportRequest request, Set<TableRef> tables) {
        try {
            return TargetTables.missing(c, tables);
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.TARGET, request.target().describe(), "the tables to import into");
        }
    }

    /**
     * Runs one schema file under the long-operation timeout: on TiDB a CREATE waits for its DDL job, which may queue
     * behind others for longer than the read timeout.
     *
     * @param statements as the session sends them ({@link io.tidemark.lightning.target.SessionText}); each file
     *                   starts from a binary session, as if loaded on its own, whatever SET NAMES the file before it
     *                   issued
     */
    private void execute(Connection c, ImportRequest request, String subject, SchemaFiles.Statements statements) {
        try {
            Sessions.withTimeout(c, timeouts.longOperation(), s -> {
                try (Statement st = s.createStatement()) {
                    st.execute(TargetSessions.BYTES_AS_THEY_ARE);
                    for (String sql : statements.sql()) {
                        st.execute(SchemaStatements.idempotent(sql));
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw SqlErrors.classify(e, Side.TARGET, request.target().describe(), subject + " (file "
                    + statements.file() + ")");
        }
    }

    /**
     * One chunk per data file, into the file's table after routing, with the import's on-duplicate; a Parquet file
     * gives one chunk per run of row groups up to {@code chunk-bytes} ({@link ParquetChunks}); with strict-format,
     * an uncompressed CSV file one chunk per byte range of about {@code chunk-bytes}, cut at line ends
     * ({@link CsvChunks}).
     */
    private List<ImportPlanned.PlannedChunk> queueChunks(ImportRequest request, ImportFiles files) {
        ImportOptions options = request.options();
        List<ImportPlanned.PlannedChunk> planned = new ArrayList<>();
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (ImportFiles.DataFile file : files.files()) {
            TableRef target = options.targetOf(file.table());
            // a range is cut after a line feed, which ends a row only when the terminator ends in one
            List<ImportChunk.ByteRange> ranges = options.strictFormat() && CsvChunks.handles(file.path())
                    && options.csv().lineEnd().endsWith("\n")
                    ? CsvChunks.split(Storages.open(request.location()), file.path(), file.size(), chunkBytes)
                    : List.of();
            if (ranges.size() > 1) {
                for (ImportChunk.ByteRange range : ranges) {
                    String chunkId = ImportChunk.idFor(request.migrationId(), request.epoch(), file.path(), range);
                    ImportChunk chunk = new ImportChunk(chunkId, request.migrationId(), request.epoch(),
                            request.target(), request.location(), target, file.path(), range.length(),
                            options.onDuplicate(), null, range, options.csv(), options.filledOf(file.table()));
                    sends.add(send(chunk));
                    planned.add(new ImportPlanned.PlannedChunk(chunkId, target, range.length()));
                }
                continue; // a file of one range keeps the whole file's chunk and id
            }
            List<ParquetChunks.Part> parts = ParquetChunks.handles(file.path())
                    ? ParquetChunks.split(Storages.open(request.location()), file.path(), file.size(), file.table(),
                    parquetLimits, chunkBytes)
                    : List.of(new ParquetChunks.Part(null, file.size()));
            for (ParquetChunks.Part part : parts) {
                String chunkId = part.rowGroups() == null
                        ? ImportChunk.idFor(request.migrationId(), request.epoch(), file.path())
                        : ImportChunk.idFor(request.migrationId(), request.epoch(), file.path(), part.rowGroups());
                ImportChunk chunk = new ImportChunk(chunkId, request.migrationId(), request.epoch(), request.target(),
                        request.location(), target, file.path(), part.bytes(), options.onDuplicate(),
                        part.rowGroups(), null, options.csv(), options.filledOf(file.table()));
                sends.add(send(chunk));
                planned.add(new ImportPlanned.PlannedChunk(chunkId, target, part.bytes()));
            }
        }
        try {
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                    .get(QUEUE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // the retry policy sees the interrupt and ends the plan: the service stops
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "the chunks of " + request.migrationId(),
                    "stopped while waiting for Kafka");
        } catch (ExecutionException | TimeoutException e) {
            throw new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, e, "the chunks of " + request.migrationId()
                    + " (topic " + topics.importChunks() + ")", e instanceof ExecutionException && e.getCause() != null
                    ? e.getCause().getMessage() : "no acknowledgement within " + QUEUE_TIMEOUT.toSeconds() + "s");
        }
        return planned;
    }

    /** a send Kafka refused at once (no metadata within max.block.ms) fails like one it did not acknowledge */
    private CompletableFuture<?> send(ImportChunk chunk) {
        try {
            return kafka.send(topics.importChunks(), chunk.messageId(), chunk);
        } catch (org.springframework.kafka.KafkaException | org.apache.kafka.common.KafkaException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void start() {
        // a plan may start as soon as its container delivers a request; only stopping needs this lifecycle
    }

    /** the service stops: a plan in progress ends at its next wait, its request unacknowledged */
    @Override
    public void stop() {
        stop.request();
    }

    @Override
    public boolean isRunning() {
        return !stop.requested();
    }

    /** stops before the container (a higher phase stops first), so the container never waits on a blocked plan */
    @Override
    public int getPhase() {
        return AbstractMessageListenerContainer.DEFAULT_PHASE + 1;
    }
}
