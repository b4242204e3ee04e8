package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tidemark.common.migration.Stage;

/**
 * The coordinator's attempt number per stage. Commands carry it, status events echo it, and an event of an older
 * attempt than the current one is dropped.
 */
public record Epochs(long snapshot, @JsonProperty("import") long imports, long replication) {
    public static Epochs initial() {
        return new Epochs(1, 1, 1);
    }

    public long of(Stage stage) {
        return switch (stage) {
            case SNAPSHOT -> snapshot;
            case IMPORT -> imports;
            case REPLICATION -> replication;
        };
    }

    public Epochs next(Stage stage) {
        return switch (stage) {
            case SNAPSHOT -> new Epochs(snapshot + 1, imports, replication);
            case IMPORT -> new Epochs(snapshot, imports + 1, replication);
            case REPLICATION -> new Epochs(snapshot, imports, replication + 1);
        };
    }
}
