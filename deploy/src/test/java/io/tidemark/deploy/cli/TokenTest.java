package io.tidemark.deploy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client sends the coordinator's API token from the first place that has one — {@code --token},
 * {@code TIDEMARK_TOKEN}, the file {@code TIDEMARK_TOKEN_FILE}, {@code ~/.tidemark/api-token} — and never prints it.
 */
class TokenTest {
    private static final String FLAG = "flag-token-0123456789abcdef0123456789";
    private static final String ENV = "env-token-0123456789abcdef0123456789";
    private static final String FILE = "file-token-0123456789abcdef0123456789";

    @TempDir
    Path dir;

    @Test
    void theFlagWinsOverTheEnvironmentAndTheEnvironmentOverTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("api-token"), FILE + "\n");

        assertThat(sent(Map.of("TIDEMARK_TOKEN", ENV, "TIDEMARK_TOKEN_FILE", file.toString()), "--token", FLAG))
                .isEqualTo("Bearer " + FLAG);
        assertThat(sent(Map.of("TIDEMARK_TOKEN", ENV, "TIDEMARK_TOKEN_FILE", file.toString())))
                .isEqualTo("Bearer " + ENV);
        assertThat(sent(Map.of("TIDEMARK_TOKEN_FILE", file.toString()))).isEqualTo("Bearer " + FILE);
    }

    @Test
    void theTokenFileInTheHomeDirectoryIsTheLastPlaceLookedAt() throws Exception {
        Files.createDirectories(dir.resolve(".tidemark"));
        Files.writeString(dir.resolve(".tidemark/api-token"), FILE + "\n");

        assertThat(sent(Map.of("HOME", dir.toString()))).isEqualTo("Bearer " + FILE);
        assertThat(sent(Map.of("HOME", dir.resolve("nowhere").toString()))).as("no token anywhere").isNull();
    }

    @Test
    void anUnreadableTokenFileIsAUsageErrorNamingIt() {
        Run run = Run.of(Map.of("TIDEMARK_TOKEN_FILE", dir.resolve("missing").toString()), "query-status");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("TIDEMARK_TOKEN_FILE names " + dir.resolve("missing"))
                .contains("tidemark.api.token-file");
    }

    @Test
    void aRefusedTokenShowsTheCoordinatorsErrorAndNotTheToken() throws Exception {
        try (FakeCoordinator coordinator = new FakeCoordinator()) {
            coordinator.on("GET /api/v1/migrations", 401, """
                    {"code": "TM-10036", "message": "the API needs a valid token: the bearer token is not one of the\
                     coordinator's", "remedy": "send it as the header Authorization: Bearer TOKEN"}""");

            Run run = Run.of(Map.of("TIDEMARK_TOKEN", ENV), "--master-addr", coordinator.addr(), "query-status");

            assertThat(run.exit()).isNotZero();
            assertThat(run.out() + run.err()).contains("TM-10036").doesNotContain(ENV);
        }
    }

    /** the Authorization header of the request query-status sends with this environment and these flags */
    private static String sent(Map<String, String> env, String... flags) throws Exception {
        try (FakeCoordinator coordinator = new FakeCoordinator()) {
            coordinator.on("GET /api/v1/migrations", 200, "[]");
            String[] args = new String[flags.length + 3];
            System.arraycopy(flags, 0, args, 0, flags.length);
            args[flags.length] = "--master-addr";
            args[flags.length + 1] = coordinator.addr();
            args[flags.length + 2] = "query-status";
            Run run = Run.of(env, args);
            assertThat(run.exit()).as(run.out() + run.err()).isZero();
            assertThat(run.out() + run.err()).doesNotContain(FLAG).doesNotContain(ENV).doesNotContain(FILE);
            return coordinator.requests("GET").getFirst().authorization();
        }
    }
}
