package io.tidemark.mysql.tls;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestCertificates;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sessions over TLS to a real MariaDB serving a test CA's certificate: an account that REQUIRES X509 logs in only
 * with the client certificate, the CA is checked in verify-ca and verify-full, and a wrong CA is a fatal error that
 * names the endpoint and the fix.
 */
class DatabaseTlsIT {
    private static final String PW = "Tls-pw-13";
    private static TestCertificates certs;
    private static LocalMariaDb server;
    private static DatabaseTls.Registration boxes;
    private final Timeouts timeouts = Timeouts.defaults().withConnect(Duration.ofSeconds(5));

    @BeforeAll
    static void start() throws SQLException {
        certs = TestCertificates.create(TestDatabases.baseDir());
        server = TestDatabases.startSource("tls", certs.serverOptions());
        TestDatabases.execute(server,
                "CREATE USER 'x509user'@'%' IDENTIFIED BY '" + PW + "' REQUIRE X509",
                "CREATE USER 'ssluser'@'%' IDENTIFIED BY '" + PW + "' REQUIRE SSL",
                "GRANT SELECT ON *.* TO 'x509user'@'%', 'ssluser'@'%'");
        boxes = DatabaseTls.openWith(TestDatabases.secretBox());
    }

    @AfterAll
    static void stop() {
        if (boxes != null) {
            boxes.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static DatabaseEndpoint endpoint(String user, TlsSettings tls) {
        return TestDatabases.endpoint(server, user, PW).withTls(tls);
    }

    private static String cipher(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
            return rs.next() ? rs.getString(2) : "";
        }
    }

    @Test
    void verifyFullWithAClientCertificateLogsInAnAccountThatRequiresX509() throws Exception {
        // Given the CA as a file path and the client certificate and its key as PEM text, the key sealed
        TlsSettings tls = new TlsSettings(TlsSettings.Mode.VERIFY_FULL, certs.ca().toString(),
                TestCertificates.pem(certs.clientCert()),
                TestDatabases.secretBox().seal(TestCertificates.pem(certs.clientKey())));

        // When a source session is opened, Then it is encrypted
        try (Connection c = Sessions.open(endpoint("x509user", tls), PW, Side.SOURCE, timeouts, null)) {
            assertThat(cipher(c)).as("the session's TLS cipher").isNotBlank();
        }
    }

    @Test
    void aKeyFileReferenceWorksLikeTheSealedPem() throws Exception {
        TlsSettings tls = new TlsSettings(TlsSettings.Mode.VERIFY_CA, TestCertificates.pem(certs.ca()),
                certs.clientCert().toString(), new Secret("file:" + certs.clientKey()));
        try (Connection c = Sessions.open(endpoint("x509user", tls), PW, Side.TARGET, timeouts, null)) {
            assertThat(cipher(c)).isNotBlank();
        }
    }

    @Test
    void requiredEncryptsWithoutACa() throws Exception {
        TlsSettings tls = new TlsSettings(TlsSettings.Mode.REQUIRED, null, null, null);
        try (Connection c = Sessions.open(endpoint("ssluser", tls), PW, Side.SOURCE, timeouts, null)) {
            assertThat(cipher(c)).isNotBlank();
        }
    }

    @Test
    void withoutTlsAnAccountThatRequiresSslIsRefused() {
        // the control: the tests above pass only because TLS was really on
        assertThatThrownBy(() -> Sessions.open(endpoint("ssluser", TlsSettings.DISABLED), PW, Side.SOURCE, timeouts,
                null)).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_ACCESS_DENIED));
    }

    @Test
    void verifyCaWithAnotherCaFailsAtOnceNamingTheEndpointAndTheFix() {
        TlsSettings wrong = new TlsSettings(TlsSettings.Mode.VERIFY_CA, certs.otherCa().toString(), null, null);
        DatabaseEndpoint source = endpoint("ssluser", wrong);

        assertThatThrownBy(() -> Sessions.open(source, PW, Side.SOURCE, timeouts, null))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.SOURCE_TLS_FAILED);
                    assertThat(e.retriable()).isFalse();
                    assertThat(e.getMessage()).contains("ssluser@127.0.0.1:" + server.port())
                            .contains("TLS handshake").contains("tls.ca").doesNotContain("java.");
                });
        assertThatThrownBy(() -> Sessions.open(source, PW, Side.TARGET, timeouts, null))
                .isInstanceOfSatisfying(TidemarkException.class,
                        e -> assertThat(e.error()).isEqualTo(ErrorCode.TARGET_TLS_FAILED));
    }

    @Test
    void aMissingCaFileIsNamedWithItsPath() {
        TlsSettings missing = new TlsSettings(TlsSettings.Mode.VERIFY_CA, "/nonexistent/ca.pem", null, null);
        assertThatThrownBy(() -> Sessions.open(endpoint("ssluser", missing), PW, Side.SOURCE, timeouts, null))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TLS_MATERIAL_UNREADABLE);
                    assertThat(e.getMessage()).contains("CA").contains("/nonexistent/ca.pem")
                            .contains("ssluser@127.0.0.1");
                });
    }

    @Test
    void requiredAgainstAServerWithoutTlsFailsForGoodSayingSo() {
        try (LocalMariaDb plain = TestDatabases.startTarget("no-tls")) {
            DatabaseEndpoint endpoint = TestDatabases.endpoint(plain)
                    .withTls(new TlsSettings(TlsSettings.Mode.REQUIRED, null, null, null));
            assertThatThrownBy(() -> Sessions.open(endpoint, plain.password(), Side.TARGET, timeouts, null))
                    .isInstanceOfSatisfying(TidemarkException.class, e -> {
                        assertThat(e.error()).isEqualTo(ErrorCode.TARGET_TLS_FAILED);
                        assertThat(e.getMessage()).contains("root@127.0.0.1:" + plain.port())
                                .contains("offers no TLS").contains("tls.mode");
                        assertThat(e.retriable()).isFalse();
                    });
        }
    }
}
