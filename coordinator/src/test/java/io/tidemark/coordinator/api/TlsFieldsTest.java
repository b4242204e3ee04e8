package io.tidemark.coordinator.api;

import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.coordinator.config.dm.TaskFile;
import io.tidemark.coordinator.config.dm.TaskFiles;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The spec's tls and the DM files' security keys become the same TLS settings, the key sealed on arrival. */
class TlsFieldsTest {
    private static final SecretBox BOX = TestDatabases.secretBox();
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n"
            + "-----END PRIVATE KEY-----\n";
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Test
    void aSpecsKeyIsSealedAndItsModeRead() {
        TlsSettings tls = TlsFields.settings("source.tls", "verify-full", "/etc/tidemark/ca.pem", CERT, KEY, BOX);

        assertThat(tls.mode()).isEqualTo(TlsSettings.Mode.VERIFY_FULL);
        assertThat(tls.ca()).isEqualTo("/etc/tidemark/ca.pem");
        assertThat(tls.key().value()).startsWith("enc:v1:").doesNotContain("MIIEvQ");
        assertThat(BOX.open(tls.key())).isEqualTo(KEY.strip());
        assertThat(tls.toString()).doesNotContain("MII").doesNotContain("enc:");
    }

    @Test
    void aKeyPathStaysAFileReferenceAndNoModeFollowsTheCa() {
        TlsSettings withCa = TlsFields.settings("target.tls", null, CERT, "/etc/c.pem", "/etc/k.pem", BOX);
        assertThat(withCa.mode()).isEqualTo(TlsSettings.Mode.VERIFY_CA);
        assertThat(withCa.key().value()).isEqualTo("file:/etc/k.pem");
        assertThat(TlsFields.settings("target.tls", null, null, null, null, BOX).mode())
                .isEqualTo(TlsSettings.Mode.REQUIRED);
    }

    @Test
    void badSettingsNameTheFieldTheyCameFrom() {
        assertThatThrownBy(() -> TlsFields.settings("source.tls", "verify-ca", null, null, null, BOX))
                .isInstanceOfSatisfying(TidemarkException.class, e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TLS_SETTINGS_INVALID);
                    assertThat(e.detail()).isEqualTo("invalid TLS settings: source.tls: tls.ca is missing: mode"
                            + " verify-ca checks the server's certificate against it");
                });
        assertThatThrownBy(() -> TlsFields.settings("target.tls", "strict", null, null, null, BOX))
                .hasMessageContaining("target.tls: tls.mode 'strict' is not a mode; use one of disabled, preferred,"
                        + " required, verify-ca, verify-full");
        assertThatThrownBy(() -> TlsFields.settings("source.tls", "required", null, CERT, null, BOX))
                .hasMessageContaining("tls.key is missing: a client certificate needs both tls.cert and tls.key");
        assertThatThrownBy(() -> TlsFields.settings("source.tls", "required", null, CERT, "my-key", BOX))
                .hasMessageContaining("tls.key is neither PEM text");
        assertThatThrownBy(() -> TlsFields.settings("source.tls", "required", "ca.pem", null, null, BOX))
                .hasMessageContaining("tls.ca is neither an absolute file path nor PEM text");
    }

    @Test
    void aDmSecuritySectionIsTheSameSettings() {
        assertThat(TlsFields.ofDm("from.security", null, null, null, BOX)).isEqualTo(TlsSettings.DISABLED);
        TlsSettings dm = TlsFields.ofDm("from.security", "/etc/ca.pem", "/etc/c.pem", "/etc/k.pem", BOX);
        assertThat(dm).isEqualTo(TlsFields.settings("source.tls", "verify-ca", "/etc/ca.pem", "/etc/c.pem",
                "/etc/k.pem", BOX));
    }

    @Test
    void aTaskFilesTargetSecurityAndItsSourcesTlsReachTheSpec() {
        TlsSettings sourceTls = TlsFields.settings("from.security", null, "/etc/src-ca.pem", null, null, BOX);
        TaskFile task = TaskFiles.parse("""
                name: "t"
                task-mode: "incremental"
                target-database:
                  host: "tidb"
                  port: 4000
                  user: "root"
                  password: "pw"
                  security:
                    ssl-ca: "/etc/tidb-ca.pem"
                    ssl-cert: "/etc/tidb-client.pem"
                    ssl-key: "/etc/tidb-client-key.pem"
                mysql-instances:
                  - source-id: "mysql-01"
                    meta:
                      binlog-name: "mysql-bin.000004"
                      binlog-pos: 4
                """, "t.yaml", id -> Optional.of(new TaskFiles.Source("10.0.0.1", 3306, "dm", "pw", false,
                sourceTls)), written -> written);

        assertThat(task.notes()).isEmpty();
        var spec = task.instances().getFirst().spec();
        assertThat(spec.path("source").path("tls").toString())
                .isEqualTo("{\"mode\":\"verify-ca\",\"ca\":\"/etc/src-ca.pem\"}");
        assertThat(spec.path("target").path("tls").toString()).isEqualTo("{\"ca\":\"/etc/tidb-ca.pem\","
                + "\"cert\":\"/etc/tidb-client.pem\",\"key\":\"/etc/tidb-client-key.pem\"}");
        assertThat(List.of(spec.path("target").path("tls").path("key").asString())).containsExactly(
                "/etc/tidb-client-key.pem");
    }

    @Test
    void aDmFileRefusesAKeyAsPemTextBecauseItsTextIsKept() {
        String task = """
                name: "t"
                task-mode: "incremental"
                target-database:
                  host: "tidb"
                  port: 4000
                  user: "root"
                  password: "pw"
                  security:
                    ssl-key: |
                      -----BEGIN PRIVATE KEY-----
                      MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
                      -----END PRIVATE KEY-----
                mysql-instances:
                  - source-id: "mysql-01"
                """;
        assertThatThrownBy(() -> TaskFiles.parse(task, "t.yaml", id -> Optional.of(new TaskFiles.Source("10.0.0.1",
                3306, "dm", "pw")), written -> written))
                .hasMessageContaining("target-database.security.ssl-key")
                .hasMessageContaining("is PEM text; a DM file names the key's file")
                .hasMessageNotContaining("MIIEvQ");
        String source = """
                source-id: "mysql-01"
                from:
                  host: "db"
                  port: 3306
                  user: "dm"
                  password: "pw"
                  security:
                    ssl-key: "-----BEGIN PRIVATE KEY-----MIIEvQ-----END PRIVATE KEY-----"
                """;
        assertThatThrownBy(() -> io.tidemark.coordinator.config.dm.SourceFiles.parse(source, "s.yaml",
                written -> written)).hasMessageContaining("from.security.ssl-key")
                .hasMessageContaining("give the PEM as tls.key of a migration spec");
    }
}
