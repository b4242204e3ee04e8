package io.tidemark.mysql.position;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinlogPositionsIT {
    private static LocalMariaDb source;
    private static LocalMariaDb noBinlog;

    @BeforeAll
    static void start() {
        source = TestDatabases.startSource("positions");
        noBinlog = TestDatabases.startTarget("positions");
    }

    @AfterAll
    static void stop() {
        for (LocalMariaDb db : new LocalMariaDb[] {source, noBinlog}) {
            if (db != null) {
                db.close();
            }
        }
    }

    @Test
    void readsFilePositionAndMariaDbsGtidPosition() throws SQLException {
        // Given a source that has written something
        TestDatabases.execute(source, "CREATE DATABASE " + TestDatabases.uniqueSchema("pos"));

        try (Connection c = TestDatabases.connect(source)) {
            // When the position is read with the detected flavor
            Flavor flavor = Flavor.detect(c);
            BinlogPosition now = BinlogPositions.current(c, flavor);

            // Then it names a binlog file, an offset past the header, and the GTID position
            assertThat(flavor.isMariaDb()).isTrue();
            assertThat(now.file()).startsWith("mysql-bin.");
            assertThat(now.pos()).isGreaterThan(4);
            assertThat(now.gtidSet()).matches("\\d+-1-\\d+");
        }
    }

    @Test
    void fallsBackToTheOtherStatementWhenTheFlavorsOneIsAParseError() throws SQLException {
        // Given a flavor that believes the server is MySQL 8.4 (SHOW BINARY LOG STATUS), on a MariaDB server
        Flavor misled = Flavor.fromAnswers("8.4.3", "", Map.of());
        try (Connection c = TestDatabases.connect(source)) {
            // When the position is read, then the other statement answers it
            BinlogPosition now = BinlogPositions.current(c, misled);

            assertThat(now.file()).startsWith("mysql-bin.");
        }
    }

    @Test
    void aServerWithoutBinaryLoggingIsBinlogDisabled() throws SQLException {
        try (Connection c = TestDatabases.connect(noBinlog)) {
            Flavor flavor = Flavor.detect(c);

            assertThatThrownBy(() -> BinlogPositions.current(c, flavor))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.BINLOG_DISABLED);
                        assertThat(e.detail()).isEqualTo("binary logging is off on source root@127.0.0.1:"
                                + noBinlog.port());
                    });
        }
    }
}
