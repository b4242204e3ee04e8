package io.tidemark.coordinator.api;

import io.tidemark.common.error.TidemarkException;

/** Every error answer of the API: the catalog's stable code, what went wrong, and what to do. */
record ApiError(String code, String message, String remedy) {
    static ApiError of(TidemarkException e) {
        return new ApiError(e.error().code(), e.detail(), e.error().remedy());
    }

    static ApiError of(FieldException e) {
        return new ApiError(e.error().error().code(), e.field() + ": " + e.error().detail(), e.error().error().remedy());
    }
}
