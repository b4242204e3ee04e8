package io.tidemark.coordinator.api;

import io.tidemark.common.error.TidemarkException;

/** A catalog error found in one request field: the answer names the field before the catalog's message. */
final class FieldException extends RuntimeException {
    private final String field;
    private final TidemarkException error;

    FieldException(String field, TidemarkException error) {
        super(field + ": " + error.getMessage(), error);
        this.field = field;
        this.error = error;
    }

    String field() {
        return field;
    }

    TidemarkException error() {
        return error;
    }
}
