package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.EventType;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.mysql.tls.DatabaseTls;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestCertificates;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The binlog client over TLS, with the same settings as the JDBC sessions: an account that REQUIRES X509 streams the
 * binlog with the client certificate in verify-full, and a CA that did not sign the server's certificate is a fatal
 * error naming the source and the fix.
 */
class BinlogTlsIT {
    private static final String PW = "Repl-tls-7";
    private static TestCertificates certs;
    private static LocalMariaDb source;
    private static DatabaseTls.Registration boxes;
    private static BinlogPosition head;
    private final Timeouts timeouts = Timeouts.defaults().withConnect(Duration.ofSeconds(5));

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(TestDatabases.baseDir());
        source = TestDatabases.startSource("binlog-tls", certs.serverOptions());
        TestDatabases.execute(source,
                "CREATE USER 'repl'@'%' IDENTIFIED BY '" + PW + "' REQUIRE X509",
                "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'repl'@'%'");
        try (Connection c = TestDatabases.connect(source); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            head = BinlogPosition.ofFilePosition(rs.getString(1), rs.getLong(2));
        }
        boxes = DatabaseTls.openWith(TestDatabases.secretBox());
    }

    @AfterAll
    static void stop() {
        if (boxes != null) {
            boxes.close();
        }
        if (source != null) {
            source.close();
        }
    }

    private BinlogStream stream(TlsSettings tls) {
        DatabaseEndpoint endpoint = TestDatabases.endpoint(source, "repl", PW).withTls(tls);
        return new BinlogStream(endpoint, PW, 4343, head, false, SyncSettings.defaults(), timeouts);
    }

    @Test
    void verifyFullWithTheClientCertificateStreamsTheBinlog() throws Exception {
        TlsSettings tls = new TlsSettings(TlsSettings.Mode.VERIFY_FULL, TestCertificates.pem(certs.ca()),
                certs.clientCert().toString(),
                TestDatabases.secretBox().seal(TestCertificates.pem(certs.clientKey())));
        try (BinlogStream stream = stream(tls)) {
            stream.open();
            TestDatabases.execute(source, "CREATE DATABASE tls_seen");

            boolean sawTheStatement = false;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!sawTheStatement && System.nanoTime() < deadline) {
                EventSource.Item item = stream.poll(200);
                if (item instanceof EventSource.Broken broken) {
                    throw broken.error();
                }
                if (item instanceof EventSource.Received r && r.event().getHeader().getEventType() == EventType.QUERY) {
                    sawTheStatement = r.event().getData().toString().contains("tls_seen");
                }
            }
            assertThat(sawTheStatement).as("the CREATE DATABASE arrived over the TLS binlog stream").isTrue();
        }
    }

    @Test
    void anotherCaIsAFatalErrorNamingTheSourceAndTheFix() {
        TlsSettings wrong = new TlsSettings(TlsSettings.Mode.VERIFY_CA, certs.otherCa().toString(),
                certs.clientCert().toString(), TestDatabases.secretBox().seal(TestCertificates.pem(certs.clientKey())));
        try (BinlogStream stream = stream(wrong)) {
            assertThatThrownBy(stream::open).isInstanceOfSatisfying(TidemarkException.class, e -> {
                assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_TLS_FAILED);
                assertThat(e.retriable()).isFalse();
                assertThat(e.getMessage()).contains("repl@127.0.0.1:" + source.port()).contains("TLS handshake")
                        .contains("tls.ca");
            });
        }
    }

    @Test
    void withoutTlsTheX509AccountIsRefused() {
        // the control: the first test passes only because the binlog client really spoke TLS
        try (BinlogStream stream = stream(TlsSettings.DISABLED)) {
            assertThatThrownBy(stream::open).isInstanceOfSatisfying(TidemarkException.class,
                    e -> assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_ACCESS_DENIED));
        }
    }

    @Test
    void requiredAgainstASourceWithoutTlsFailsForGoodSayingSo() {
        try (LocalMariaDb plain = TestDatabases.startSource("binlog-no-tls")) {
            DatabaseEndpoint endpoint = TestDatabases.endpoint(plain)
                    .withTls(new TlsSettings(TlsSettings.Mode.REQUIRED, null, null, null));
            try (BinlogStream stream = new BinlogStream(endpoint, plain.password(), 4344, head, false,
                    SyncSettings.defaults(), timeouts)) {
                assertThatThrownBy(stream::open).isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_TLS_FAILED);
                    assertThat(e.getMessage()).contains("offers no TLS");
                });
            }
        }
    }
}
