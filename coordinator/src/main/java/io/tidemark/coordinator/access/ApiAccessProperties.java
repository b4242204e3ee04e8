package io.tidemark.coordinator.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code tidemark.api.*}: who may call the coordinator's API.
 *
 * @param tokens          the valid bearer tokens (comma-separated; each at least 32 characters). Several, so a token
 *                        can be rotated: add the new one, move the callers, remove the old one. Empty: the
 *                        coordinator uses the one in {@code tokenFile}, creating it when missing
 * @param tokenFile       where the coordinator keeps its own token when none is configured (created with mode 600,
 *                        kept across restarts); the tidemark client on the same machine reads it. Its path is logged,
 *                        never the token
 * @param protectMetrics  whether {@code /actuator/prometheus} needs the token too (Prometheus then sends it as
 *                        {@code authorization: {credentials: …}}); health and its probes stay open for orchestrators
 */
@ConfigurationProperties("tidemark.api")
public record ApiAccessProperties(
        @DefaultValue({}) List<String> tokens,
        @DefaultValue(".tidemark/api-token") Path tokenFile,
        @DefaultValue("false") boolean protectMetrics) {
    public ApiAccessProperties {
        tokens = tokens == null ? List.of() : tokens.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }
}
