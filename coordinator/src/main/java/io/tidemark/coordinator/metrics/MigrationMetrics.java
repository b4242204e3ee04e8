package io.tidemark.coordinator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.coordinator.migration.ChunkProgress;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.Progress;
import io.tidemark.coordinator.migration.TableProgress;
import io.tidemark.coordinator.orchestration.Coordinator;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * The coordinator's metrics: what every migration is doing, as its durable state says, refreshed every few seconds
 * (the same names scheme as the workers' {@code tidemark_*}; README "Metrics"):
 * <ul>
 *   <li>{@code tidemark_migrations{phase}}: how many migrations are in each phase;</li>
 *   <li>{@code tidemark_migration_rows{migration,phase}}: rows dumped ({@code snapshot}) and imported
 *       ({@code import}) of each migration;</li>
 *   <li>{@code tidemark_migration_import_bytes{migration,of}}: bytes of the planned chunks imported ({@code of=done})
 *       and planned ({@code of=total}): their ratio is the import's progress;</li>
 *   <li>{@code tidemark_migration_lag_seconds{migration}}: each replicating migration's lag;</li>
 *   <li>{@code tidemark_chunk_queue_depth}: import chunks published and not yet done by any lightning-service
 *       (the lag of the import workers' share group, or of their consumer group): what to scale import workers by.</li>
 * </ul>
 * A migration's series go when it is deleted from the list.
 */
@Component
public class MigrationMetrics implements DisposableBean {
    private static final Logger LOGGER = LoggerFactory.getLogger(MigrationMetrics.class);
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final Coordinator coordinator;
    private final TopicCatalog topics;
    private final ChunkQueueDepth depth;
    private final Admin admin;
    private final MultiGauge byPhase;
    private final MultiGauge rows;
    private final MultiGauge importBytes;
    private final MultiGauge lag;
    private final AtomicLong chunkQueue = new AtomicLong();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("migration-metrics").factory());

    public MigrationMetrics(MeterRegistry registry, Coordinator coordinator, TopicCatalog topics, KafkaAdmin kafka) {
        this.coordinator = coordinator;
        this.topics = topics;
        this.admin = Admin.create(kafka.getConfigurationProperties());
        this.depth = new ChunkQueueDepth(admin, topics);
        byPhase = MultiGauge.builder("tidemark.migrations").description("migrations by phase").register(registry);
        rows = MultiGauge.builder("tidemark.migration.rows").description("rows dumped and imported by migration")
                .register(registry);
        importBytes = MultiGauge.builder("tidemark.migration.import.bytes").baseUnit("bytes")
                .description("bytes of planned chunks imported (of=done) and planned (of=total)").register(registry);
        lag = MultiGauge.builder("tidemark.migration.lag").baseUnit("seconds")
                .description("replication lag by migration").register(registry);
        Gauge.builder("tidemark.chunk.queue.depth", chunkQueue, AtomicLong::get)
                .description("import chunks waiting for a lightning-service").register(registry);
        // never on the starting thread: reading the chunk topic's offsets waits for Kafka
        refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    void refresh() {
        try {
            List<Migration> all = coordinator.list();
            Map<String, Long> phases = all.stream().collect(Collectors.groupingBy(m -> m.phase().code(),
                    Collectors.counting()));
            List<MultiGauge.Row<?>> phaseRows = new ArrayList<>();
            for (String code : List.of("checking", "pending", "snapshotting", "importing", "replicating",
                    "completed", "stopped", "failed")) {
                phaseRows.add(MultiGauge.Row.of(Tags.of("phase", code), phases.getOrDefault(code, 0L)));
            }
            byPhase.register(phaseRows, true);
            List<MultiGauge.Row<?>> rowRows = new ArrayList<>();
            List<MultiGauge.Row<?>> byteRows = new ArrayList<>();
            List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
            for (Migration m : all) {
                Progress p = m.progress();
                String id = m.id().value();
                long dumped = p.tables().values().stream().mapToLong(TableProgress::rowsDumped).sum();
                long imported = p.chunks().values().stream().filter(ChunkProgress::imported)
                        .mapToLong(ChunkProgress::rows).sum();
                rowRows.add(MultiGauge.Row.of(Tags.of("migration", id, "phase", "snapshot"), dumped));
                rowRows.add(MultiGauge.Row.of(Tags.of("migration", id, "phase", "import"), imported));
                byteRows.add(MultiGauge.Row.of(Tags.of("migration", id, "of", "done"), p.chunks().values().stream()
                        .filter(ChunkProgress::imported).mapToLong(ChunkProgress::bytes).sum()));
                byteRows.add(MultiGauge.Row.of(Tags.of("migration", id, "of", "total"), p.chunks().values().stream()
                        .mapToLong(ChunkProgress::bytes).sum()));
                if (m.phase() instanceof Phase.Replicating && p.lagSeconds() != null) {
                    lagRows.add(MultiGauge.Row.of(Tags.of("migration", id), p.lagSeconds()));
                }
            }
            rows.register(rowRows, true);
            importBytes.register(byteRows, true);
            lag.register(lagRows, true);
            chunkQueue.set(chunkQueueDepth());
        } catch (RuntimeException e) {
            LOGGER.debug("metrics not refreshed this time: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long chunkQueueDepth() throws InterruptedException {
        try {
            return depth.read();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOGGER.debug("chunk queue depth not read: {}", e.toString());
            return chunkQueue.get();
        }
    }

    @Override
    public void destroy() {
        refresher.shutdownNow();
        admin.close(Duration.ofSeconds(1));
    }
}
