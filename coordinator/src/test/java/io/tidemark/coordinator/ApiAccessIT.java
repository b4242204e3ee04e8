package io.tidemark.coordinator;

import io.tidemark.common.serde.MessageCodec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call the API: without the token, with a wrong one or another scheme the answer is 401 in the catalog's
 * shape naming how to pass it, before anything runs; with it, the API answers; health, probes and metrics stay
 * open. A coordinator given no token creates its own in its token file (mode 600, kept across restarts) and logs
 * only where it is.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiAccessIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final CoordinatorOnKafka ENV = new CoordinatorOnKafka();

    private static Harness h() {
        return ENV.h();
    }

    @TempDir
    static Path dir;

    @Test
    void aRequestWithoutAValidBearerTokenIsRefusedWith401NamingHowToPassIt() throws Exception {
        for (String authorization : new String[]{null, "Bearer wrong-token-of-enough-length-0123456789",
                "Basic " + TestDatabases.API_TOKEN, "Bearer "}) {
            HttpResponse<String> r = get(h().base(), "/api/v1/migrations", authorization);

            assertThat(r.statusCode()).as("Authorization: %s", authorization).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"tidemark\"");
            JsonNode error = MessageCodec.mapper().readTree(r.body());
            assertThat(error.get("code").asString()).isEqualTo("TM-10036");
            assertThat(error.get("remedy").asString()).contains("Authorization: Bearer").contains("--token")
                    .contains("TIDEMARK_TOKEN");
            assertThat(r.body()).doesNotContain(TestDatabases.API_TOKEN);
        }
        // a POST without the token is refused before the body is read: nothing is created
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(h().base() + "/api/v1/migrations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
    }

    @Test
    void theTokenOpensTheApiAndHealthProbesAndMetricsStayOpen() throws Exception {
        assertThat(get(h().base(), "/api/v1/migrations", "Bearer " + TestDatabases.API_TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(get(h().base(), "/api/v1/migrations", "bearer " + TestDatabases.API_TOKEN).statusCode())
                .as("the scheme's name is case-insensitive").isEqualTo(200);
        assertThat(get(h().base(), "/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get(h().base(), "/actuator/prometheus", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aCoordinatorWithoutConfiguredTokensCreatesItsOwnInItsTokenFileAndLogsOnlyThePath(CapturedOutput output)
            throws Exception {
        Path file = dir.resolve("data/api-token");
        String token;
        try (Harness own = Harness.start(ENV.kafka(), "tidemark.coordinator.prechecks=false", "tidemark.api.tokens=",
                "tidemark.api.token-file=" + file)) {
            token = Files.readString(file).strip();
            assertThat(token).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(get(own.base(), "/api/v1/migrations", "Bearer " + token).statusCode()).isEqualTo(200);
            assertThat(get(own.base(), "/api/v1/migrations", "Bearer " + TestDatabases.API_TOKEN).statusCode())
                    .isEqualTo(401);
        }
        // a restart keeps the token
        try (Harness again = Harness.start(ENV.kafka(), "tidemark.coordinator.prechecks=false", "tidemark.api.tokens=",
                "tidemark.api.token-file=" + file)) {
            assertThat(get(again.base(), "/api/v1/migrations", "Bearer " + token).statusCode()).isEqualTo(200);
        }
        assertThat(output.getAll()).contains(file.toString()).doesNotContain(token);
    }

    private static HttpResponse<String> get(String base, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
