package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.snapshot.dump.Source;
import io.tidemark.snapshot.support.SourceBinlog;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The binlog between position 1 and the snapshot, read on a real MariaDB source: a DDL on a selected table fails the
 * export naming the table, the position and the statement, also across a binlog rotation; writes, and DDL on tables
 * not selected, do not.
 */
class SchemaWindowIT {
    private static LocalMariaDb source;

    @BeforeAll
    static void start() {
        source = TestDatabases.startSource("schemawin");
    }

    @AfterAll
    static void stop() {
        source.close();
    }

    @Test
    void aDdlOnASelectedTableBetweenThePositionsFailsNamingTableAndStatement() throws Exception {
        // Given selected tables and position 1
        String db = TestDatabases.uniqueSchema("win");
        TestDatabases.execute(source, "CREATE DATABASE " + db, "USE " + db,
                "CREATE TABLE orders (id INT PRIMARY KEY)", "CREATE TABLE scratch (id INT PRIMARY KEY)");
        List<TableRef> selected = List.of(TableRef.of(db, "orders"));
        BinlogPosition start = SourceBinlog.now(source);

        // When writes and a DDL on an unselected table run, the binlog rotates, then a selected table is altered
        TestDatabases.execute(source, "USE " + db, "INSERT INTO orders VALUES (1), (2)",
                "ALTER TABLE scratch ADD COLUMN note INT", "FLUSH BINARY LOGS");
        BinlogPosition quiet = SourceBinlog.now(source);
        TestDatabases.execute(source, "USE " + db, "ALTER TABLE orders ADD COLUMN note VARCHAR(20)",
                "INSERT INTO orders VALUES (3, 'x')");
        BinlogPosition end = SourceBinlog.now(source);

        try (Connection c = TestDatabases.connect(source)) {
            // Then the window up to the rotation holds nothing that matters
            assertThat(quiet.file()).isNotEqualTo(start.file());
            assertThatCode(() -> SchemaWindow.check(sourceOf(), c, start, quiet, selected)).doesNotThrowAnyException();
            // and the whole window fails, naming the table, the DDL's place and the statement
            TidemarkException e = catchThrowableOfType(TidemarkException.class,
                    () -> SchemaWindow.check(sourceOf(), c, start, end, selected));
            assertThat(e.error()).isEqualTo(ErrorCode.AURORA_EXPORT_DDL_IN_WINDOW);
            assertThat(e.retriable()).isFalse();
            assertThat(e.getMessage()).contains("a DDL on " + db + ".orders ran at " + end.file() + ":",
                    "ALTER TABLE orders ADD COLUMN note VARCHAR(20)", "position 1 (" + start,
                    "hold schema changes on the selected tables");
        }
    }

    private static Source sourceOf() {
        return new Source(TestDatabases.endpoint(source), TestDatabases.PASSWORD, Timeouts.defaults());
    }
}
