package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TablePointsTest {
    private static final TableRef A = TableRef.of("app", "a");
    private static final TableRef B = TableRef.of("app", "b");

    private static BinlogPosition p(String file, long pos) {
        return BinlogPosition.ofFilePosition(file, pos);
    }

    @Test
    void aChangeIsInTheDumpOnlyWhenItStartsBeforeItsTablesPointAcrossFiles() {
        TablePoints points = new TablePoints(List.of(new TablePoint(A, p("mysql-bin.000009", 500))));

        assertThat(points.inDump(A, p("mysql-bin.000009", 499))).isTrue();
        assertThat(points.inDump(A, p("mysql-bin.000008", 100_000))).isTrue();
        assertThat(points.inDump(A, p("mysql-bin.000009", 500))).as("the point is the next transaction's start")
                .isFalse();
        assertThat(points.inDump(A, p("mysql-bin.000010", 4))).isFalse();
        assertThat(points.inDump(B, p("mysql-bin.000001", 4))).as("no point: replayed as before").isFalse();
    }

    @Test
    void theGlobalPointReachingAPointMakesItPassedAndItIsForgotten() {
        TablePoints points = new TablePoints(List.of(new TablePoint(A, p("mysql-bin.000002", 500)),
                new TablePoint(B, p("mysql-bin.000003", 100))));

        assertThat(points.passedBy(p("mysql-bin.000002", 499))).isEmpty();
        List<TablePoint> passed = points.passedBy(p("mysql-bin.000002", 500));
        assertThat(passed).containsExactly(new TablePoint(A, p("mysql-bin.000002", 500)));
        points.forget(passed);

        assertThat(points.all()).containsExactly(new TablePoint(B, p("mysql-bin.000003", 100)));
        assertThat(points.passedBy(p("mysql-bin.000004", 4))).extracting(TablePoint::table).containsExactly(B);
    }

    @Test
    void aTableGivenTwiceKeepsItsLaterPoint() {
        TablePoints points = new TablePoints(List.of(new TablePoint(A, p("mysql-bin.000002", 500)),
                new TablePoint(A, p("mysql-bin.000002", 900))));

        assertThat(points.of(A)).contains(p("mysql-bin.000002", 900));
        assertThat(points.dumpedAfter("app", p("mysql-bin.000002", 600))).containsExactly(A);
        assertThat(points.dumpedAfter("other", p("mysql-bin.000001", 4))).isEmpty();
    }
}
