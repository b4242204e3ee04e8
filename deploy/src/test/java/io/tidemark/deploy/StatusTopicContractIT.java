package io.tidemark.deploy;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status topic as an outside system consumes it: a plain string consumer, the schemas fetched from the
 * coordinator's API, a public JSON Schema validator, and no Tidemark class in the decoding. A migration in mode all
 * runs through snapshot, import and replication; every event it put on the topic matches the envelope and its type's
 * schema, and the coordinator's own migration-progressed summary of it ends up showing it replicating with its
 * tables' rows in.
 */
class StatusTopicContractIT {
    private static final String REPL_PASSWORD = "Repl-pw-13";
    private static final String TOPIC = "tidemark.status";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Stack stack;
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @BeforeAll
    static void start() throws Exception {
        stack = Stack.named("statuscontract").withSource().start();
        try (Connection c = TestDatabases.connect(stack.source())) {
            SampleData.create(c, REPL_PASSWORD);
        }
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyEventOfAMigrationMatchesThePublishedSchemas() throws Exception {
        // Given the schemas as the coordinator serves them
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        JsonNode index = JSON.readTree(http("/api/v1/schemas/status"));
        Schema envelope = registry.getSchema(http(index.get("envelope").asString()), InputFormat.JSON);
        Map<String, Schema> schemas = new HashMap<>();
        for (String type : index.get("types").propertyNames()) {
            schemas.put(type, registry.getSchema(http(index.get("types").get(type).asString()), InputFormat.JSON));
        }

        // When a migration in mode all reaches replication and replicates a write
        String id = api.submit("""
                {"name": "contract shop", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shop.*", "!shop.tmp_*"],
                 "storage": "%s"}
                """.formatted(stack.source().port(), REPL_PASSWORD, stack.target().port(), TestDatabases.PASSWORD,
                Files.createTempDirectory("tidemark-contract-dumps").toUri()), REPL_PASSWORD);
        api.awaitView(id, Duration.ofMinutes(4), v -> v.path("phase").asString().equals("replicating"));
        TestDatabases.execute(stack.source(), "INSERT INTO shop.audit_log VALUES ('2026-01-01 00:00:00', 'contract',"
                + " 'replicated')");

        // Then every event on the topic, read as plain strings, matches the envelope and its type's schema
        Set<String> seen = new TreeSet<>();
        List<String> invalid = new ArrayList<>();
        Set<String> wanted = Set.of("snapshot-started", "table-dumped", "snapshot-completed", "import-planned",
                "chunk-imported", "replication-progressed", "migration-progressed");
        // the coordinator's summaries of this migration: the last one seen must show it replicating
        JsonNode lastSummary = null;
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(60);
            while (!(seen.containsAll(wanted) && replicatingWithRows(lastSummary))
                    && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode event = JSON.readTree(r.value());
                    String type = event.path("type").asString();
                    seen.add(type);
                    if (type.equals("migration-progressed") && id.equals(r.key())) {
                        lastSummary = event;
                    }
                    List<Error> errors = new ArrayList<>(envelope.validate(r.value(), InputFormat.JSON));
                    Schema own = schemas.get(type);
                    if (own == null) {
                        invalid.add("no published schema for type '" + type + "': " + r.value());
                        continue;
                    }
                    errors.addAll(own.validate(r.value(), InputFormat.JSON));
                    if (!errors.isEmpty()) {
                        invalid.add(type + " " + errors + ": " + r.value());
                    }
                    assertThat(r.key()).as("record key of " + r.value())
                            .isEqualTo(event.path("migrationId").path("value").asString());
                }
            }
        }
        assertThat(invalid).as("events not matching the published schemas").isEmpty();
        assertThat(seen).as("event types seen on " + TOPIC + " for " + id).containsAll(wanted);
        // the summary an outside monitor shows: replicating, with the lag measured and every table's rows in
        assertThat(lastSummary).as("last migration-progressed of " + id).isNotNull();
        assertThat(lastSummary.path("phase").asString()).as(lastSummary.toString()).isEqualTo("replicating");
        assertThat(lastSummary.path("mode").asString()).isEqualTo("all");
        assertThat(lastSummary.path("lagSeconds").isIntegralNumber()).as(lastSummary.toString()).isTrue();
        assertThat(lastSummary.path("errorCode").isNull()).as(lastSummary.toString()).isTrue();
        assertThat(replicatingWithRows(lastSummary)).as(lastSummary.toString()).isTrue();
        for (JsonNode table : lastSummary.path("tables")) {
            assertThat(table.path("rowsImported").asLong()).as(table.toString())
                    .isEqualTo(table.path("rowsDumped").asLong());
            assertThat(table.path("percent").asDouble()).as(table.toString()).isEqualTo(100.0);
        }
    }

    /** replicating, its lag reported, and rows dumped and imported in its tables */
    private static boolean replicatingWithRows(JsonNode summary) {
        if (summary == null || !summary.path("phase").asString().equals("replicating")
                || !summary.path("lagSeconds").isIntegralNumber() || summary.path("tables").isEmpty()) {
            return false;
        }
        long rows = 0;
        for (JsonNode table : summary.path("tables")) {
            rows += table.path("rowsImported").asLong();
        }
        return rows > 0;
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p);
    }

    private String http(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + stack.platform().coordinatorPort() + path))
                        .header("Authorization", "Bearer " + TestDatabases.API_TOKEN).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return r.body();
    }
}
