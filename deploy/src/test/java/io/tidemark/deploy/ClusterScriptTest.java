package io.tidemark.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code cluster.sh kill} and {@code restart} refuse what they cannot do, with exit 2 and a message naming the process
 * and what to do instead — before any JVM starts.
 */
class ClusterScriptTest {
    private static final Duration SECONDS = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void killAndRestartNameTheProcessTheyCannotActOn() throws Exception {
        ClusterScript cluster = new ClusterScript(dir);
        Files.createDirectories(dir.resolve("pids"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Files.writeString(dir.resolve("pids/lightning-1.pid"), ended.pid() + "\n");
        Files.writeString(dir.resolve("pids/coordinator-1.pid"), ProcessHandle.current().pid() + "\n");
        Files.writeString(dir.resolve("pids/coordinator-1.args"), "coordinator\n--kafka=127.0.0.1:9\n");

        assertRefused(cluster.attempt(SECONDS, "kill"), "kill what? give a name that 'deploy/cluster.sh status' lists");
        assertRefused(cluster.attempt(SECONDS, "kill", "lightning-9"),
                "no process 'lightning-9' in " + dir.toRealPath() + ": 'deploy/cluster.sh status' lists the names");
        assertRefused(cluster.attempt(SECONDS, "kill", "lightning-1"), "lightning-1 (pid " + ended.pid()
                + ") is not running; start it again with 'deploy/cluster.sh restart lightning-1'");
        assertRefused(cluster.attempt(SECONDS, "restart"), "restart what?");
        assertRefused(cluster.attempt(SECONDS, "restart", "broker"), "no process 'broker' was started in "
                + dir.toRealPath());
        assertRefused(cluster.attempt(SECONDS, "restart", "coordinator-1"), "coordinator-1 runs (pid "
                + ProcessHandle.current().pid() + "): kill or stop it first");
        assertRefused(cluster.attempt(SECONDS, "status", "lightning-1"), "unknown argument 'lightning-1'");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }

    private static void assertRefused(ClusterScript.Result r, String message) {
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(message);
    }
}
