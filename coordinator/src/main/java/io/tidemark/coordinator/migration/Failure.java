package io.tidemark.coordinator.migration;

import io.tidemark.common.migration.Stage;
import io.tidemark.common.status.WorkFailed;

import java.time.Instant;

/** The last failure a worker reported, as the catalog describes it: what, why and how to fix it. */
public record Failure(String code, String message, String remedy, Stage stage, String subject, boolean retriable,
                      Instant at) {
    static Failure of(WorkFailed event) {
        return new Failure(event.code(), event.message(), event.remedy(), event.stage(), event.subject(),
                event.retriable(), event.at());
    }
}
