package io.tidemark.dm.relay;

import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.dm.own.Owner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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
 * on where the old one stopped. A relay that failed (its start purged, its topic misconfigured) stays failed until a
 * different desired record arrives or it moves to another worker, as a task does.
 * Mutated from the ownership thread; {@link #states()} is safe from any thread.
 */
@Component
public class RelaySupervisor implements Owner<DesiredRelay> {
    private static final Logger LOGGER = LoggerFactory.getLogger(RelaySupervisor.class);

    /** a relay this worker runs; {@code writer} is null when it could not start */
    private record Run(DesiredRelay desired, RelayWriter writer, TidemarkException startFailure) {
        TidemarkException failure() {
            return writer == null ? startFailure : writer.failure();
        }
    }

    private final RelayWriters writers;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    RelaySupervisor(RelayWriters writers) {
        this.writers = writers;
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
        try {
            runs.put(sourceId, new Run(relay, writers.start(sourceId, relay.source(), relay.serverId(),
                    relay.start()), null));
        } catch (TidemarkException e) {
            LOGGER.error("relay of source {} did not start: {}", sourceId, e.getMessage());
            runs.put(sourceId, new Run(relay, null, e));
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
