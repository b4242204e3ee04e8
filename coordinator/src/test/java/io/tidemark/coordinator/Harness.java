package io.tidemark.coordinator;

import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** A running coordinator and what the tests do around it: call its API, act as the workers, read the topics. */
final class Harness implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestKafka kafka;
    private final ConfigurableApplicationContext context;
    private final String base;
    private final KafkaProducer<String, Object> producer;

    private Harness(TestKafka kafka, ConfigurableApplicationContext context, KafkaProducer<String, Object> producer) {
        this.kafka = kafka;
        this.context = context;
        this.base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
        this.producer = producer;
    }

    /** a coordinator without prechecks: the endpoints of these tests are not databases, only orchestration is */
    static Harness start(TestKafka kafka) {
        return start(kafka, "tidemark.coordinator.prechecks=false");
    }

    /** a coordinator with further properties */
    static Harness start(TestKafka kafka, String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "tidemark.secret-key=" + TestDatabases.SECRET_KEY,
                "tidemark.api.tokens=" + TestDatabases.API_TOKEN,
                "server.port=0",
                "tidemark.coordinator.threads=2",
                "tidemark.coordinator.file-size=1MB"));
        all.addAll(List.of(properties));
        ConfigurableApplicationContext context = CoordinatorApplication.app().properties(all.toArray(String[]::new))
                .run();
        KafkaProducer<String, Object> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new MessageSerializer<>());
        return new Harness(kafka, context, producer);
    }

    record Response(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            return MessageCodec.mapper().readTree(body);
        }
    }

    Response post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** a JSON POST with further request headers, e.g. {@code Prefer: respond-async} */
    Response post(String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return send(request.build());
    }

    Response get(String path) {
        return send(request(path).GET().build());
    }

    /** any method, any Content-Type (none when null), any body: what a careless client sends */
    Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder request = request(path).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    /** a request as an authorised client sends it: with the API token */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TestDatabases.API_TOKEN);
    }

    /** the coordinator's base URL, for requests a test builds itself (e.g. without the token) */
    String base() {
        return base;
    }

    /** a bean of the running coordinator, for tests that hold the API to what it maps */
    <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    JsonNode migration(String id) {
        Response r = get("/api/v1/migrations/" + id);
        if (r.status() != 200) {
            throw new AssertionError("GET " + id + " answered " + r.status() + ": " + r.body());
        }
        return r.json();
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r);
        } catch (Exception e) {
            throw new AssertionError("HTTP " + request.uri() + " failed", e);
        }
    }

    /** acts as a worker: publishes to the real status topic, keyed by migration id */
    void report(StatusEvent event) {
        report(event, event.migrationId().value());
    }

    /** publishes under another migration's key: onto its partition, to be consumed after its earlier events */
    void report(StatusEvent event, String key) {
        try {
            producer.send(new ProducerRecord<>(TopicCatalog.DEFAULT.status(), key, event)).get();
        } catch (Exception e) {
            throw new AssertionError("cannot publish " + event.eventId(), e);
        }
    }

    /** every record of a topic under the key, oldest first, as raw bytes */
    List<ConsumerRecord<String, byte[]>> records(String topic, String key) {
        return Harness.records(kafka, topic, key);
    }

    static List<ConsumerRecord<String, byte[]>> records(TestKafka kafka, String topic, String key) {
        return records(kafka, topic, key::equals);
    }

    /** every record of a topic whose key is {@code wanted}, oldest first, as raw bytes */
    static List<ConsumerRecord<String, byte[]>> records(TestKafka kafka, String topic, Predicate<String> wanted) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.key() != null && wanted.test(r.key())) {
                        out.add(r);
                    }
                });
            }
        }
        return out;
    }

    <T> List<T> commands(String topic, String key, Class<T> type) {
        return records(topic, key).stream().map(r -> MessageCodec.read(r.value(), type)).toList();
    }

    @Override
    public void close() {
        producer.close();
        context.close();
    }
}
