package io.tidemark.snapshot.source;

/**
 * What one precheck found: its name, whether it passed, what it saw and, when it did not pass, what the user does
 * about it (worded for the flavor: Aurora's parameter groups and master user, MariaDB's BINLOG MONITOR).
 */
public record CheckResult(String name, State state, String message, String remedy) {
    public enum State { PASSED, FAILED }

    static CheckResult passed(String name, String message) {
        return new CheckResult(name, State.PASSED, message, null);
    }

    static CheckResult failed(String name, String message, String remedy) {
        return new CheckResult(name, State.FAILED, message, remedy);
    }

    @Override
    public String toString() {
        return name + ": " + state + " — " + message + (remedy == null ? "" : " (remedy: " + remedy + ")");
    }
}
