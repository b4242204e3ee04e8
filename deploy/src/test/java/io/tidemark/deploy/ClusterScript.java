package io.tidemark.deploy;

import io.tidemark.testkit.TestDatabases;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code deploy/cluster.sh} run as an operator runs it, on one cluster data directory, for the tests of the launcher:
 * each call asserts exit 0 and returns what the script printed. The processes run the classes the tests were built
 * from (no standalone jar needed) and get the tests' API token.
 */
final class ClusterScript {
    private static final Path SCRIPT = Path.of("..", "deploy", "cluster.sh").toAbsolutePath().normalize();

    private final Path dir;

    ClusterScript(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** runs {@code cluster.sh VERB --data-dir=DIR ARGS…}; asserts exit 0 and returns its output */
    String run(Duration timeout, String verb, String... args) throws Exception {
        Result r = attempt(timeout, verb, args);
        assertThat(r.exit()).as("cluster.sh %s %s:\n%s", verb, String.join(" ", args), r.output()).isZero();
        return r.output();
    }

    /** what the script printed (stdout and stderr) and its exit status */
    record Result(int exit, String output) {
    }

    /** runs {@code cluster.sh VERB --data-dir=DIR ARGS…}, whatever its exit status */
    Result attempt(Duration timeout, String verb, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), verb, "--data-dir=" + dir));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("cluster", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        // the classes this test was built with, on this test's JDK, instead of a standalone jar not packaged yet
        pb.environment().put("TIDEMARK_CLASSPATH", System.getProperty("java.class.path"));
        pb.environment().put("TIDEMARK_API_TOKENS", TestDatabases.API_TOKEN);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("TIDEMARK_JAVA_OPTS", "-XX:TieredStopAtLevel=1"); // start fast: six JVMs on two cores
        pb.environment().put("TIDEMARK_RATE_WINDOW", "1"); // scale's throughput windows: seconds, not the default 10
        Process p = pb.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cluster.sh " + verb + " " + String.join(" ", args) + " did not finish within "
                    + timeout + ":\n" + Files.readString(out));
        }
        String output = Files.readString(out);
        Files.delete(out);
        return new Result(p.exitValue(), output);
    }

    /** the pid of the process {@code status} names so */
    long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("pids").resolve(name + ".pid")).strip());
    }

    boolean alive(String name) throws IOException {
        return ProcessHandle.of(pid(name)).map(ProcessHandle::isAlive).orElse(false);
    }

    /** what the process of that name has logged since it was last started */
    String log(String name) throws IOException {
        return Files.readString(dir.resolve("logs").resolve(name + ".log"));
    }
}
