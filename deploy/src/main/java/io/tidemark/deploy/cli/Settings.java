package io.tidemark.deploy.cli;

import java.time.Duration;

/**
 * The client's timing. Every call to the coordinator is bounded: a connection by {@code connectTimeout}, an answer by
 * {@code callTimeout}, or by {@code submitTimeout} for a submitted file, whose answer waits for the storage listing
 * and the target's prechecks.
 *
 * @param pollInterval how often the client asks for the import's view while it waits
 * @param outageGrace  how long the coordinator may stay silent (a restart) before the client stops waiting
 */
record Settings(Duration connectTimeout, Duration callTimeout, Duration submitTimeout, Duration pollInterval,
                Duration outageGrace) {
    static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(3),
            Duration.ofSeconds(1), Duration.ofMinutes(2));
}
