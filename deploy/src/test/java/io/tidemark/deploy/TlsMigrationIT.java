package io.tidemark.deploy;

import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.DataDiff;
import io.tidemark.testkit.TestCertificates;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A migration in mode all to and from servers that require TLS: the source account REQUIRES X509 (so the dump's, the
 * prechecks' and the binlog client's logins all present the client certificate, checked in verify-full), the target
 * account REQUIRES SSL (verify-ca). It ends in a data diff, and the client key, the passwords and the API token are on
 * no topic (raw bytes), in no log line of any service and in no answer of the API.
 */
@ExtendWith(OutputCaptureExtension.class)
class TlsMigrationIT {
    private static final String REPL_PASSWORD = "Repl-tls-13";
    private static final List<TableRef> TABLES = List.of(TableRef.of("vault", "items"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TestCertificates certs;
    private static Stack stack;
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @BeforeAll
    static void startEverything() throws Exception {
        certs = TestCertificates.create(TestDatabases.baseDir());
        stack = Stack.named("tls").withSource().serverOptions(certs.serverOptions(), certs.serverOptions()).start();
        TestDatabases.execute(stack.source(),
                "CREATE USER 'tidemark'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "' REQUIRE X509",
                "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'tidemark'@'%'",
                "CREATE DATABASE vault",
                "CREATE TABLE vault.items (id INT PRIMARY KEY, secret_name VARCHAR(40))",
                "INSERT INTO vault.items SELECT seq, CONCAT('item ', seq) FROM vault.seq_1_to_500");
        TestDatabases.execute(stack.target(),
                "CREATE USER 'loader'@'%' IDENTIFIED BY '" + REPL_PASSWORD + "' REQUIRE SSL",
                "GRANT ALL PRIVILEGES ON *.* TO 'loader'@'%'");
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aMigrationOverTlsEndsEqualAndNoPasswordKeyOrTokenIsOnATopicInTheLogsOrInAnAnswer(CapturedOutput logs)
            throws Exception {
        String keyPem = TestCertificates.pem(certs.clientKey());
        // a line of the key's base64 body: what would show if the PEM leaked anywhere, whatever its line breaks
        String keyLine = keyPem.lines().skip(3).findFirst().orElseThrow();
        Path storage = Files.createTempDirectory("tidemark-tls-dumps");

        // Given a source that takes only X509 logins and a target that takes only TLS logins
        ObjectNode spec = JSON.createObjectNode().put("name", "vault over tls").put("mode", "all")
                .put("storage", storage.toUri().toString());
        ObjectNode source = spec.putObject("source").put("host", "127.0.0.1").put("port", stack.source().port())
                .put("user", "tidemark").put("password", REPL_PASSWORD);
        source.putObject("tls").put("mode", "verify-full").put("ca", certs.ca().toString())
                .put("cert", TestCertificates.pem(certs.clientCert())).put("key", keyPem);
        ObjectNode target = spec.putObject("target").put("host", "127.0.0.1").put("port", stack.target().port())
                .put("user", "loader").put("password", REPL_PASSWORD);
        target.putObject("tls").put("mode", "verify-ca").put("ca", TestCertificates.pem(certs.ca()));
        spec.putArray("filter").add("vault.*");

        // When it is submitted in mode all (dump, import, replicate)
        String id = api.submit(JSON.writeValueAsString(spec), keyLine);
        api.awaitView(id, Duration.ofMinutes(2), v -> v.path("phase").asString().equals("replicating"));
        TestDatabases.execute(stack.source(),
                "INSERT INTO vault.items VALUES (1001, 'after the dump')",
                "UPDATE vault.items SET secret_name = 'changed' WHERE id = 7",
                "DELETE FROM vault.items WHERE id = 9");

        // Then the binlog's changes arrive too, and the target equals the source
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                .until(() -> DataDiff.same(stack.source(), stack.target(), TABLES));
        DataDiff.assertSame(stack.source(), stack.target(), TABLES);

        // And the key, the passwords and the API token are sealed on every topic, and in no log line and no answer
        JsonNode view = api.get(id);
        assertThat(view.toString()).doesNotContain(keyLine).doesNotContain(REPL_PASSWORD);
        String topics = allTopicBytes();
        assertThat(topics).as("raw bytes of every topic").contains("verify-full")
                .doesNotContain(keyLine).doesNotContain("PRIVATE KEY").doesNotContain(REPL_PASSWORD)
                .doesNotContain(TestDatabases.API_TOKEN);
        StringBuilder answers = new StringBuilder();
        for (String path : List.of("/api/v1/migrations", "/api/v1/migrations/" + id, "/api/v1/sources",
                "/api/v1/tasks", "/api/v1/config/export", "/api/v1/shard-ddl-locks")) {
            var answer = api.call("GET", path, null, null);
            assertThat(answer.statusCode()).as("GET " + path + ": " + answer.body()).isEqualTo(200);
            answers.append(answer.body());
        }
        assertThat(answers.toString()).as("the API's answers").contains(id).doesNotContain(keyLine)
                .doesNotContain("PRIVATE KEY").doesNotContain(REPL_PASSWORD).doesNotContain(TestDatabases.API_TOKEN);
        assertThat(logs.getAll()).as("every service's log lines during the migration").contains(id)
                .doesNotContain(keyLine).doesNotContain("PRIVATE KEY").doesNotContain(REPL_PASSWORD)
                .doesNotContain(TestDatabases.API_TOKEN);
    }

    @Test
    void aSourceCaThatDidNotSignTheServersCertificateFailsTheMigrationNamingTheSourceAndTheFix() throws Exception {
        ObjectNode spec = JSON.createObjectNode().put("name", "wrong ca").put("mode", "all")
                .put("storage", Files.createTempDirectory("tidemark-tls-wrong").toUri().toString());
        ObjectNode source = spec.putObject("source").put("host", "127.0.0.1").put("port", stack.source().port())
                .put("user", "tidemark").put("password", REPL_PASSWORD);
        source.putObject("tls").put("mode", "verify-ca").put("ca", certs.otherCa().toString())
                .put("cert", certs.clientCert().toString()).put("key", certs.clientKey().toString());
        spec.putObject("target").put("host", "127.0.0.1").put("port", stack.target().port())
                .put("user", "root").put("password", TestDatabases.PASSWORD);
        spec.putArray("filter").add("elsewhere.*"); // apart from the other test's migration

        // When it is submitted, Then the prechecks refuse it, naming the source, the handshake's reason and the fix
        var answer = api.call("POST", "/api/v1/migrations", "application/json", JSON.writeValueAsString(spec));
        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("TM-10008").contains("source_login")
                .contains("TLS with source tidemark@127.0.0.1:" + stack.source().port() + " failed")
                .contains("does not chain with any of the trust anchors")
                .contains("give the CA that signed the source's certificate as the source's tls.ca")
                .doesNotContain("java.").doesNotContain(REPL_PASSWORD);
    }

    @Test
    void dmFilesSecurityKeysSecureTheSourceAndTheTargetAlike(@TempDir Path work) throws Exception {
        // Given a table on both sides, the source's position, and DM files whose security sections name the test CA
        TestDatabases.execute(stack.source(), "CREATE DATABASE dmtls", "CREATE TABLE dmtls.t (id INT PRIMARY KEY,"
                + " v VARCHAR(20))");
        TestDatabases.execute(stack.target(), "CREATE DATABASE dmtls", "CREATE TABLE dmtls.t (id INT PRIMARY KEY,"
                + " v VARCHAR(20))");
        List<String> head = CliRun.rows(stack.source(), "SHOW MASTER STATUS");
        String[] position = head.getFirst().split("\\|");
        Path sourceFile = Files.writeString(work.resolve("source-tls.yaml"), """
                source-id: "mysql-tls"
                from:
                  host: "127.0.0.1"
                  port: %d
                  user: "tidemark"
                  password: "%s"
                  security:
                    ssl-ca: "%s"
                    ssl-cert: "%s"
                    ssl-key: "%s"
                """.formatted(stack.source().port(), REPL_PASSWORD, certs.ca(), certs.clientCert(),
                certs.clientKey()));
        Path taskFile = Files.writeString(work.resolve("task-tls.yaml"), """
                name: "dmtls"
                task-mode: "incremental"
                target-database:
                  host: "127.0.0.1"
                  port: %d
                  user: "loader"
                  password: "%s"
                  security:
                    ssl-ca: "%s"
                block-allow-list:
                  only:
                    do-dbs: ["dmtls"]
                mysql-instances:
                  - source-id: "mysql-tls"
                    block-allow-list: "only"
                    meta:
                      binlog-name: "%s"
                      binlog-pos: %s
                """.formatted(stack.target().port(), REPL_PASSWORD, certs.ca(), position[0], position[1]));

        // When the source is created and the task started with dmctl's verbs, and the source changes
        CliRun created = tidemark(work, "operate-source", "create", sourceFile.toString());
        assertThat(created.exit()).as(created.output()).isZero();
        CliRun started = tidemark(work, "start-task", taskFile.toString());
        assertThat(started.exit()).as(started.output()).isZero();
        TestDatabases.execute(stack.source(), "INSERT INTO dmtls.t VALUES (1, 'one'), (2, 'two')",
                "UPDATE dmtls.t SET v = 'uno' WHERE id = 1");

        // Then the changes reach the target over TLS on both ends (the source account takes only X509 logins,
        // the target account only TLS ones)
        List<TableRef> table = List.of(TableRef.of("dmtls", "t"));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> CliRun.rows(stack.target(), "SELECT COUNT(*) FROM dmtls.t").equals(List.of("2"))
                        && DataDiff.same(stack.source(), stack.target(), table));
        DataDiff.assertSame(stack.source(), stack.target(), table);
        assertThat(tidemark(work, "stop-task", "dmtls").exit()).isZero();
    }

    private static CliRun tidemark(Path work, String... args) throws Exception {
        return CliRun.of(stack.platform().coordinatorPort(), work, Duration.ofMinutes(2), args);
    }

    /** every record of every topic, keys and values, as ISO-8859-1 text (byte for byte) */
    private static String allTopicBytes() throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafka().bootstrapServers()))) {
            for (TopicDescription d : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get()
                    .values()) {
                d.partitions().forEach(p -> partitions.add(new TopicPartition(d.name(), p.partition())));
            }
        }
        StringBuilder all = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers(),
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> c.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.key() != null) {
                        all.append(new String(r.key(), StandardCharsets.ISO_8859_1));
                    }
                    if (r.value() != null) {
                        all.append(new String(r.value(), StandardCharsets.ISO_8859_1)).append('\n');
                    }
                }
            }
            assertThat(partitions).as("every topic read to its end")
                    .allMatch(p -> c.position(p) >= end.get(p));
        }
        return all.toString();
    }
}
