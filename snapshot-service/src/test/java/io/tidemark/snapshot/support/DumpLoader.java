package io.tidemark.snapshot.support;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.testkit.LocalMariaDb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads a Dumpling-layout dump into a real server with the mariadb command-line client, as a DBA would with
 * {@code mysql < file}: schema-create files, then table schemas, then data files.
 */
public final class DumpLoader {
    private DumpLoader() {
    }

    public static void load(LocalMariaDb target, Path dumpDir) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dumpDir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            DumpLayout.parseSchemaCreateFile(f.getFileName().toString()).ifPresent(db -> run(target, null, f));
        }
        for (Path f : files) {
            DumpLayout.parseTableSchemaFile(f.getFileName().toString()).ifPresent(t -> run(target, t.schema(), f));
        }
        for (Path f : files) {
            DumpLayout.parseDataFile(f.getFileName().toString()).ifPresent(d -> run(target, d.table().schema(), f));
        }
    }

    private static void run(LocalMariaDb target, String database, Path file) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("mariadb", "--no-defaults", "--host=127.0.0.1",
                    "--port=" + target.port(), "--user=" + target.user(), "--binary-mode",
                    "--default-character-set=utf8mb4"));
            if (database != null) {
                cmd.add("--database=" + database);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(file.toFile()).redirectErrorStream(true);
            pb.environment().put("MYSQL_PWD", target.password());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("loading %s: %s", file.getFileName(), output).isZero();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("loading " + file, e);
        }
    }
}
