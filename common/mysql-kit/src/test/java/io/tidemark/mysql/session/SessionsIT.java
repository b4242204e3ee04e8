package io.tidemark.mysql.session;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.SilentServer;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sessions against a real MariaDB, and against the network failures a login meets in practice. */
class SessionsIT {
    private static final Timeouts ONE_SECOND_CONNECT = Timeouts.defaults().withConnect(Duration.ofSeconds(1));
    private static LocalMariaDb db;
    private static String schema;

    @BeforeAll
    static void start() throws SQLException {
        db = TestDatabases.startTarget("sessions");
        schema = TestDatabases.uniqueSchema("sessions");
        TestDatabases.execute(db, "CREATE DATABASE " + schema, "CREATE TABLE " + schema + ".t (id INT PRIMARY KEY)");
    }

    @AfterAll
    static void stop() {
        if (db != null) {
            db.close();
        }
    }

    private static DatabaseEndpoint endpoint(String host, int port) {
        return new DatabaseEndpoint(host, port, "root", TestDatabases.secretBox().seal("pw"));
    }

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        // Given a port that accepts TCP connections and never sends a greeting
        try (SilentServer silent = SilentServer.start()) {
            // When a session is opened with a 1 s connect timeout
            long started = System.nanoTime();
            assertThatThrownBy(() -> Sessions.open(endpoint("127.0.0.1", silent.port()), "pw", Side.TARGET,
                    ONE_SECOND_CONNECT, null))
                    // Then it fails as unreachable, naming the timeout, in about a second instead of hanging
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.TARGET_UNREACHABLE);
                        assertThat(e.retriable()).isTrue();
                        assertThat(e.detail()).isEqualTo("cannot reach target root@127.0.0.1:" + silent.port()
                                + ": login: no answer within 1 s (tidemark.db.connect-timeout); raise tidemark.db.connect-timeout if the"
                                + " server is only slow");
                    });
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
            assertThat(silent.accepted()).isPositive();
        }
    }

    @Test
    void aTlsLoginDroppedWithoutAReasonIsAskedOnceMoreAPlainOneIsNot() throws Exception {
        // Given a server that resets every connection before its greeting
        try (SilentServer resetting = SilentServer.startResetting()) {
            DatabaseEndpoint plain = endpoint("127.0.0.1", resetting.port());
            DatabaseEndpoint tls = new DatabaseEndpoint("127.0.0.1", resetting.port(), "root",
                    TestDatabases.secretBox().seal("pw"), new TlsSettings(TlsSettings.Mode.REQUIRED, null, null, null));
            // When a plain session is opened, Then it fails as unreachable after one connection
            assertThatThrownBy(() -> Sessions.open(plain, "pw", Side.SOURCE, ONE_SECOND_CONNECT, null))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
                        assertThat(e.detail()).contains("the connection to 127.0.0.1:" + resetting.port()
                                + " was lost");
                    });
            assertThat(resetting.accepted()).isEqualTo(1);
            // When a TLS session is opened, Then the login is asked once more before failing the same way
            assertThatThrownBy(() -> Sessions.open(tls, "pw", Side.SOURCE, ONE_SECOND_CONNECT, null))
                    .isInstanceOfSatisfying(TidemarkException.class,
                            e -> assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE));
            assertThat(resetting.accepted()).isEqualTo(3);
        }
    }

    @Test
    void aHostNameThatDoesNotResolveIsSaidSoAndNotRetried() {
        assertThatThrownBy(() -> Sessions.open(endpoint("no-such-host.invalid", 3306), "pw", Side.SOURCE,
                ONE_SECOND_CONNECT, null))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_HOST_UNKNOWN);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.detail()).isEqualTo("cannot reach source root@no-such-host.invalid:3306 (login):"
                            + " the host name no-such-host.invalid does not resolve");
                });
    }

    @Test
    void aClosedPortSaysNothingListens() throws IOException {
        int port = SilentServer.closedPort();

        assertThatThrownBy(() -> Sessions.open(endpoint("127.0.0.1", port), "pw", Side.SOURCE, ONE_SECOND_CONNECT,
                null))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_UNREACHABLE);
                    assertThat(e.detail()).isEqualTo("cannot reach source root@127.0.0.1:" + port
                            + ": login: nothing listens on 127.0.0.1:" + port + " (connection refused)");
                });
    }

    @Test
    void aWrongPasswordIsARefusedLogin() {
        assertThatThrownBy(() -> Sessions.open(TestDatabases.endpoint(db), "wrong", Side.TARGET,
                Timeouts.defaults(), null))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TARGET_ACCESS_DENIED);
                    assertThat(e.detail()).startsWith("target root@127.0.0.1:" + db.port() + " refused the login:"
                            + " Access denied for user 'root'").endsWith("(error 1045)");
                });
    }

    @Test
    void anOpenSessionWaitsUpToTheReadTimeoutAndASourceSessionOnlyReads() throws SQLException {
        Timeouts timeouts = Timeouts.defaults().withRead(Duration.ofSeconds(30));
        try (Connection target = Sessions.open(TestDatabases.endpoint(db), db.password(), Side.TARGET, timeouts,
                "rewriteBatchedStatements=true");
             Connection source = Sessions.open(TestDatabases.endpoint(db), db.password(), Side.SOURCE, timeouts, null);
             Statement st = source.createStatement()) {
            assertThat(target.getNetworkTimeout()).isEqualTo(30_000);
            assertThat(target.isReadOnly()).isFalse();
            assertThat(source.isReadOnly()).isTrue();
            // the driver refuses the write itself; the server would too (a READ ONLY transaction)
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO " + schema + ".t VALUES (1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("read-only");
            try (Statement server = source.createStatement();
                 ResultSet rs = server.executeQuery("SELECT @@tx_read_only")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void withTimeoutRunsUnderTheLongerTimeoutAndRestoresTheReadTimeout() throws SQLException {
        try (Connection c = Sessions.open(TestDatabases.endpoint(db), db.password(), Side.TARGET,
                Timeouts.defaults(), null)) {
            int during = Sessions.withTimeout(c, Duration.ofHours(24), session -> session.getNetworkTimeout());

            assertThat(during).isEqualTo(24 * 3600 * 1000);
            assertThat(c.getNetworkTimeout()).isEqualTo(120_000);
        }
    }

    @Test
    void anOperationThatOutlivesItsTimeoutFailsNamingIt() throws SQLException {
        Connection c = Sessions.open(TestDatabases.endpoint(db), db.password(), Side.TARGET, Timeouts.defaults(),
                null);
        try {
            long started = System.nanoTime();
            SQLException thrown = null;
            try {
                Sessions.withTimeout(c, Duration.ofSeconds(1), session -> {
                    try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SELECT SLEEP(5)")) {
                        return rs.next();
                    }
                });
            } catch (SQLException e) {
                thrown = e;
            }
            assertThat((Throwable) thrown).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));

            TidemarkException e = SqlErrors.classify(thrown, Side.TARGET, TestDatabases.endpoint(db).describe(),
                    "ADMIN CHECKSUM TABLE t");
            assertThat(e.error()).isEqualTo(ErrorCode.TARGET_UNREACHABLE);
            assertThat(e.detail()).endsWith("ADMIN CHECKSUM TABLE t: no answer within 1 s (tidemark.db.long-operation-timeout);"
                    + " raise tidemark.db.long-operation-timeout if the server is only slow");
        } finally {
            Sessions.closeQuietly(c);
        }
    }

    @Test
    void timeoutsComeFromTimeoutsNotFromUrlParameters() {
        assertThatThrownBy(() -> Sessions.open(TestDatabases.endpoint(db), db.password(), Side.TARGET,
                Timeouts.defaults(), "useSSL=false&socketTimeout=0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("socketTimeout");
    }
}
