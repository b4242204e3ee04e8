package io.tidemark.snapshot.dump;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Dumps a test's source as the worker does: the prechecks, then the dump on sessions of its own. */
final class TestDumps {
    private TestDumps() {
    }

    /** how a test has the tables' points taken, given the dump's source and sessions */
    @FunctionalInterface
    interface PointChoice {
        /** as the service does: by the source's flavour */
        PointChoice BY_FLAVOR = (source, sessions) -> flavor -> SnapshotPoint.forFlavor(flavor, source, sessions);

        Function<Flavor, SnapshotPoint> of(Source source, SourceSessions sessions);
    }

    static Source source(LocalMariaDb db) {
        return new Source(TestDatabases.endpoint(db), TestDatabases.PASSWORD, Timeouts.defaults());
    }

    static DumpResult run(LocalMariaDb db, String filter, Path dir, DumpOptions options, PointChoice points,
                          DumpListener listener) throws InterruptedException {
        Source from = source(db);
        SourceFacts checked = DumpPrechecks.run(from, new SourceSessions(), TableFilter.parse(filter));
        SourceSessions sessions = new SourceSessions();
        return new Dump(from, sessions, Storages.open(dir.toString()), options, points.of(from, sessions))
                .run(checked, listener);
    }

    /** a listener that keeps what the dump reports */
    static DumpListener recording(List<TableResult> reported, List<BinlogPosition> started) {
        return new DumpListener() {
            @Override
            public void started(BinlogPosition start, List<TableRef> tables) {
                started.add(start);
            }

            @Override
            public void tableDumped(TableResult result) {
                reported.add(result);
            }
        };
    }
}
