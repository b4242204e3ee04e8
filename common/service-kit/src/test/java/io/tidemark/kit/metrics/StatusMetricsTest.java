package io.tidemark.kit.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.migration.Stage;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.status.ChunkImported;
import io.tidemark.common.status.MigrationProgressed;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.TableDumped;
import io.tidemark.common.status.WorkFailed;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class StatusMetricsTest {
    private static final MigrationId M = MigrationId.of("shop");
    private static final WorkerId W = WorkerId.forService("test");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock();
    private final AtomicLong unsentSince = new AtomicLong();
    private final StatusMetrics metrics = new StatusMetrics(registry, unsentSince::get, clock);

    @Test
    void rowsAndBytesAreCountedPerPhaseFromWhatWasReported() {
        metrics.accept(new TableDumped("e1", M, W, 1, Instant.EPOCH, TableRef.of("db", "t"), 1000, 64_000, List.of()));
        metrics.accept(new ChunkImported("e2", M, W, 1, Instant.EPOCH, "c1", TableRef.of("db", "t"), 600, 40_000));
        metrics.accept(new ChunkImported("e3", M, W, 1, Instant.EPOCH, "c2", TableRef.of("db", "t"), 400, 24_000));

        assertThat(counter("tidemark.rows", "snapshot")).isEqualTo(1000);
        assertThat(counter("tidemark.bytes", "snapshot")).isEqualTo(64_000);
        assertThat(counter("tidemark.rows", "import")).isEqualTo(1000);
        assertThat(counter("tidemark.bytes", "import")).isEqualTo(64_000);
        assertThat(registry.get("tidemark.chunks.imported").counter().count()).isEqualTo(2);
        assertThat(registry.get("tidemark.tables.dumped").counter().count()).isEqualTo(1);
    }

    @Test
    void theCoordinatorsSummaryRepeatsTotalsAndCountsNothingAgain() {
        metrics.accept(new ChunkImported("e1", M, W, 1, Instant.EPOCH, "c1", TableRef.of("db", "t"), 600, 40_000));
        metrics.accept(new MigrationProgressed("p1", M, W, 1, Instant.EPOCH, Stage.REPLICATION, "replicating", Mode.ALL,
                List.of(new MigrationProgressed.Table("db.t", 600, 600, 40_000, 40_000, 100.0)), 0, 12.5, null, 9L,
                null));

        assertThat(counter("tidemark.rows", "import")).isEqualTo(600);
        assertThat(counter("tidemark.bytes", "import")).isEqualTo(40_000);
        assertThat(counter("tidemark.rows", "snapshot")).isZero();
        assertThat(counter("tidemark.rows", "replication")).isZero();
        assertThat(registry.get("tidemark.chunks.imported").counter().count()).isEqualTo(1);
        assertThat(registry.get("tidemark.replication.lag").gauge().value()).isZero();
    }

    @Test
    void replicatedRowsCountOnlyWhatIsNewAndARestartedRunCountsFromItsStart() {
        metrics.accept(progressed(100, 3));
        metrics.accept(progressed(250, 2));
        metrics.accept(progressed(40, 1)); // a new run (restart) counts from zero again

        assertThat(counter("tidemark.rows", "replication")).isEqualTo(290);
    }

    @Test
    void theLagGaugeShowsTheLargestRecentLagAndForgetsAReplicationNotHeardOfForAMinute() {
        metrics.accept(progressed(1, 7));
        assertThat(registry.get("tidemark.replication.lag").gauge().value()).isEqualTo(7);

        clock.advance(StatusMetrics.LAG_WINDOW.plusSeconds(1));
        assertThat(registry.get("tidemark.replication.lag").gauge().value()).isZero();
    }

    @Test
    void failuresAreCountedByCatalogCodeAndStage() {
        TidemarkException e = new TidemarkException(ErrorCode.KAFKA_MESSAGE_TOO_LARGE, "a report", "2 MB", "refused");
        metrics.accept(WorkFailed.of(M, W, 1, Stage.IMPORT, "chunk", e));
        metrics.accept(WorkFailed.of(M, W, 1, Stage.IMPORT, "chunk2", e));

        assertThat(registry.get("tidemark.errors").tag("code", ErrorCode.KAFKA_MESSAGE_TOO_LARGE.code())
                .tag("stage", "import").counter().count()).isEqualTo(2);
    }

    @Test
    void theUnsentGaugeSaysHowLongKafkaHasRefusedStatusEvents() {
        assertThat(registry.get("tidemark.status.unsent").gauge().value()).isZero();
        unsentSince.set(clock.millis());
        clock.advance(Duration.ofSeconds(30));
        assertThat(registry.get("tidemark.status.unsent").gauge().value()).isEqualTo(30);
    }

    private ReplicationProgressed progressed(long rowsApplied, long lag) {
        return new ReplicationProgressed("r" + rowsApplied, M, W, 1, Instant.EPOCH,
                BinlogPosition.ofFilePosition("mysql-bin.000001", 4), lag, false, rowsApplied, 1);
    }

    private double counter(String name, String phase) {
        return registry.get(name).tag("phase", phase).counter().count();
    }

    private static final class MutableClock extends Clock {
        private long millis = 1_000_000;

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
