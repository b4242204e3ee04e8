package io.tidemark.testkit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A MariaDB server process on this machine, from the OS's {@code mariadbd} (Debian package {@code mariadb-server}):
 * the embedded default's demo databases and the tests' real databases. Listens on 127.0.0.1 only. The account
 * {@code root@'%'} gets the password given at start. Data directories are initialised once per JVM and copied.
 */
public final class LocalMariaDb implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(LocalMariaDb.class);
    private static Path template;

    private final String name;
    private final Path dataDir;
    private final int port;
    private final String password;
    private final List<String> command;
    private Process process;

    /** What kind of server: a binlog source ({@code log-bin}, ROW, FULL image) or a plain target. */
    public enum Role { SOURCE, TARGET }

    private LocalMariaDb(String name, Path dataDir, int port, String password, List<String> command) {
        this.name = name;
        this.dataDir = dataDir;
        this.port = port;
        this.password = password;
        this.command = command;
    }

    /**
     * Starts a server in a fresh data directory under {@code baseDir}.
     *
     * @param extraOptions further {@code --option=value} arguments to mariadbd (e.g. {@code --binlog-format=STATEMENT})
     */
    public static LocalMariaDb start(String name, Role role, Path baseDir, String password, List<String> extraOptions) {
        try {
            Path dataDir = baseDir.resolve(name);
            if (Files.exists(dataDir)) {
                deleteTree(dataDir);
            }
            copyTree(template(baseDir), dataDir);
            // a temporary directory of its own: in the shared /tmp, a server's internal temporary table (an
            // information_schema query's) was found deleted under it in CI ("Error on delete of
            // '/tmp/#sql-temptable-…'"); a sibling, since a directory in the datadir would be taken for a database
            Path tmpDir = baseDir.resolve(name + ".tmp");
            if (Files.exists(tmpDir)) {
                deleteTree(tmpDir);
            }
            Files.createDirectories(tmpDir);
            int port = freePort();
            // install-db's root@127.0.0.1 (no password) would shadow root@'%' for TCP logins: drop it
            Files.writeString(dataDir.resolve("init.sql"), String.join("\n",
                    "DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', ''@'localhost', ''@'%';",
                    "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '" + password.replace("'", "''") + "';",
                    "GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;",
                    "FLUSH PRIVILEGES;", ""));
            List<String> cmd = new ArrayList<>(List.of(mariadbd(), "--no-defaults",
                    "--datadir=" + dataDir, "--tmpdir=" + tmpDir, "--port=" + port, "--bind-address=127.0.0.1",
                    "--socket=" + dataDir.resolve("mysqld.sock"), "--pid-file=" + dataDir.resolve("mysqld.pid"),
                    "--log-error=" + dataDir.resolve("error.log"), "--init-file=" + dataDir.resolve("init.sql"),
                    "--skip-name-resolve", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                    "--innodb-buffer-pool-size=128M", "--innodb-log-file-size=64M",
                    "--innodb-flush-log-at-trx-commit=2", "--innodb-doublewrite=0", "--max-connections=500",
                    "--max-allowed-packet=256M", "--default-time-zone=+00:00"));
            if (isRoot()) {
                cmd.add("--user=root");
            }
            if (role == Role.SOURCE) {
                cmd.addAll(List.of("--log-bin=" + dataDir.resolve("mysql-bin"), "--server-id=1",
                        "--binlog-format=ROW", "--binlog-row-image=FULL", "--sync-binlog=0"));
            } else {
                cmd.add("--server-id=2");
            }
            cmd.addAll(extraOptions);
            LocalMariaDb db = new LocalMariaDb(name, dataDir, port, password, List.copyOf(cmd));
            db.launch();
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start MariaDB " + name + " under " + baseDir, e);
        }
    }

    private void launch() throws IOException {
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("stdout.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("mariadbd " + name + " exited with " + process.exitValue() + ": " + errorLogTail());
            }
            if (Files.exists(dataDir.resolve("mysqld.pid")) && accepts(port)) {
                LOGGER.info("MariaDB {} ready on 127.0.0.1:{} ({})", name, port, dataDir);
                return;
            }
            sleep(50);
        }
        process.destroyForcibly();
        throw new IOException("mariadbd " + name + " did not start within 60 s: " + errorLogTail());
    }

    /** starts the same server again on the same port and data, after {@link #stop()} or {@link #kill()} */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return "root";
    }

    public String password() {
        return password;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** a Connector/J URL to this server as root, no default schema, UTC session */
    public String jdbcUrl() {
        return "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true"
                + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&characterEncoding=UTF-8";
    }

    /** clean shutdown */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL, like a crashed host */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private String errorLogTail() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("error.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no error log)";
        }
    }

    private static synchronized Path template(Path baseDir) throws IOException {
        if (template != null && Files.isDirectory(template)) {
            return template;
        }
        Path dir = Files.createTempDirectory("tidemark-mariadb-template");
        List<String> cmd = new ArrayList<>(List.of(installDb(), "--no-defaults", "--datadir=" + dir,
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (isRoot()) {
            cmd.add("--user=root");
        }
        Path log = dir.resolveSibling(dir.getFileName() + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("mariadb-install-db failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while initialising MariaDB", e);
        }
        template = dir;
        // one template per test JVM (114 MB): without this, every fork of every run left its own in /tmp
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                deleteTree(dir);
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // the JVM is ending; a leftover is all that is lost
            }
        }, "mariadb-template-cleanup"));
        return dir;
    }

    private static String mariadbd() {
        return findBinary("mariadbd", "/usr/sbin/mariadbd", "/usr/sbin/mysqld");
    }

    private static String installDb() {
        return findBinary("mariadb-install-db", "/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db");
    }

    private static String findBinary(String name, String... candidates) {
        for (String c : candidates) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        throw new IllegalStateException(name + " not found: install MariaDB with `apt-get install -y mariadb-server`");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
