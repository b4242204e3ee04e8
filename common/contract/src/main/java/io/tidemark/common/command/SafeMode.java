package io.tidemark.common.command;

import java.time.Duration;

/**
 * DM's safe mode settings of a replication task (the syncer's {@code safe-mode} and {@code safe-mode-duration}).
 * In safe mode row changes are applied idempotently (INSERT→REPLACE, UPDATE→DELETE+REPLACE), so a change the target
 * already holds is applied again without a duplicate-key failure.
 *
 * @param always         safe mode for the task's whole life ({@code safe-mode: true})
 * @param durationMillis otherwise safe mode for this long after every start or resume of the task — a retry, a
 *                       restart, a takeover by another worker — because the checkpoint may lag what the previous run
 *                       had already written (DM's {@code safe-mode-duration}, 60s by default; 0 turns that window off).
 *                       Milliseconds on the wire, so the message's JSON does not depend on a mapper's time settings.
 */
public record SafeMode(boolean always, long durationMillis) {
    /** DM's default: off, except for the first 60 seconds after every start or resume */
    public static final SafeMode DM_DEFAULT = new SafeMode(false, 60_000);

    public SafeMode {
        if (durationMillis < 0) {
            throw new IllegalArgumentException("safe mode duration must not be negative: " + durationMillis + " ms");
        }
    }

    public static SafeMode of(boolean always, Duration afterStart) {
        return new SafeMode(always, afterStart.toMillis());
    }

    /** how long safe mode stays on after a start or resume */
    public Duration afterStart() {
        return Duration.ofMillis(durationMillis);
    }
}
