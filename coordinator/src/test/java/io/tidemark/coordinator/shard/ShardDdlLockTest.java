package io.tidemark.coordinator.shard;

import io.tidemark.common.command.RouteRule;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.shard.ShardDdl;
import io.tidemark.common.status.ReplicationProgressed;
import io.tidemark.common.status.SnapshotStarted;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Shard DDL locks derived from what two sources' migrations of one task report (shard-mode pessimistic). */
class ShardDdlLockTest {
    private static final WorkerId WORKER = new WorkerId("test@host:1");
    private static final TableRef T1 = TableRef.of("ddl", "t_1");
    private static final TableRef T2 = TableRef.of("ddl", "t_2");
    private static final TableRef MERGED = TableRef.of("merged", "d");
    private static final String ADD = "ALTER TABLE `merged`.`d` ADD COLUMN extra INT";

    /** a source's migration of task xddl whose snapshot listed both shards */
    private static Migration source(String id) {
        DatabaseEndpoint ep = new DatabaseEndpoint("127.0.0.1", 3306, "root", TestDatabases.secretBox().seal("pw"));
        MigrationId mid = MigrationId.of(id);
        Migration m = Migration.accepted(mid, new MigrationSpec("xddl-" + id, Mode.ALL, ep, ep, List.of("ddl.*"),
                "file:///tmp/dumps", null, null, null, null, null, List.of(), List.of(new RouteRule("ddl", "t_*",
                "merged", "d")), null).withTask("xddl", true), List.of(), Instant.now());
        return m.apply(new SnapshotStarted("s", mid, WORKER, 1, Instant.now(),
                BinlogPosition.ofFilePosition("mysql-bin.000001", 4), List.of(T1, T2)));
    }

    private static Migration waiting(Migration m, ShardDdl... at) {
        return m.apply(new ReplicationProgressed("p", m.id(), WORKER, 1, Instant.now(),
                BinlogPosition.ofFilePosition("mysql-bin.000001", 900), 0, false, 0, 1, List.of(at)));
    }

    private static ShardDdl ddl(TableRef table, long pos, String statement) {
        return new ShardDdl(table, MERGED, BinlogPosition.ofFilePosition("mysql-bin.000001", pos), statement);
    }

    @Test
    void aLockWaitsForTheShardsTheSnapshotListedAndIsCompleteOnceAllReachedTheSameDdl() {
        Migration a = waiting(source("a"), ddl(T2, 300, ADD), ddl(T1, 500, ADD));
        Migration b = waiting(source("b"), ddl(T1, 200, ADD));

        ShardDdlLock lock = ShardDdlLock.of(List.of(b, a)).getFirst();
        assertThat(lock.id()).isEqualTo("xddl-merged.d");
        assertThat(lock.state()).isEqualTo("waiting");
        assertThat(lock.waitingFor()).containsExactly("b:ddl.t_2");

        Migration b2 = waiting(source("b"), ddl(T1, 200, ADD), ddl(T2, 700, ADD.replace("ADD", "add")));
        ShardDdlLock complete = ShardDdlLock.of(List.of(a, b2)).getFirst();
        assertThat(complete.state()).as("spacing and case of keywords aside").isEqualTo("complete");
        // the first migration's earliest DDL runs on the merged table; every other shard passes over its own
        assertThat(complete.go()).isEqualTo(Map.of(MigrationId.of("a"), List.of(
                        new ShardDdl.Go(T2, BinlogPosition.ofFilePosition("mysql-bin.000001", 300), true),
                        new ShardDdl.Go(T1, BinlogPosition.ofFilePosition("mysql-bin.000001", 500), false)),
                MigrationId.of("b"), List.of(
                        new ShardDdl.Go(T1, BinlogPosition.ofFilePosition("mysql-bin.000001", 200), false),
                        new ShardDdl.Go(T2, BinlogPosition.ofFilePosition("mysql-bin.000001", 700), false))));

        Migration aGo = a.withShardDdlsGo(complete.go().get(MigrationId.of("a")));
        Migration bGo = b2.withShardDdlsGo(complete.go().get(MigrationId.of("b")));
        assertThat(ShardDdlLock.of(List.of(aGo, bGo)).getFirst().state()).isEqualTo("resolved");
        assertThat(ShardDdlLock.of(List.of(waiting(aGo), waiting(bGo)))).as("gone once they went on").isEmpty();
    }

    @Test
    void shardsThatReachedDifferentDdlsBlockTheLockNamingEach() {
        Migration a = waiting(source("a"), ddl(T1, 300, ADD), ddl(T2, 500, ADD));
        Migration b = waiting(source("b"), ddl(T1, 200, ADD), ddl(T2, 400, ADD.replace("INT", "BIGINT")));

        ShardDdlLock lock = ShardDdlLock.of(List.of(a, b)).getFirst();

        assertThat(lock.state()).isEqualTo("blocked");
        assertThat(lock.complete()).isFalse();
        assertThat(lock.error().getMessage()).startsWith("TM-30038 the shards merged into merged.d reached different"
                + " DDLs, so none is applied: a:ddl.t_1 at mysql-bin.000001:300: " + ADD + "; but b:ddl.t_2 at"
                + " mysql-bin.000001:400: ALTER TABLE `merged`.`d` ADD COLUMN extra BIGINT");
    }
}
