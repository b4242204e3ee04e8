package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.kit.kafka.CommandErrors;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/** Which status events the coordinator keeps retrying and which it skips: decided by the error catalog alone. */
class StatusRetryTest {
    @Test
    void anEventWhoseOutcomeCouldNotBeSavedIsRetriedWithoutEnd() {
        Exception e = new ListenerExecutionFailedException("listener failed",
                new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, "migration m1 to tidemark.migrations", "timeout"));
        BackOffExecution retries = backOffFor(e).start();
        // the kit's policy: from 0.5 s, doubling to 30 s, each pause up to 20% shorter (jitter), never STOP
        assertThat(retries.nextBackOff()).isBetween(400L, 500L);
        for (int i = 1; i < 1000; i++) {
            assertThat(retries.nextBackOff()).as("attempt %d", i).isNotEqualTo(BackOffExecution.STOP)
                    .isBetween(400L, 30_000L);
        }
        assertThat(retries.nextBackOff()).isBetween(24_000L, 30_000L);
    }

    @Test
    void anEventThatCannotBeAppliedIsSkippedAtOnce() {
        Exception fatal = new ListenerExecutionFailedException("listener failed",
                new TidemarkException(ErrorCode.ILLEGAL_TRANSITION, "m1", "completed", "importing"));
        assertThat(backOffFor(fatal).start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
        assertThat(backOffFor(new IllegalStateException("bug")).start().nextBackOff())
                .isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void anEventOfANewerVersionIsReadAgainUntilTheCoordinatorIsUpgradedAndAMalformedOneIsSkipped() {
        Exception newer = new DeserializationException("failed to deserialize", new byte[0], false,
                new TidemarkException(ErrorCode.MESSAGE_VERSION_TOO_NEW, "chunk-imported", 2, 1));
        BackOffExecution retries = backOffFor(newer).start();
        for (int i = 0; i < 100; i++) {
            assertThat(retries.nextBackOff()).as("attempt %d", i).isNotEqualTo(BackOffExecution.STOP);
        }
        Exception malformed = new DeserializationException("failed to deserialize", new byte[0], false,
                new TidemarkException(ErrorCode.MALFORMED_MESSAGE, "not JSON"));
        assertThat(backOffFor(malformed).start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    @Test
    void anEventWhoseOutcomeKafkaRefusesForItsSizeIsNeverRetried() {
        // sent again, the same message is refused again: retrying would block every migration on the partition
        Exception tooLarge = new ListenerExecutionFailedException("listener failed", new TidemarkException(
                ErrorCode.KAFKA_MESSAGE_TOO_LARGE, "the state of migration m1", "2,000,000 bytes", "1 MiB"));
        assertThat(backOffFor(tooLarge).start().nextBackOff()).isEqualTo(BackOffExecution.STOP);
    }

    /** the decision of the coordinator's status handler: the kit's handler with the coordinator's retries */
    private static BackOff backOffFor(Exception e) {
        return CommandErrors.backOff(e, StatusConsumer.RETRIES);
    }

    @Test
    void theCatalogMarksKafkaUnavailabilityRetriable() {
        assertThat(ErrorCode.KAFKA_UNAVAILABLE.retriable()).isTrue();
        assertThat(new TidemarkException(ErrorCode.KAFKA_UNAVAILABLE, "x to t", "timeout").getMessage())
                .isEqualTo("TM-50004 cannot write x to t to Kafka: timeout — remedy: check the Kafka cluster"
                        + " (brokers up, topic present, credentials); Tidemark retries until it can");
    }
}
