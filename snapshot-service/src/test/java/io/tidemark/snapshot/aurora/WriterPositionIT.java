package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.snapshot.dump.Source;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The writer check before an Aurora export, on real MariaDB servers: a server with a binlog gives its position; one
 * without a binlog position that is read-only (as an Aurora reader is) is named a reader, with the writer endpoint as
 * the fix; one without a binlog that is writable keeps the binlog-off error.
 */
class WriterPositionIT {
    private static LocalMariaDb source;
    private static LocalMariaDb noBinlog;

    @BeforeAll
    static void start() {
        source = TestDatabases.startSource("writerpos");
        noBinlog = TestDatabases.startTarget("writerpos");
    }

    @AfterAll
    static void stop() {
        source.close();
        noBinlog.close();
    }

    private static Source sourceOf(LocalMariaDb db) {
        return new Source(TestDatabases.endpoint(db), TestDatabases.PASSWORD, Timeouts.defaults());
    }

    @Test
    void theWriterGivesItsPositionAReadOnlyServerWithoutOneIsNamedAReader() throws Exception {
        try (Connection c = TestDatabases.connect(source)) {
            assertThat(AuroraSnapshot.writerPosition(sourceOf(source), c, Flavor.detect(c)).file())
                    .startsWith("mysql-bin.");
        }
        try (Connection c = TestDatabases.connect(noBinlog); Statement st = c.createStatement()) {
            Flavor flavor = Flavor.detect(c);
            TidemarkException off = catchThrowableOfType(TidemarkException.class,
                    () -> AuroraSnapshot.writerPosition(sourceOf(noBinlog), c, flavor));
            assertThat(off.error()).isEqualTo(ErrorCode.BINLOG_DISABLED);

            st.execute("SET GLOBAL read_only = 1");
            try {
                TidemarkException reader = catchThrowableOfType(TidemarkException.class,
                        () -> AuroraSnapshot.writerPosition(sourceOf(noBinlog), c, flavor));
                assertThat(reader.error()).isEqualTo(ErrorCode.AURORA_READER_ENDPOINT);
                assertThat(reader.getMessage()).contains("TM-20034", "127.0.0.1:" + noBinlog.port(),
                        "Aurora reader", "writer endpoint");
            } finally {
                st.execute("SET GLOBAL read_only = 0");
            }
        }
    }
}
