package io.tidemark.deploy;

import io.tidemark.deploy.cli.Cli;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One run of the {@code tidemark} client as a process of its own, as a user runs it: its exit status and everything
 * it printed. Shared by the tests that drive the seeds' files through the client.
 */
record CliRun(int exit, String output) {
    String lastLine() {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.getLast();
    }

    /** runs {@code tidemark --master-addr 127.0.0.1:PORT ARGS…}, waiting at most {@code timeout} for it to end */
    static CliRun of(int coordinatorPort, Path work, Duration timeout, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--master-addr", "127.0.0.1:" + coordinatorPort));
        all.addAll(List.of(args));
        Path output = Files.createTempFile(work, "tidemark-", ".out");
        Process p = Cli.start(output, all.toArray(String[]::new));
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        // what the user saw, in the test's report
        System.out.printf("$ tidemark %s%n%s(exit %s)%n", String.join(" ", all), printed, ended ? p.exitValue() : "-");
        assertThat(ended).as("tidemark %s ended; it printed:%n%s", all, printed).isTrue();
        return new CliRun(p.exitValue(), printed);
    }

    /** the rows a query returns on {@code db}, each as its values joined by {@code |} ({@code null} for NULL) */
    static List<String> rows(LocalMariaDb db, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabases.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(rs.getString(i)));
                }
                rows.add(String.join("|", values));
            }
        }
        return rows;
    }
}
