package io.tidemark.kit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import io.tidemark.mysql.session.Timeouts;

import java.time.Duration;

/**
 * The keys every Tidemark service shares, bound once by the service kit.
 *
 * @param secretKey   base64 of 32 bytes; seals and opens the passwords commands carry (the same on every service)
 * @param topicPrefix the first part of every topic and group name ({@code tidemark.topic-prefix}), so several
 *                    installations can share one Kafka cluster
 * @param topics      how the catalog's topics are created when this service is the first to start
 * @param status      how status events are sent
 * @param db          how long any session on a source or target may wait (every service, every connection)
 */
@Validated
@ConfigurationProperties("tidemark")
public record TidemarkProperties(
        @NotBlank(message = "tidemark.secret-key is required: base64 of 32 bytes, the same on every service "
                + "(e.g. `openssl rand -base64 32`)") String secretKey,
        @DefaultValue("tidemark") @NotBlank(message = "tidemark.topic-prefix must not be blank; the default is tidemark")
        String topicPrefix,
        @Valid @DefaultValue Topics topics,
        @Valid @DefaultValue Status status,
        @Valid @DefaultValue Db db) {

    /**
     * @param partitions        partitions of each topic ({@code tidemark.topics.partitions}): more partitions, more
     *                          import workers and replication owners can share the work
     * @param replicationFactor replicas of each topic ({@code tidemark.topics.replication-factor})
     */
    public record Topics(
            @DefaultValue("6") @Min(value = 1, message = "tidemark.topics.partitions must be at least 1") int partitions,
            @DefaultValue("1") @Min(value = 1, message = "tidemark.topics.replication-factor must be at least 1")
            @Max(value = Short.MAX_VALUE, message = "tidemark.topics.replication-factor is too large")
            int replicationFactor) {
    }

    /**
     * @param connectTimeout       the TCP connect and the whole login ({@code tidemark.db.connect-timeout}): a server
     *                             that accepts the connection and never answers fails within it
     * @param readTimeout          the longest wait for any answer on an open session ({@code tidemark.db.read-timeout})
     * @param longOperationTimeout one operation known to be long: a DDL on a big table, a checksum
     *                             ({@code tidemark.db.long-operation-timeout})
     */
    public record Db(@DefaultValue("10s") Duration connectTimeout, @DefaultValue("120s") Duration readTimeout,
                     @DefaultValue("24h") Duration longOperationTimeout) {
        /** the sessions' timeouts; validated there, with the key named in any complaint */
        public Timeouts timeouts() {
            return new Timeouts(connectTimeout, readTimeout, longOperationTimeout);
        }
    }

    /**
     * @param attemptTimeout  how long one send waits for the broker's acknowledgement before it is tried again
     *                        ({@code tidemark.status.attempt-timeout})
     * @param maxRetryBackoff the longest pause between two sends of an event Kafka did not take
     *                        ({@code tidemark.status.max-retry-backoff}); the event is retried until it is taken
     */
    public record Status(
            @DefaultValue("15s") @NotNull Duration attemptTimeout,
            @DefaultValue("10s") @NotNull Duration maxRetryBackoff) {
        public Status {
            if (attemptTimeout != null && attemptTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("tidemark.status.attempt-timeout is " + attemptTimeout
                        + "; use at least 100ms, e.g. 15s");
            }
            if (maxRetryBackoff != null && maxRetryBackoff.toMillis() < 10) {
                throw new IllegalArgumentException("tidemark.status.max-retry-backoff is " + maxRetryBackoff
                        + "; use at least 10ms, e.g. 10s");
            }
        }
    }
}
