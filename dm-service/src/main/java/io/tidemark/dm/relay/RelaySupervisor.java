package io.tidemark.dm.relay;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.dm.own.Owner;
import io.tidemark.dm.sync.SyncSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the relays this worker owns as the coordinator wants them ({@code tidemark.dm.relays}, key source-id): a relay
 * wanted running gets a writer, one wanted stopped (or deleted, or moved to another worker) has its writer closed,
 * which hands what it read to Kafka first. The writer resumes from the relay topic's last record, so a new owner goes
 * on where the old one stopped. A relay that failed for a cause that may pass (Kafka refused its records or could not
 * be reached) is started again after {@code tidemark.dm.retry-initial-backoff}, doubling up to
 * {@code retry-max-backoff}, from the topic's last record; one that failed for good (its start purged, its topic
 * misconfigured, or fenced by a newer writer of its topic: starting it again would fence the relay's real owner) stays
 * failed until a different desired record arrives or it moves to another worker, as a task
 * does.
 * Mutated from the ownership thread; {@link #states()} is safe from any thread.
 */
@Component
public class RelaySupervisor implements Owner<DesiredRelay> {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelaySupervisor.class);

    /**
     * a relay this worker runs; {@code writer} is null when it could not start. {@code backoff}: how long after a
     * retriable failure the next start waits (the first one {@code retry-initial-backoff})
     */
    private record Run(DesiredRelay desired, RelayWriter writer, TidemarkException startFailure, Duration backoff,
                       Instant retryAt) {
        TidemarkException failure() {
            return writer == null ? startFailure : writer.failure();
        }
    }

    private final RelayWriters writers;
    private final SyncSettings settings;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    RelaySupervisor(RelayWriters writers, SyncSettings settings) {
        this.writers = writers;
        this.settings = settings;
    }

    @Override
    public void reconcile(String sourceId, Optional<DesiredRelay> desired) {
        Run current = runs.get(sourceId);
        if (desired.isEmpty() || !desired.get().running()) {
            if (current != null) {
                LOGGER.info("relay of source {}: desired state is {}: stopping", sourceId,
                        desired.isEmpty() ? "deleted" : "stopped");
                stop(List.of(sourceId));
            }
            return;
        }
        DesiredRelay relay = desired.get();
        if (current != null && current.desired().equals(relay)) {
            return;
        }
        if (current != null) {
            LOGGER.info("relay of source {}: desired state changed: restarting", sourceId);
            stop(List.of(sourceId));
        }
        start(relay, settings.retryInitialBackoff());
    }

    private void start(DesiredRelay relay, Duration backoff) {
        try {
            runs.put(relay.sourceId(), new Run(relay, writers.start(relay.sourceId(), relay.source(),
                    relay.serverId(), relay.start()), null, backoff, null));
        } catch (TidemarkException e) {
            LOGGER.error("relay of source {} did not start: {}", relay.sourceId(), e.getMessage());
            runs.put(relay.sourceId(), new Run(relay, null, e, backoff, null));
        }
    }

    /** starts again, from the topic's last record, each relay whose failure may pass, once its backoff is over */
    @Override
    public void tick() {
        Instant now = Instant.now();
        for (Run r : List.copyOf(runs.values())) {
            TidemarkException failure = r.failure();
            if (failure == null || !failure.error().retriable()) {
                continue;
            }
            String id = r.desired().sourceId();
            if (r.retryAt() == null) {
                LOGGER.warn("relay of source {} failed, starting it again in {}: {}", id, r.backoff(),
                        failure.getMessage());
                runs.put(id, new Run(r.desired(), r.writer(), r.startFailure(), r.backoff(), now.plus(r.backoff())));
            } else if (!now.isBefore(r.retryAt())) {
                // the failed run stays listed (failed) until its successor replaces it
                if (r.writer() != null) {
                    r.writer().close();
                }
                Duration next = r.backoff().multipliedBy(2);
                start(r.desired(), next.compareTo(settings.retryMaxBackoff()) > 0 ? settings.retryMaxBackoff() : next);
            }
        }
    }

    @Override
    public void stop(Collection<String> sourceIds) {
        for (String id : sourceIds) {
            Run r = runs.remove(id);
            if (r != null && r.writer() != null) {
                r.writer().close();
                LOGGER.info("relay of source {} stopped after {}", id, r.writer().relayed());
            }
        }
    }

    @Override
    public void stopAll() {
        stop(List.copyOf(runs.keySet()));
    }

    /** where the relay of a source this worker runs has relayed up to (the stream's next position), if it runs here */
    public Optional<BinlogPosition> relayed(String sourceId) {
        Run r = runs.get(sourceId);
        return r == null || r.writer() == null ? Optional.empty() : Optional.ofNullable(r.writer().relayed());
    }

    /** source-id → {@code running} or {@code failed: why}, for the info endpoint and tests */
    public Map<String, String> states() {
        Map<String, String> out = new TreeMap<>();
        runs.forEach((id, r) -> out.put(id, r.failure() == null ? "running" : "failed: " + r.failure().getMessage()));
        return out;
    }
}
