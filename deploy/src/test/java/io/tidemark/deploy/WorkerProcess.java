package io.tidemark.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A service running alone in its own JVM from its {@code -exec} jar, as on its own machine; killable with SIGKILL. */
final class WorkerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path log;

    private WorkerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * @param module the service's module directory, e.g. {@code dm-service}
     * @param args   Spring arguments ({@code --key=value})
     */
    static WorkerProcess start(String module, String name, List<String> args) {
        try {
            Path jar = execJar(module);
            Path logDir = Files.createDirectories(Path.of("target", "worker-logs").toAbsolutePath());
            Path log = logDir.resolve(name + ".log");
            List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                    "-jar", jar.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            WorkerProcess w = new WorkerProcess(name, p, log);
            w.awaitStarted(Duration.ofSeconds(90));
            return w;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + module, e);
        }
    }

    private void awaitStarted(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            String text = Files.exists(log) ? Files.readString(log) : "";
            if (text.contains("Started ")) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + text);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " did not start within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye to the consumer group */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGSTOP: the process stops answering anyone (Kafka, HTTP) but keeps its state, as a long GC pause or a frozen VM */
    void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}: it goes on where it stopped, unaware of the time that passed */
    void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
        }
    }

    private static Path execJar(String module) throws IOException {
        Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().endsWith("-exec.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no -exec.jar in " + target + ": run mvn package"));
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
