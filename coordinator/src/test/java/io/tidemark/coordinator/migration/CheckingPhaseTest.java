package io.tidemark.coordinator.migration;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The phase of a migration submitted with {@code Prefer: respond-async} while its prechecks run, and its moves. */
class CheckingPhaseTest {
    private static final MigrationId ID = MigrationId.of("async-1");
    private static final Instant NOW = Instant.parse("2026-12-03T16:00:00Z");

    private static Migration checking(Mode mode) {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        return Migration.checking(ID, new MigrationSpec("async", mode, ep, ep, List.of("shop.*"),
                mode.snapshots() ? "file:///tmp/dumps" : null, null, null), NOW);
    }

    private static WorkFailed report(Migration m, String subject) {
        TidemarkException e = new TidemarkException(ErrorCode.PRECHECKS_FAILED, "1 precheck",
                "binlog_format: is STATEMENT — fix: SET GLOBAL binlog_format = ROW");
        return new WorkFailed("e-" + subject, m.id(), new WorkerId("coordinator@h:1"), 1, NOW, Stage.SNAPSHOT,
                subject, e.error().code(), e.detail(), e.error().remedy(), false);
    }

    @Test
    void aCheckingMigrationHoldsItsTablesAndIsKeptAndReadBackByItsCode() {
        Migration m = checking(Mode.FULL);
        assertThat(m.phase().code()).isEqualTo("checking");
        assertThat(m.holdsTargetTables()).as("no other migration may take its tables while it is checked").isTrue();
        assertThat(MessageCodec.read(MessageCodec.write(m), Migration.class)).isEqualTo(m);
    }

    @Test
    void passingPrechecksMakeItPendingWithTheirWarnings() {
        List<Warning> warned = List.of(new Warning("keyless_tables", "1 table without a key", "add a key"));
        Migration passed = checking(Mode.ALL).prechecksPassed(warned);
        assertThat(passed.phase()).isEqualTo(new Phase.Pending());
        assertThat(passed.warnings()).isEqualTo(warned);
        assertThat(passed.error()).isNull();
    }

    @Test
    void failingPrechecksFailItWithTheirReportAndARetryRunsThemAgain() {
        Migration m = checking(Mode.FULL);
        Migration failed = m.prechecksFailed(report(m, Migration.ACCEPT_PRECHECKS));
        assertThat(failed.phase().code()).isEqualTo("failed");
        assertThat(failed.error().code()).isEqualTo("TM-10008");
        assertThat(failed.error().message()).contains("binlog_format: is STATEMENT — fix: SET GLOBAL binlog_format");
        assertThat(failed.holdsTargetTables()).isFalse();

        // its own report, read back from the status topic, changes nothing, even after the retry
        assertThat(failed.apply(report(m, Migration.ACCEPT_PRECHECKS))).isEqualTo(failed);
        Migration retried = failed.retry();
        assertThat(retried.phase().code()).as("the checks run again, not the snapshot").isEqualTo("checking");
        assertThat(retried.epochs()).isEqualTo(failed.epochs());
        assertThat(retried.apply(report(m, Migration.ACCEPT_PRECHECKS))).isEqualTo(retried);
        assertThat(retried.prechecksPassed(List.of()).error()).as("the old report is over once they pass").isNull();
    }

    @Test
    void aWorkersOwnPrecheckFailureStillFailsItAndItsRetryRunsTheStage() {
        Migration snapshotting = checking(Mode.FULL).prechecksPassed(List.of()).moveTo(new Phase.Snapshotting());
        Migration failed = snapshotting.apply(report(snapshotting, "prechecks"));
        assertThat(failed.phase().code()).isEqualTo("failed");
        assertThat(failed.retry().phase().code()).isEqualTo("snapshotting");
    }

    @Test
    void onlyACheckingMigrationsPrechecksPassOrFailAndACheckingOneCannotBeStopped() {
        Migration pending = checking(Mode.FULL).prechecksPassed(List.of());
        assertThatThrownBy(() -> pending.prechecksPassed(List.of())).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
        assertThatThrownBy(() -> pending.prechecksFailed(report(pending, Migration.ACCEPT_PRECHECKS)))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
        assertThatThrownBy(() -> checking(Mode.ALL).stop()).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.getMessage()).contains("checking"));
        assertThatThrownBy(() -> checking(Mode.ALL).retry()).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.ILLEGAL_TRANSITION));
    }
}
