package io.tidemark.mysql.precheck;

import io.tidemark.common.error.TidemarkException;

import java.util.Objects;

/**
 * What one check found.
 *
 * @param name        the check's name
 * @param state       PASS, WARN (works, but the user should know), FAIL, or SKIPPED (a check it needs failed)
 * @param message     what was seen, naming the thing and the value
 * @param instruction what the user does about it, worded for the server's flavor; empty for PASS
 * @param error       the catalog error of a failure; null unless {@code state} is FAIL
 */
public record CheckResult(String name, State state, String message, String instruction, TidemarkException error) {
    public enum State { PASS, WARN, FAIL, SKIPPED }

    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(message, "message");
        instruction = instruction == null ? "" : instruction;
        if ((state == State.FAIL) != (error != null)) {
            throw new IllegalArgumentException("check " + name + ": a FAIL result, and only a FAIL result, carries"
                    + " an error (state " + state + ")");
        }
        if ((state == State.FAIL || state == State.WARN) && instruction.isBlank()) {
            throw new IllegalArgumentException("check " + name + ": a " + state + " result needs an instruction");
        }
    }

    public static CheckResult pass(String name, String message) {
        return new CheckResult(name, State.PASS, message, "", null);
    }

    public static CheckResult warn(String name, String message, String instruction) {
        return new CheckResult(name, State.WARN, message, instruction, null);
    }

    /** a failure; its message is the error's detail */
    public static CheckResult fail(String name, TidemarkException error, String instruction) {
        return new CheckResult(name, State.FAIL, error.detail(), instruction, error);
    }

    /** not checked because {@code failedCheck}, which it needs, failed or was not checked itself */
    public static CheckResult skipped(String name, String failedCheck) {
        return new CheckResult(name, State.SKIPPED, "not checked: " + failedCheck + " failed",
                "fix " + failedCheck + " first", null);
    }

    public boolean passed() {
        return state == State.PASS || state == State.WARN;
    }

    public boolean failed() {
        return state == State.FAIL;
    }

    /** {@code binlog_format: FAIL — source … has binlog_format=STATEMENT … — fix: SET GLOBAL …} */
    @Override
    public String toString() {
        return name + ": " + state + " — " + message + (instruction.isEmpty() ? "" : " — fix: " + instruction);
    }
}
