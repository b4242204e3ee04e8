package io.tidemark.common.status;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Stage;

import java.time.Instant;

/**
 * A unit of work failed. {@code retriable} says whether the worker keeps trying by itself; a fatal failure waits for
 * the user. {@code code}, {@code message} and {@code remedy} come from the error catalog.
 */
public record WorkFailed(String eventId, MigrationId migrationId, WorkerId workerId, long epoch, Instant at,
                         Stage stage, String subject, String code, String message, String remedy, boolean retriable)
        implements StatusEvent {

    /**
     * The reporter's {@code subject} names the work in the event id; the failure's own subject, when it was raised
     * pinned to something narrower (a binlog event's {@code FILE:POS}), is the one the event carries.
     */
    public static WorkFailed of(MigrationId m, WorkerId worker, long epoch, Stage stage, String subject,
                                TidemarkException e) {
        return new WorkFailed(m + "/" + stage.code() + "/e" + epoch + "/failed/" + subject, m, worker, epoch,
                Instant.now(), stage, e.subject().orElse(subject), e.error().code(), e.detail(), e.error().remedy(), e.retriable());
    }

    /**
     * The worker stopped retrying a retriable error after {@code attempts} attempts: final now, with the remedy that
     * says so and how to resume, never the catalog's "Tidemark retries by itself".
     */
    public static WorkFailed afterGivingUp(MigrationId m, WorkerId worker, long epoch, Stage stage, String subject,
                                           TidemarkException e, int attempts) {
        return new WorkFailed(m + "/" + stage.code() + "/e" + epoch + "/failed/" + subject, m, worker, epoch,
                Instant.now(), stage, e.subject().orElse(subject), e.error().code(), e.detail(),
                e.error().remedyAfterGivingUp(attempts),
                false);
    }
}
