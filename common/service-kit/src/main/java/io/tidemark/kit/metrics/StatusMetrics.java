package io.tidemark.kit.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A worker's Prometheus metrics, counted from the status events it has reported (once Kafka acknowledged them): what
 * the service did is exactly what it told the coordinator, so the two never disagree, and no worker code counts
 * anything by hand. One naming scheme for every service ({@code tidemark_*}, the phase as a label), listed in the
 * README's "Metrics" section:
 * <ul>
 *   <li>{@code tidemark_rows_total{phase}}, {@code tidemark_bytes_total{phase}}: rows and bytes dumped
 *       ({@code snapshot}), imported ({@code import}) and applied ({@code replication}, rows only);</li>
 *   <li>{@code tidemark_tables_dumped_total}, {@code tidemark_chunks_imported_total};</li>
 *   <li>{@code tidemark_errors_total{code,stage}}: failures reported, by catalog code;</li>
 *   <li>{@code tidemark_replication_lag_seconds}: the largest lag among the replications this process reported in
 *       the last minute (0 when none);</li>
 *   <li>{@code tidemark_status_unsent_seconds}: how long Kafka has refused this process's status events (0 when it
 *       takes them).</li>
 * </ul>
 * Thread-safe.
 */
public final class StatusMetrics implements Consumer<StatusEvent> {
    /** a replication not heard of for this long no longer counts towards the lag gauge (it ended or moved) */
    static final Duration LAG_WINDOW = Duration.ofMinutes(1);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Counter> rows = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();
    private final Counter tablesDumped;
    private final Counter chunksImported;
    private final Map<String, Lag> lags = new ConcurrentHashMap<>();
    /** the last cumulative row count of each migration's replication run (a new run starts lower): only what is new counts */
    private final Map<String, Long> appliedSoFar = new ConcurrentHashMap<>();

    private record Lag(long seconds, long atMillis) {
    }

    public StatusMetrics(MeterRegistry registry, LongSupplier unsentSinceMillis) {
        this(registry, unsentSinceMillis, Clock.systemUTC());
    }

    StatusMetrics(MeterRegistry registry, LongSupplier unsentSinceMillis, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (String phase : new String[]{"snapshot", "import", "replication"}) {
            rows(phase);
        }
        bytes("snapshot");
        bytes("import");
        tablesDumped = Counter.builder("tidemark.tables.dumped").description("tables dumped in full")
                .register(registry);
        chunksImported = Counter.builder("tidemark.chunks.imported").description("import chunks completed")
                .register(registry);
        Gauge.builder("tidemark.replication.lag", this, StatusMetrics::maxLag).baseUnit("seconds")
                .description("largest replication lag this process reported in the last minute").register(registry);
        Gauge.builder("tidemark.status.unsent", unsentSinceMillis, since -> {
                    long at = since.getAsLong();
                    return at == 0 ? 0 : Math.max(0, clock.millis() - at) / 1000.0;
                }).baseUnit("seconds").description("how long Kafka has refused this process's status events")
                .register(registry);
    }

    @Override
    public void accept(StatusEvent event) {
        switch (event) {
            case TableDumped t -> {
                tablesDumped.increment();
                rows("snapshot").increment(t.rows());
                bytes("snapshot").increment(t.bytes());
            }
            case ChunkImported c -> {
                chunksImported.increment();
                rows("import").increment(c.rows());
                bytes("import").increment(c.bytes());
            }
            case ReplicationProgressed r -> replicated(r);
            case WorkFailed f -> Counter.builder("tidemark.errors").description("failures reported, by catalog code")
                    .tag("code", f.code()).tag("stage", f.stage().code()).register(registry).increment();
            default -> {
            }
        }
    }

    private void replicated(ReplicationProgressed r) {
        Long before = appliedSoFar.put(r.migrationId().value(), r.rowsApplied());
        long added = before == null || r.rowsApplied() < before ? r.rowsApplied() : r.rowsApplied() - before;
        rows("replication").increment(added);
        lags.put(r.migrationId().value(), new Lag(r.lagSeconds(), clock.millis()));
    }

    private double maxLag() {
        long since = clock.millis() - LAG_WINDOW.toMillis();
        lags.values().removeIf(l -> l.atMillis() < since);
        return lags.values().stream().mapToLong(Lag::seconds).max().orElse(0);
    }

    private Counter rows(String phase) {
        return rows.computeIfAbsent(phase, p -> Counter.builder("tidemark.rows").tag("phase", p)
                .description("rows dumped, imported or applied").register(registry));
    }

    private Counter bytes(String phase) {
        return bytes.computeIfAbsent(phase, p -> Counter.builder("tidemark.bytes").tag("phase", p)
                .description("bytes dumped or imported").register(registry));
    }
}
