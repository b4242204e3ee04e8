package io.tidemark.coordinator.orchestration;

import io.tidemark.common.command.BinlogOperation;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.coordinator.CoordinatorProperties;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DM's binlog skip|replace as the coordinator takes it: checked against the failure, carried once, recorded */
class BinlogOperationTest {
    private static final MigrationId ID = MigrationId.of("orders-1");
    private static final WorkerId WORKER = new WorkerId("test@host:1");
    private static final BinlogPosition FAILED_AT = BinlogPosition.ofFilePosition("mysql-bin.000004", 1234);

    private final Orchestrator orchestrator =
            new Orchestrator(new CoordinatorProperties(3, DataSize.ofMegabytes(8), Duration.ofSeconds(5),
                    DataSize.ofKilobytes(256), true), TopicCatalog.DEFAULT);

    private Migration replicating() {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        return orchestrator.decide(Migration.accepted(ID, new MigrationSpec("orders", Mode.INCREMENTAL, ep, ep,
                List.of("shop.*"), null, null, null), List.of(), Instant.now()), false).next();
    }

    /** as dm-service reports a DDL the target rejected */
    private Migration failedOnDdl() {
        return replicating().apply(WorkFailed.of(ID, WORKER, 1, Stage.REPLICATION, "shop",
                new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED,
                        "DDL at mysql-bin.000004:1234 (ALTER TABLE x ADD UNIQUE KEY uk (v))",
                        "Duplicate entry '5' for key 'uk'").withSubject("mysql-bin.000004:1234")));
    }

    private static ReplicationProgressed progressed(BinlogPosition at) {
        return new ReplicationProgressed(ReplicationProgressed.idFor(ID, at), ID, WORKER, 2, Instant.now(), at, 0,
                false, 0, 1);
    }

    private static ReplicationTask task(Decision d) {
        return (ReplicationTask) d.commands().getFirst().command();
    }

    @Test
    void replaceDefaultsToTheFailedPositionAndTheNextTaskCarriesItUntilReplicationPassesIt() {
        Migration failed = failedOnDdl();
        BinlogOperation op = Coordinator.binlogOperation(failed, "replace", null, List.of(" ALTER TABLE x ADD KEY k (v) "));
        assertThat(op).isEqualTo(new BinlogOperation(BinlogOperation.Op.REPLACE, FAILED_AT,
                List.of("ALTER TABLE x ADD KEY k (v)")));

        Decision retried = orchestrator.retry(failed, op, Instant.parse("2026-12-03T07:00:00Z"));
        ReplicationTask t = task(retried);
        assertThat(t.epoch()).isEqualTo(2);
        assertThat(t.desired()).isEqualTo(ReplicationTask.Desired.RUNNING);
        assertThat(t.binlogOperation()).isEqualTo(op);
        assertThat(retried.next().binlog().requested()).singleElement()
                .satisfies(r -> assertThat(r.at()).isEqualTo(Instant.parse("2026-12-03T07:00:00Z")));

        // resuming from the checkpoint before the event keeps it; a position past it consumes it
        Migration atCheckpoint = retried.next().apply(progressed(FAILED_AT.withPos(1100)))
                .apply(progressed(FAILED_AT));
        assertThat(task(orchestrator.decide(atCheckpoint, true)).binlogOperation()).isEqualTo(op);
        Migration past = atCheckpoint.apply(progressed(FAILED_AT.withPos(1400)));
        assertThat(task(orchestrator.decide(past, true)).binlogOperation()).isNull();
        assertThat(past.binlog().pending()).isNull();
        assertThat(past.binlog().requested()).extracting(r -> r.operation()).containsExactly(op);
        // the record survives the migrations topic, and a value from before the field reads as none
        assertThat(MessageCodec.read(MessageCodec.write(past), Migration.class)).isEqualTo(past);
        String older = new String(MessageCodec.write(replicating())).replaceAll(",\\s*\"binlog\":\\{[^}]*\\}", "");
        assertThat(older).doesNotContain("\"binlog\"");
        assertThat(MessageCodec.read(older.getBytes(), Migration.class).binlog().requested()).isEmpty();
    }

    @Test
    void skipAtTheNamedPositionIsAccepted() {
        assertThat(Coordinator.binlogOperation(failedOnDdl(), "skip", "mysql-bin.000004:1234", List.of()))
                .isEqualTo(new BinlogOperation(BinlogOperation.Op.SKIP, FAILED_AT, List.of()));
    }

    @Test
    void anotherPositionThanTheFailedStatementsIsRefusedNamingBoth() {
        assertThatThrownBy(() -> Coordinator.binlogOperation(failedOnDdl(), "skip", "mysql-bin.000004:999", null))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.BINLOG_POSITION_NOT_FAILED);
                    assertThat(e.getMessage()).contains("mysql-bin.000004:999").contains("mysql-bin.000004:1234");
                });
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        Migration failed = failedOnDdl();
        assertRefused(() -> Coordinator.binlogOperation(failed, "inject", null, List.of()),
                ErrorCode.BINLOG_OPERATION_INVALID, "op");
        assertRefused(() -> Coordinator.binlogOperation(failed, "replace", null, List.of(" ")),
                ErrorCode.BINLOG_OPERATION_INVALID, "sql");
        assertRefused(() -> Coordinator.binlogOperation(failed, "skip", null, List.of("SELECT 1")),
                ErrorCode.BINLOG_OPERATION_INVALID, "sql");
        assertRefused(() -> Coordinator.binlogOperation(failed, "skip", "mysql-bin.000004", List.of()),
                ErrorCode.BINLOG_OPERATION_INVALID, "position");
    }

    @Test
    void aReplacementHoldingAPasswordIsRefusedWithoutRepeatingIt() {
        Migration failed = failedOnDdl();
        for (String sql : List.of("CREATE USER 'app'@'%' IDENTIFIED BY 's3cr3t-pw'",
                "ALTER USER app IDENTIFIED WITH mysql_native_password AS '*s3cr3t-pw'",
                "SET PASSWORD FOR app = PASSWORD('s3cr3t-pw')")) {
            assertThatThrownBy(() -> Coordinator.binlogOperation(failed, "replace", null, List.of(sql)))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.BINLOG_OPERATION_INVALID);
                        assertThat(e.getMessage()).contains("holds a password").doesNotContain("s3cr3t");
                    });
        }
        assertThat(Coordinator.binlogOperation(failed, "replace", null,
                List.of("ALTER TABLE x ADD COLUMN password_hash VARCHAR(64)")).sql())
                .as("a column named password is no password").hasSize(1);
    }

    @Test
    void onlyATaskStoppedOnARejectedDdlTakesAnOperation() {
        assertRefused(() -> Coordinator.binlogOperation(replicating(), "skip", null, List.of()),
                ErrorCode.BINLOG_TASK_NOT_STOPPED_ON_STATEMENT, "replicating");
        Migration rowFailure = replicating().apply(WorkFailed.of(ID, WORKER, 1, Stage.REPLICATION, "shop.orders",
                new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, "shop.orders", "Data too long")));
        assertRefused(() -> Coordinator.binlogOperation(rowFailure, "skip", null, List.of()),
                ErrorCode.BINLOG_FAILED_POSITION_UNKNOWN, "Data too long");
    }

    @Test
    void theOperationTravelsOnTheWireAndAnOlderTaskReadsAsNone() throws Exception {
        ReplicationTask t = task(orchestrator.retry(failedOnDdl(),
                new BinlogOperation(BinlogOperation.Op.SKIP, FAILED_AT, List.of()), Instant.now()));
        assertThat(MessageCodec.read(MessageCodec.write(t), ReplicationTask.class)).isEqualTo(t);
        ReplicationTask without = t.withBinlogOperation(null);
        String json = new String(MessageCodec.write(without)).replace(",\"binlogOperation\":null", "");
        assertThat(json).doesNotContain("binlogOperation");
        assertThat(MessageCodec.read(json.getBytes(), ReplicationTask.class).binlogOperation()).isNull();
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code,
                                      String named) {
        assertThatThrownBy(call).isInstanceOfSatisfying(TidemarkException.class, e -> {
            assertThat(e.error()).isEqualTo(code);
            assertThat(e.getMessage()).contains(named);
        });
    }
}
