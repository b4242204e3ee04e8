package io.tidemark.coordinator.leadership;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.time.Duration;

/**
 * {@code tidemark.coordinator.ha.*}: several coordinator instances, one active.
 *
 * @param enabled        whether this coordinator takes part in an election (all instances of an installation alike).
 *                       Off, it is the only coordinator and active from its start, writing without transactions
 * @param sessionTimeout how long the active coordinator may stop answering before a standby takes over (the
 *                       election group's {@code session.timeout.ms}; the broker allows 6s to 30min by default)
 * @param advertisedUrl  the URL clients reach this instance at, which a standby names to clients that send it writes;
 *                       by default {@code http://<host name>:<server port>}
 */
@ConfigurationProperties("tidemark.coordinator.ha")
public record HaProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("6s") Duration sessionTimeout,
        String advertisedUrl) {

    public HaProperties {
        if (sessionTimeout == null || sessionTimeout.toMillis() < 1000) {
            throw new TidemarkException(ErrorCode.HA_SETTING_INVALID, "tidemark.coordinator.ha.session-timeout",
                    sessionTimeout, "give at least 1s, e.g. 6s (the broker's group.min.session.timeout.ms is 6s by"
                    + " default)");
        }
        if (advertisedUrl != null && !advertisedUrl.isBlank()) {
            URI uri;
            try {
                uri = URI.create(advertisedUrl);
            } catch (IllegalArgumentException e) {
                uri = null;
            }
            if (uri == null || uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new TidemarkException(ErrorCode.HA_SETTING_INVALID, "tidemark.coordinator.ha.advertised-url",
                        advertisedUrl, "give the http(s) URL clients reach this instance at, e.g."
                        + " http://coordinator-2.internal:8080");
            }
        }
    }

    /** the election heartbeat: a third of the session timeout, as Kafka advises */
    Duration heartbeatInterval() {
        return sessionTimeout.dividedBy(3);
    }
}
