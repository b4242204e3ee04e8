package io.tidemark.deploy;

import io.tidemark.common.checksum.TableChecksum;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The demo of the embedded default: a local MariaDB source (binlog on) with sample data and a local MariaDB target,
 * a migration in mode {@code all} submitted through the REST API like any user would, its progress, more writes on
 * the source arriving on the target, and a per-table verification. The source account has only what DM documents.
 */
final class Demo implements AutoCloseable {
    static final String SCHEMA = "shop";
    static final List<String> TABLES = List.of("customers", "products", "orders", "order_items", "audit_log", "type_zoo");

    private final Path dir;
    private final Path dataDir;
    private final int apiPort;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private LocalMariaDb source;
    private LocalMariaDb target;

    Demo(Path dataDir, int apiPort, PrintStream out) {
        this.dir = dataDir.resolve("demo");
        this.dataDir = dataDir;
        this.apiPort = apiPort;
        this.out = out;
    }

    void run() throws Exception {
        String rootPassword = randomPassword();
        String replPassword = randomPassword();
        step("starting a local MariaDB source (log-bin, ROW) and target under " + dir);
        Files.createDirectories(dir);
        source = LocalMariaDb.start("source", LocalMariaDb.Role.SOURCE, dir, rootPassword, List.of());
        target = LocalMariaDb.start("target", LocalMariaDb.Role.TARGET, dir, rootPassword, List.of());
        writeCredentials(rootPassword, replPassword);
        out.printf("  source 127.0.0.1:%d   target 127.0.0.1:%d   (credentials in %s)%n",
                source.port(), target.port(), dir.resolve("credentials"));

        step("loading sample data into the source: database " + SCHEMA + ", " + TABLES.size() + " tables");
        try (Connection c = connect(source)) {
            SampleData.create(c, replPassword);
        }

        step("submitting a migration in mode all (POST /api/v1/migrations)");
        String id = submit(replPassword, rootPassword);
        out.println("  migration id: " + id);

        JsonNode view = followUntil(id, "replicating", Duration.ofMinutes(10));
        out.printf("  snapshot taken between binlog %s and %s; replication replays from there in safe mode%n",
                text(view.path("positions").path("snapshotStart")), text(view.path("positions").path("snapshotEnd")));

        step("writing more rows on the source while replication runs");
        try (Connection c = connect(source)) {
            SampleData.writeMore(c);
        }
        awaitEqual(Duration.ofMinutes(3));

        step("verification, source against target (rows and checksum per table)");
        boolean allEqual = printVerification();
        view = awaitReplicationAt(id, sourcePosition(), Duration.ofSeconds(15));
        out.println("  replication checkpoint " + text(view.path("positions").path("replication")));
        out.println();
        out.printf("%s migration %s is %s, lag %s s%n", allEqual ? "✓" : "✗", id, view.path("phase").asString(),
                view.path("lagSeconds").asString());
        out.println("  explore:  curl -s -H \"Authorization: Bearer $(cat " + ApiTokenFile.in(dataDir) + ")\" http://localhost:"
                + apiPort + "/api/v1/migrations/" + id);
        out.println("  write on the source and watch it arrive:  mariadb -h127.0.0.1 -P" + source.port()
                + " -uroot -p" + " " + SCHEMA + "   (password in " + dir.resolve("credentials") + ")");
        out.println("  stop:     Ctrl-C");
        if (!allEqual) {
            throw new IllegalStateException("source and target differ after the migration");
        }
    }

    private String submit(String replPassword, String rootPassword) throws IOException, InterruptedException {
        ObjectNode spec = json.createObjectNode();
        spec.put("name", "demo shop");
        spec.put("mode", "all");
        ObjectNode src = spec.putObject("source");
        src.put("host", "127.0.0.1").put("port", source.port()).put("user", "tidemark").put("password", replPassword);
        ObjectNode tgt = spec.putObject("target");
        tgt.put("host", "127.0.0.1").put("port", target.port()).put("user", "root").put("password", rootPassword);
        spec.putArray("filter").add(SCHEMA + ".*").add("!" + SCHEMA + ".tmp_*");
        spec.put("storage", dir.resolve("dumps").toUri().toString());
        HttpResponse<String> response = http.send(api("/api/v1/migrations")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(spec))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("POST /api/v1/migrations answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body()).path("id").asString();
    }

    /** prints phase changes and table progress until the phase is reached; a failure ends the demo with its error */
    private JsonNode followUntil(String id, String phase, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        String lastPhase = "";
        String lastProgress = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode view = get(id);
            String p = view.path("phase").asString();
            if (!p.equals(lastPhase)) {
                out.println("  phase: " + p);
                lastPhase = p;
            }
            String progress = progress(view);
            if (!progress.isEmpty() && !progress.equals(lastProgress)) {
                out.println("    " + progress);
                lastProgress = progress;
            }
            if (p.equals("failed")) {
                JsonNode e = view.path("error");
                throw new IllegalStateException(e.path("code").asString() + " " + e.path("message").asString()
                        + " — remedy: " + e.path("remedy").asString());
            }
            if (p.equals(phase) || (phase.equals("replicating") && p.equals("completed"))) {
                return view;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("migration " + id + " did not reach " + phase + " within " + timeout);
    }

    private static String progress(JsonNode view) {
        long tables = 0;
        long dumped = 0;
        long imported = 0;
        long rowsDumped = 0;
        long rowsImported = 0;
        for (JsonNode t : view.path("tables")) {
            tables++;
            String state = t.path("state").asString();
            if (!state.equals("pending")) {
                dumped++;
            }
            if (state.equals("imported")) {
                imported++;
            }
            rowsDumped += t.path("rowsDumped").asLong();
            rowsImported += t.path("rowsImported").asLong();
        }
        if (tables == 0) {
            return "";
        }
        return String.format("tables dumped %d/%d (%,d rows), imported %d/%d (%,d rows)", dumped, tables, rowsDumped,
                imported, tables, rowsImported);
    }

    private void awaitEqual(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (digests(source).equals(digests(target))) {
                return;
            }
            Thread.sleep(500);
        }
    }

    private boolean printVerification() throws SQLException {
        List<TableChecksum.Digest> src = digests(source);
        List<TableChecksum.Digest> tgt = digests(target);
        out.printf("  %-22s %12s %12s %18s %18s  %s%n", "table", "source rows", "target rows", "source checksum",
                "target checksum", "");
        boolean all = true;
        for (int i = 0; i < src.size(); i++) {
            TableChecksum.Digest s = src.get(i);
            TableChecksum.Digest t = tgt.get(i);
            boolean same = Objects.equals(s, t);
            all &= same;
            out.printf("  %-22s %,12d %,12d %18s %18s  %s%n", s.table(), s.rows(), t == null ? -1 : t.rows(),
                    Long.toHexString(s.checksum()), t == null ? "-" : Long.toHexString(t.checksum()),
                    same ? "equal" : "DIFFERENT");
        }
        return all;
    }

    private static List<TableChecksum.Digest> digests(LocalMariaDb db) throws SQLException {
        List<TableChecksum.Digest> list = new ArrayList<>();
        try (Connection c = connect(db)) {
            for (String t : TABLES) {
                try {
                    list.add(TableChecksum.of(c, TableRef.of(SCHEMA, t)));
                } catch (SQLException e) {
                    list.add(new TableChecksum.Digest(TableRef.of(SCHEMA, t), -1, -1));
                }
            }
        }
        return list;
    }

    /** the source's binlog position now, as the view spells it */
    private BinlogPosition sourcePosition() throws SQLException {
        try (Connection c = connect(source)) {
            return BinlogPositions.current(c, Flavor.detect(c));
        }
    }

    /**
     * The view once its reported replication position has reached {@code position}: progress is reported every few
     * seconds, so the rows can be on the target a moment before the view says where replication stands.
     */
    private JsonNode awaitReplicationAt(String id, BinlogPosition position, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode view = get(id);
        while (Instant.now().isBefore(deadline)) {
            JsonNode at = view.path("positions").path("replication");
            if (at.isObject() && BinlogPosition.ofFilePosition(at.path("file").asString(), at.path("pos").asLong())
                    .compareTo(position) >= 0) {
                return view;
            }
            Thread.sleep(250);
            view = get(id);
        }
        return view;
    }

    private JsonNode get(String id) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(api("/api/v1/migrations/" + id).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/migrations/" + id + " answered " + r.statusCode() + ": " + r.body());
        }
        return json.readTree(r.body());
    }

    /** a request to the coordinator's API, with the launcher's token */
    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .header("Authorization", "Bearer " + ApiTokenFile.read(dataDir));
    }

    private static String text(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return "-";
        }
        return n.has("file") ? n.path("file").asString() + ":" + n.path("pos").asString() : n.toString();
    }

    private void step(String what) {
        out.println("» " + what);
    }

    private void writeCredentials(String rootPassword, String replPassword) throws IOException {
        Path file = dir.resolve("credentials");
        Files.writeString(file, String.join("\n",
                "# demo databases (local, throw-away)",
                "source 127.0.0.1:" + source.port() + " root " + rootPassword,
                "source 127.0.0.1:" + source.port() + " tidemark " + replPassword + "   (the migration's account)",
                "target 127.0.0.1:" + target.port() + " root " + rootPassword, ""));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not POSIX
        }
    }

    private static Connection connect(LocalMariaDb db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    private static String randomPassword() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return "Tm" + HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        if (target != null) {
            target.stop();
        }
        if (source != null) {
            source.stop();
        }
    }

    static void exec(Connection c, String... statements) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
