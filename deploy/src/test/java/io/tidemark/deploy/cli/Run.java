package io.tidemark.deploy.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** One run of the client in this JVM: its exit status and what it printed. */
record Run(int exit, String out, String err) {
    /** polls every 20 ms, gives a silent coordinator 300 ms, and bounds each call by 2 s */
    static final Settings FAST = new Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofMillis(20), Duration.ofMillis(300));

    static Run of(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = new Tidemark(env, o, e, FAST).run(args);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run of(String... args) {
        return of(Map.of(), args);
    }
}
