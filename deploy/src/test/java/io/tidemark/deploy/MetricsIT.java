package io.tidemark.deploy;

import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus metrics as an operator's Prometheus and the shipped Grafana dashboard see them: with a migration in
 * mode all replicating and an import that failed on a bad statement, every service's {@code /actuator/prometheus}
 * answers, the counts it shows are those of the migrations (rows per phase, the failure by its catalog code, the
 * migration's lag and rows on the coordinator), and every metric {@code deploy/grafana/tidemark-dashboard.json}
 * queries exists on some service. The liveness and readiness probes {@code deploy/k8s} calls answer on every service.
 */
class MetricsIT {
    private static final String REPL_PASSWORD = "Repl-pw-metrics";
    private static final Pattern METRIC = Pattern.compile("\\b((?:tidemark|jvm)_[a-z0-9_]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Stack stack;
    private final MigrationApi api = new MigrationApi(() -> stack.platform().coordinatorPort());

    @TempDir
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        // as deploy/k8s and compose run the services: the probes their liveness/readiness checks call
        stack = Stack.named("metrics").withSource().property("management.endpoint.health.probes.enabled", true)
                .start();
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
    void everyServiceExposesTheMigrationsCountsAndEveryDashboardMetricExists() throws Exception {
        // Given a migration in mode all that reaches replication, and an import whose data file cannot execute
        String id = api.submit("""
                {"name": "metrics shop", "mode": "all",
                 "source": {"host": "127.0.0.1", "port": %d, "user": "tidemark", "password": "%s"},
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["shop.*", "!shop.tmp_*"], "storage": "%s"}
                """.formatted(stack.source().port(), REPL_PASSWORD, stack.target().port(), TestDatabases.PASSWORD,
                Files.createTempDirectory(files, "dumps").toUri()), REPL_PASSWORD);
        Path bad = Files.createDirectories(files.resolve("bad"));
        Files.writeString(bad.resolve("broken-schema-create.sql"), "CREATE DATABASE `broken`;\n");
        Files.writeString(bad.resolve("broken.t-schema.sql"), "CREATE TABLE `t` (`id` int PRIMARY KEY);\n");
        Files.writeString(bad.resolve("broken.t.000000000.sql"), "INSERT INTO `t` VALUES (1),(2),('x' 'y' 3);\n");
        String failing = api.submit("""
                {"name": "metrics broken", "mode": "import", "checksum": "off",
                 "target": {"host": "127.0.0.1", "port": %d, "user": "root", "password": "%s"},
                 "filter": ["broken.*"], "storage": "%s"}
                """.formatted(stack.target().port(), TestDatabases.PASSWORD, bad.toUri()), TestDatabases.PASSWORD);
        api.awaitView(id, Duration.ofMinutes(4), v -> v.path("phase").asString().equals("replicating")
                && v.path("lagSeconds").isNumber());
        JsonNode failed = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.get(failing), v -> v.path("phase").asString().equals("failed"));
        String code = failed.path("error").path("code").asString();

        // When Prometheus scrapes every service (the coordinator refreshes its migration gauges every 5 s)
        Map<String, Integer> ports = stack.platform().ports();
        assertThat(ports.keySet()).containsExactlyInAnyOrder("coordinator", "snapshot-service", "lightning-service",
                "dm-service");
        for (int port : ports.values()) {
            for (String probe : new String[]{"liveness", "readiness"}) {
                assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/actuator/health/" + probe)).GET().build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).as("the Kubernetes %s probe on port %d", probe, port).isEqualTo(200);
            }
        }
        Map<String, Map<String, Double>> scraped = new TreeMap<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (var service : ports.entrySet()) {
                scraped.put(service.getKey(), scrape(service.getValue()));
            }
            // Then each service counts what it did, and the coordinator shows each migration
            assertThat(scraped.get("snapshot-service")).hasEntrySatisfying("tidemark_rows_total{phase=\"snapshot\"}",
                    rows -> assertThat(rows).isGreaterThan(0));
            assertThat(scraped.get("snapshot-service")).hasEntrySatisfying("tidemark_tables_dumped_total",
                    tables -> assertThat(tables).isGreaterThan(0));
            assertThat(scraped.get("lightning-service")).hasEntrySatisfying("tidemark_rows_total{phase=\"import\"}",
                    rows -> assertThat(rows).isGreaterThan(0));
            assertThat(scraped.get("lightning-service"))
                    .containsEntry("tidemark_errors_total{code=\"" + code + "\",stage=\"import\"}", 1.0);
            assertThat(scraped.get("dm-service")).containsKey("tidemark_replication_lag_seconds");
            assertThat(scraped.get("coordinator"))
                    .containsEntry("tidemark_migrations{phase=\"replicating\"}", 1.0)
                    .containsEntry("tidemark_migrations{phase=\"failed\"}", 1.0)
                    .containsKey("tidemark_migration_lag_seconds{migration=\"" + id + "\"}")
                    .containsKey("tidemark_chunk_queue_depth")
                    .hasEntrySatisfying("tidemark_migration_rows{migration=\"" + id + "\",phase=\"import\"}",
                            rows -> assertThat(rows).isGreaterThan(0));
        });

        // And every metric the Grafana dashboard queries is one some service exposes
        Set<String> exposed = new TreeSet<>();
        scraped.values().forEach(series -> series.keySet().forEach(s -> exposed.add(s.replaceAll("\\{.*", ""))));
        Set<String> queried = new TreeSet<>();
        JsonNode dashboard = JsonMapper.builder().build().readTree(Path.of("grafana/tidemark-dashboard.json").toFile());
        Matcher m = METRIC.matcher(dashboard.toString());
        while (m.find()) {
            queried.add(m.group(1));
        }
        assertThat(queried).as("metrics the dashboard queries").hasSizeGreaterThan(8);
        assertThat(exposed).as("metrics the services expose").containsAll(queried);
    }

    /** every series of a service's Prometheus page: name with its labels in Prometheus's order → value */
    private static Map<String, Double> scrape(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET /actuator/prometheus on port " + port).isEqualTo(200);
        Map<String, Double> series = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }
}
