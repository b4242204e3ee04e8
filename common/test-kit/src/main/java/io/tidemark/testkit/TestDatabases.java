package io.tidemark.testkit;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.secret.SecretBox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real MariaDB processes for tests: a binlog source and a target, started per test class. Use one unique database
 * name per test ({@link #uniqueSchema}) so tests never see each other's tables.
 */
public final class TestDatabases {
    public static final String PASSWORD = "Tm-test-pw1";
    /** the key tests seal secrets with; services under test get it as tidemark.secret-key */
    public static final String SECRET_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    /** the coordinator's API token in tests ({@code tidemark.api.tokens}); at least 32 characters */
    public static final String API_TOKEN = "test-api-token-7f3c1e9a5b2d8f6e4a0c";
    private static final AtomicInteger SEQ = new AtomicInteger();

    private TestDatabases() {
    }

    public static SecretBox secretBox() {
        return SecretBox.fromBase64Key(SECRET_KEY);
    }

    public static Path baseDir() {
        try {
            Path dir = Path.of("target", "mariadb").toAbsolutePath();
            Files.createDirectories(dir);
            return dir;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static LocalMariaDb startSource(String name, String... extraOptions) {
        return LocalMariaDb.start(name + "-src-" + ProcessHandle.current().pid(), LocalMariaDb.Role.SOURCE,
                baseDir(), PASSWORD, List.of(extraOptions));
    }

    public static LocalMariaDb startTarget(String name, String... extraOptions) {
        return LocalMariaDb.start(name + "-tgt-" + ProcessHandle.current().pid(), LocalMariaDb.Role.TARGET,
                baseDir(), PASSWORD, List.of(extraOptions));
    }

    /** the server's root account as the endpoint a command carries, password sealed with {@link #SECRET_KEY} */
    public static DatabaseEndpoint endpoint(LocalMariaDb db) {
        return new DatabaseEndpoint(db.host(), db.port(), db.user(), secretBox().seal(db.password()));
    }

    public static DatabaseEndpoint endpoint(LocalMariaDb db, String user, String password) {
        return new DatabaseEndpoint(db.host(), db.port(), user, secretBox().seal(password));
    }

    public static Connection connect(LocalMariaDb db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    public static void execute(LocalMariaDb db, String... statements) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        }
    }

    /** a database name no other test uses: {@code prefix_N} */
    public static String uniqueSchema(String prefix) {
        return prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + SEQ.incrementAndGet();
    }
}
