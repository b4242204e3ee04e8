package io.tidemark.coordinator.config.lightning;

import io.tidemark.coordinator.config.GoDuration;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code [cron]} section: TiDB Lightning's periodic actions. Only {@code log-progress} means something to
 * Tidemark (how often progress is shown); {@code switch-mode} and {@code check-disk-quota} belong to the physical
 * import and are noted.
 *
 * @param logProgress how often progress is shown; empty = the client's own interval
 */
public record Cron(Optional<Duration> logProgress, Origin origin) {
    public Cron {
        logProgress = logProgress == null ? Optional.empty() : logProgress;
        Checks c = new Checks(origin);
        if (logProgress.isPresent() && (logProgress.get().isZero() || logProgress.get().isNegative())) {
            c.fail("log-progress", logProgress.get().toString(), "must be longer than zero",
                    "write log-progress = \"5m\"");
        }
        c.done();
    }

    static Cron defaults() {
        return new Cron(Optional.empty(), Origin.of("cron"));
    }

    static Cron read(TomlSection s) {
        duration(s, "switch-mode");
        s.note("switch-mode", "Tidemark does not switch TiKV into import mode: the target keeps serving as usual");
        duration(s, "check-disk-quota");
        s.note("check-disk-quota", "Tidemark sorts nothing on local disk, so there is no disk quota to check");
        return new Cron(duration(s, "log-progress"), s.origin());
    }

    private static Optional<Duration> duration(TomlSection s, String key) {
        return s.string(key).flatMap(text -> {
            Optional<Duration> d = GoDuration.find(text);
            if (d.isEmpty()) {
                s.fail(key, text, "is not a duration", "write it as Go does, e.g. \"5m\", \"90s\" or \"1h30m\"");
            }
            return d;
        });
    }
}
