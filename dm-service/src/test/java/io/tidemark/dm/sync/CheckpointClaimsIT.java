package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many migrations replicate into one target and share its meta schema: tasks that start at the same moment must
 * not deadlock on each other's checkpoint rows (a deadlock there surfaced as a failure of an unrelated task).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointClaimsIT {
    private static final int TASKS = 6;
    private static final int ROUNDS = 15;

    private LocalMariaDb target;

    @BeforeAll
    void start() throws Exception {
        target = TestDatabases.startTarget("claims");
        try (Connection c = TestDatabases.connect(target)) {
            CheckpointStore.ensureTable(c);
        }
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
    }

    @Test
    void tasksClaimingAtOnceOnOneTargetNeverDeadlock() throws Exception {
        BinlogPosition start = BinlogPosition.of("mysql-bin.000001", 4, null);
        ExecutorService pool = Executors.newFixedThreadPool(TASKS);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier together = new CyclicBarrier(TASKS);
                List<Future<CheckpointStore.Claim>> claims = new ArrayList<>();
                for (int task = 0; task < TASKS; task++) {
                    String taskId = "claims-r" + round + "-t" + task;
                    // each new task brings a table point, so its claim also replaces (deletes, then inserts) points
                    List<TablePoint> points = List.of(new TablePoint(TableRef.of("s" + task, "t"),
                            BinlogPosition.of("mysql-bin.000001", 400, null)));
                    claims.add(pool.submit(() -> {
                        try (Connection c = TestDatabases.connect(target)) {
                            together.await();
                            return new CheckpointStore(taskId, "owner-" + taskId).claim(c, () -> start, points);
                        }
                    }));
                }
                for (Future<CheckpointStore.Claim> claim : claims) {
                    // a deadlock would surface here as an ExecutionException around SQL error 1213
                    assertThat(claim.get()).isEqualTo(new CheckpointStore.Claim(start, 1, true));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (Connection c = TestDatabases.connect(target)) {
            CheckpointStore one = new CheckpointStore("claims-r0-t3", "x");
            assertThat(one.tablePoints(c)).extracting(p -> p.table().schema()).containsExactly("s3");
            assertThat(one.saved(c)).contains(start);
        }
    }
}
