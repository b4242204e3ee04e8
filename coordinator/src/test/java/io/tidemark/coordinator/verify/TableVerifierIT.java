package io.tidemark.coordinator.verify;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chunked comparison on a real server: a source schema and a target schema of other (routed) names, each read through
 * its own session as source and target are. Equal tables verify equal; a row changed, removed or added on the
 * target alone is found in the one chunk whose key range holds it.
 */
class TableVerifierIT {
    private static LocalMariaDb db;

    @BeforeAll
    static void start() {
        db = TestDatabases.startTarget("verify");
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void equalTablesVerifyEqualInEveryChunk() throws SQLException {
        Pair p = pair("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), d DECIMAL(10,2), ts DATETIME(3))", 25);
        try (Connection s = TestDatabases.connect(db); Connection t = TestDatabases.connect(db)) {
            TableReport report = new TableVerifier(s, t, 10).verify(p.source, p.target, TableVerifier.CatchUp.NONE);

            assertThat(report.equal()).isTrue();
            assertThat(report.chunks()).isEqualTo(3); // sampled at ids 10 and 20: (-∞, 10], (10, 20], (20, +∞)
        }
    }

    @Test
    void aValueChangedOnTheTargetIsNamedByItsChunksKeyRange() throws SQLException {
        Pair p = pair("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20), d DECIMAL(10,2), ts DATETIME(3))", 25);
        TestDatabases.execute(db, "UPDATE " + p.target.quoted() + " SET v = 'changed' WHERE id = 15");
        AtomicInteger catchUps = new AtomicInteger();
        try (Connection s = TestDatabases.connect(db); Connection t = TestDatabases.connect(db)) {
            TableReport report = new TableVerifier(s, t, 10).verify(p.source, p.target, catchUps::incrementAndGet);

            assertThat(report.equal()).isFalse();
            assertThat(report.differences()).singleElement().satisfies(d -> {
                assertThat(d.range()).isEqualTo("id (10, 20]");
                assertThat(d.sourceRows()).isEqualTo(10);
                assertThat(d.targetRows()).isEqualTo(10);
                assertThat(d.sourceChecksum()).isNotEqualTo(d.targetChecksum());
            });
            assertThat(catchUps).hasValue(1); // re-checked once after catching up, then reported
        }
    }

    @Test
    void aRowMissingOrExtraOnTheTargetShowsInTheCountsOfItsChunk() throws SQLException {
        Pair p = pair("CREATE TABLE t (a INT NOT NULL, b VARCHAR(5) NOT NULL, v INT, UNIQUE KEY uk (a, b))", 12);
        TestDatabases.execute(db, "DELETE FROM " + p.target.quoted() + " WHERE a = 2",
                "INSERT INTO " + p.target.quoted() + " VALUES (99, 'zz', 0)");
        try (Connection s = TestDatabases.connect(db); Connection t = TestDatabases.connect(db)) {
            TableReport report = new TableVerifier(s, t, 5).verify(p.source, p.target, TableVerifier.CatchUp.NONE);

            assertThat(report.differences()).extracting(ChunkDifference::range, ChunkDifference::sourceRows,
                    ChunkDifference::targetRows).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("(a, b) (-∞, (5, 'k5')]", 5L, 4L),
                    org.assertj.core.groups.Tuple.tuple("(a, b) ((10, 'k10'), +∞)", 2L, 3L));
        }
    }

    @Test
    void aKeylessTableIsOneChunkAndAMissingTargetTableIsNamed() throws SQLException {
        Pair p = pair("CREATE TABLE t (id INT, v VARCHAR(20))", 7);
        TestDatabases.execute(db, "UPDATE " + p.target.quoted() + " SET v = NULL WHERE id = 3");
        try (Connection s = TestDatabases.connect(db); Connection t = TestDatabases.connect(db)) {
            TableVerifier verifier = new TableVerifier(s, t, 2);
            TableReport report = verifier.verify(p.source, p.target, TableVerifier.CatchUp.NONE);
            assertThat(report.chunks()).isEqualTo(1);
            assertThat(report.differences()).singleElement()
                    .satisfies(d -> assertThat(d.range()).startsWith("whole table"));

            TableRef absent = TableRef.of(p.target.schema(), "absent");
            TableReport missing = verifier.verify(p.source, absent, TableVerifier.CatchUp.NONE);
            assertThat(missing.equal()).isFalse();
            assertThat(missing.problem()).isEqualTo("the target has no table " + absent.quoted());
        }
    }

    private record Pair(TableRef source, TableRef target) {
    }

    /** the same table with {@code rows} rows in a source schema and in a target schema */
    private static Pair pair(String create, int rows) throws SQLException {
        String src = TestDatabases.uniqueSchema("vsrc");
        String tgt = TestDatabases.uniqueSchema("vtgt");
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement()) {
            for (String schema : new String[]{src, tgt}) {
                st.execute("CREATE DATABASE " + schema);
                st.execute(create.replace("CREATE TABLE t", "CREATE TABLE " + schema + ".t"));
                for (int i = 1; i <= rows; i++) {
                    st.execute(insert(create, schema, i));
                }
            }
        }
        return new Pair(TableRef.of(src, "t"), TableRef.of(tgt, "t"));
    }

    private static String insert(String create, String schema, int i) {
        if (create.contains("UNIQUE KEY uk (a, b)")) {
            return "INSERT INTO " + schema + ".t VALUES (" + i + ", 'k" + i + "', " + i * 7 + ")";
        }
        if (create.contains("ts DATETIME")) {
            return "INSERT INTO " + schema + ".t VALUES (" + i + ", 'row " + i + "', " + i + ".25,"
                    + " '2026-01-01 00:00:0" + (i % 10) + ".123')";
        }
        return "INSERT INTO " + schema + ".t VALUES (" + i + ", 'row " + i + "')";
    }
}
