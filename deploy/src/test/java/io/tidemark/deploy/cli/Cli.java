package io.tidemark.deploy.cli;

import io.tidemark.testkit.TestDatabases;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the client as users run it, a JVM of its own (stdout and stderr interleaved as printed), on the test's
 * classpath, which holds the deploy module's classes and their libraries.
 */
public final class Cli {
    private Cli() {
    }

    /** the client, its output read from the process */
    public static Process start(String... args) throws IOException {
        return builder(args).start();
    }

    /** the client, its output written to {@code output} */
    public static Process start(Path output, String... args) throws IOException {
        return builder(args).redirectOutput(output.toFile()).start();
    }

    private static ProcessBuilder builder(String... args) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-cp", classpath,
                Tidemark.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(MasterAddr.ENV);
        // the token the tests' coordinators accept (tidemark.api.tokens), as a user's environment would give it
        builder.environment().remove("TIDEMARK_TOKEN_FILE");
        builder.environment().put("TIDEMARK_TOKEN", TestDatabases.API_TOKEN);
        return builder;
    }
}
