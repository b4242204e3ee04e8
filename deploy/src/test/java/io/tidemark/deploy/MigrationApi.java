package io.tidemark.deploy;

import io.tidemark.testkit.TestDatabases;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The coordinator's REST API as a user calls it, for scenario tests. */
final class MigrationApi {
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final IntSupplier port;

    MigrationApi(IntSupplier port) {
        this.port = port;
    }

    /** POST /api/v1/migrations; asserts 201 and that the answer does not echo the given secret */
    String submit(String specJson, String secret) throws Exception {
        HttpResponse<String> r = http.send(request("/api/v1/migrations")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(specJson)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.body()).doesNotContain(secret);
        return json.readTree(r.body()).path("id").asString();
    }

    /**
     * POST /api/v1/migrations with {@code Prefer: respond-async}; asserts 202, a Location of the migration's path and
     * an answer that does not echo the given secret; the answer's view
     */
    JsonNode submitAsync(String specJson, String secret) throws Exception {
        HttpResponse<String> r = http.send(request("/api/v1/migrations")
                .header("Content-Type", "application/json").header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString(specJson)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(r.body()).doesNotContain(secret);
        JsonNode view = json.readTree(r.body());
        assertThat(r.headers().firstValue("Location")).hasValue("/api/v1/migrations/" + view.path("id").asString());
        return view;
    }

    JsonNode get(String id) throws Exception {
        HttpResponse<String> r = http.send(request("/api/v1/migrations/" + id).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** POST /api/v1/migrations/{id}/{action} (stop, resume, retry) without a body; the status code and the answer */
    HttpResponse<String> post(String id, String action) throws Exception {
        return http.send(request("/api/v1/migrations/" + id + "/" + action)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** polls the migration until the condition holds; a failed migration ends the wait with its error */
    JsonNode awaitView(String id, Duration timeout, Predicate<JsonNode> condition) {
        return await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> get(id), v -> {
            assertThat(v.path("phase").asString()).as("error: %s", v.path("error")).isNotEqualTo("failed");
            return condition.test(v);
        });
    }

    /**
     * any call of the API, as an authorised client makes it: {@code method path}, with a body of
     * {@code contentType} when not null; the status code and the answer
     */
    HttpResponse<String> call(String method, String path, String contentType, String body) throws Exception {
        HttpRequest.Builder r = request(path).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            r.header("Content-Type", contentType);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** a request with the API token the tests' coordinators accept */
    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TestDatabases.API_TOKEN);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port.getAsInt() + path);
    }
}
