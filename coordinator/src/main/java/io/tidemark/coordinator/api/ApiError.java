package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

/** Every error answer of the API: the catalog's stable code, what went wrong, and what to do. */
record ApiError(String code, String message, String remedy) {
    static ApiError of(TidemarkException e) {
        return new ApiError(e.error().code(), e.detail(), e.error().remedy());
    }

    static ApiError of(FieldException e) {
        return new ApiError(e.error().error().code(), e.field() + ": " + e.error().detail(), e.error().error().remedy());
    }

    /**
     * A request the API does not serve (a wrong path, method or Content-Type), for which the catalog has no code of
     * its own yet: the nearest code and its remedy, and a message that says exactly what was wrong.
     */
    static ApiError of(ErrorCode nearest, String message) {
        return new ApiError(nearest.code(), message, nearest.remedy());
    }
}
