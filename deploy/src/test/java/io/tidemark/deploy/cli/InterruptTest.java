package io.tidemark.deploy.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.tidemark.deploy.cli.Views.ID;
import static io.tidemark.deploy.cli.Views.accepted;
import static io.tidemark.deploy.cli.Views.table;
import static io.tidemark.deploy.cli.Views.view;
import static org.assertj.core.api.Assertions.assertThat;

/** The client as its own process, interrupted while it waits: the import goes on, and the client says how to watch it. */
class InterruptTest {
    @TempDir
    Path dir;

    @Test
    void stoppingTheClientWhileItWaitsSaysTheImportRunsOnAndHowToWatchIt() throws Exception {
        try (FakeCoordinator coordinator = new FakeCoordinator()) {
            coordinator.on("POST /api/v1/imports", 201, accepted(view("pending")))
                    .on("GET /api/v1/migrations/" + ID, 200, view("importing", table("`d`.`t`", "importing", 1, 9, 5)));
            Path config = Files.writeString(dir.resolve("data.toml"), "[tidb]\n");
            Process client = Cli.start("--master-addr", coordinator.addr(), "import", "--config", config.toString());
            List<String> lines = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(),
                    StandardCharsets.UTF_8))) {
                // When it gets Ctrl-C's SIGINT while it waits
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    if (line.startsWith("progress: importing")) {
                        new ProcessBuilder("kill", "-INT", Long.toString(client.pid())).start().waitFor();
                    }
                }
            }
            assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).isEqualTo(130);

            // Then its last word is that the import runs on, and how to watch it
            assertThat(lines).last().isEqualTo("interrupted: import " + ID + " keeps running on the platform; watch"
                    + " it with: tidemark --master-addr " + coordinator.addr() + " query-status " + ID);
            assertThat(coordinator.requests("POST")).hasSize(1);
        }
    }
}
