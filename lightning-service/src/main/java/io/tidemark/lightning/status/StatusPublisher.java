package io.tidemark.lightning.status;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.Topics;
import org.springframework.kafka.core.KafkaTemplate;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends observed state to {@link Topics#STATUS}, keyed by migration id, and waits for the broker's ack: a command's
 * offset is committed only after its status event is durable, so a crash in between re-sends, never loses, it.
 * Thread-safe.
 */
public final class StatusPublisher {
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final KafkaTemplate<String, Object> template;
    private final WorkerId workerId;

    public StatusPublisher(KafkaTemplate<String, Object> template, WorkerId workerId) {
        this.template = template;
        this.workerId = workerId;
    }

    /** the id every event of this process is stamped with */
    public WorkerId workerId() {
        return workerId;
    }

    public void publish(StatusEvent event) {
        try {
            template.send(Topics.STATUS, event.migrationId().value(), event).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.INTERNAL, e, "interrupted while sending " + event.eventId());
        } catch (ExecutionException | TimeoutException e) {
            throw new TidemarkException(ErrorCode.INTERNAL, e,
                    "cannot send status event " + event.eventId() + " to " + Topics.STATUS + ": " + e.getMessage());
        }
    }
}
