package io.tidemark.dm.precheck;

import io.tidemark.common.error.TidemarkException;

/**
 * The outcome of one precheck, as DM's checker reports it: what was checked, the state, what is wrong and what to do.
 *
 * @param error the catalog error a failure is reported with; null unless {@code state} is FAIL
 */
public record CheckResult(String name, State state, String message, String remedy, TidemarkException error) {
    public enum State { PASS, WARN, FAIL }

    public static CheckResult pass(String name, String message) {
        return new CheckResult(name, State.PASS, message, "", null);
    }

    public static CheckResult warn(String name, String message, String remedy) {
        return new CheckResult(name, State.WARN, message, remedy, null);
    }

    public static CheckResult fail(String name, TidemarkException error, String remedy) {
        return new CheckResult(name, State.FAIL, error.detail(), remedy, error);
    }

    public boolean failed() {
        return state == State.FAIL;
    }
}
