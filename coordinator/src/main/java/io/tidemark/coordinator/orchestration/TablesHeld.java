package io.tidemark.coordinator.orchestration;

import io.tidemark.common.error.TidemarkException;

/**
 * A new migration refused because running ones hold target tables it would write; the API answers 409 Conflict.
 * The catalog error says which migration holds them and which rules collide.
 */
public final class TablesHeld extends RuntimeException {
    private final TidemarkException error;

    TablesHeld(TidemarkException error) {
        super(error.getMessage(), error);
        this.error = error;
    }

    public TidemarkException error() {
        return error;
    }
}
