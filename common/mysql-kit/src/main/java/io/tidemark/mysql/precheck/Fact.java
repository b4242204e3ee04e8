package io.tidemark.mysql.precheck;

import io.tidemark.common.error.TidemarkException;

/**
 * One thing read from a server for the prechecks, or why it could not be read: reading goes on after one item fails,
 * so that every check still gets to report. An immutable value.
 *
 * @param value what was read; may be null when the server answered "not set"
 * @param error why it could not be read; null when it was
 */
public record Fact<T>(T value, TidemarkException error) {
    public static <T> Fact<T> of(T value) {
        return new Fact<>(value, null);
    }

    public static <T> Fact<T> failed(TidemarkException error) {
        if (error == null) {
            throw new IllegalArgumentException("a failed fact needs its error");
        }
        return new Fact<>(null, error);
    }

    public boolean known() {
        return error == null;
    }
}
