package io.tidemark.testkit.rds;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The AWS RDS control plane as far as a snapshot export needs it, on a loopback port: the Query API (form-encoded
 * {@code Action=…&Version=2014-10-31}, XML answers in RDS's response shapes, errors as
 * {@code <ErrorResponse><Error><Code>…}) for {@code CreateDBClusterSnapshot}, {@code DescribeDBClusterSnapshots},
 * {@code DeleteDBClusterSnapshot}, {@code StartExportTask}, {@code DescribeExportTasks} and {@code CancelExportTask},
 * and for a restored instance {@code RestoreDBClusterFromSnapshot}, {@code CreateDBInstance},
 * {@code DescribeDBClusters}, {@code DescribeDBInstances}, {@code DescribeEvents}, {@code DeleteDBInstance} and
 * {@code DeleteDBCluster}.
 * The SDK's {@code RdsClient} reaches it by {@code endpointOverride(endpoint())} with any static credentials: it
 * checks no signature, as the tests are about what is asked of AWS, not about SigV4.
 *
 * <p>The data is real: {@code CreateDBClusterSnapshot} asks the {@link Exporter} to capture the source as of that
 * moment (a consistent read of the source MariaDB, see {@link ConsistentSnapshot}), and {@code StartExportTask} has
 * it write that capture to the S3 server in the Aurora export layout while the task walks
 * {@code STARTING → IN_PROGRESS → COMPLETE}, reporting {@code PercentProgress} 0 → 50 → 100 and
 * {@code TotalExtractedDataInGB} 0 → 1 → 2 (the middle step lasts while an export is held). A restore asks the capture for the database the restored cluster serves
 * ({@link TakenSnapshot#restore}); cluster and instance walk {@code creating → available} (then
 * {@code deleting → gone}), and the instance, once available, logs "Binlog position from crash recovery is
 * &lt;file&gt; &lt;pos&gt;" as a {@code db-instance} event unless its cluster's parameter group has the binlog off.
 * Faults on request: the next export {@code FAILED} with a
 * {@code FailureCause}, completed with a {@code WarningMessage} (tables AWS skipped), held in {@code IN_PROGRESS}
 * until released, or any call answered with an RDS error (throttling, access denied, quota, not found, invalid
 * state). Every call is recorded, failed ones too, so tests assert what was asked: unique identifiers,
 * {@code ExportOnly}, cancel and delete.
 *
 * <pre>{@code
 * try (FakeRds rds = FakeRds.start("us-east-1", exporter)) {
 *     RdsClient client = RdsClient.builder().endpointOverride(rds.endpoint()).region(Region.US_EAST_1)
 *             .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
 *     // … drive the export, then
 *     assertThat(rds.calls("StartExportTask")).hasSize(1);
 * }
 * }</pre>
 */
public final class FakeRds implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    private static final Logger LOGGER = LoggerFactory.getLogger(FakeRds.class);
    private static final String NS = "http://rds.amazonaws.com/doc/2014-10-31/";

    /** Captures the source when a snapshot is taken and writes that capture as an export. */
    public interface Exporter {
        /** called while {@code CreateDBClusterSnapshot} is answered: the data as of this moment */
        TakenSnapshot take(String cluster, String snapshotId) throws Exception;
    }

    /** One captured snapshot; closed when it is deleted or the fake stops. */
    public interface TakenSnapshot extends AutoCloseable {
        /** writes the capture to {@code s3://job.bucket()/job.prefix()/job.identifier()/…} in the Aurora layout */
        void export(ExportJob job) throws Exception;

        /**
         * The database a cluster restored from this snapshot serves, asked when {@code RestoreDBClusterFromSnapshot}
         * is answered: its endpoint and the binlog point the snapshot holds (what Aurora logs as "Binlog position
         * from crash recovery"). A capture made only for exports cannot be restored.
         */
        default Restored restore(String cluster) throws Exception {
            throw new UnsupportedOperationException("this fake snapshot was captured for exports only");
        }

        @Override
        default void close() throws Exception {
        }
    }

    /** A restored cluster's database: where it listens and the crash-recovery point it reports. */
    public record Restored(String host, int port, String binlogFile, long binlogPosition) {
    }

    /** What {@code StartExportTask} asked for; {@code exportOnly} empty = everything. */
    public record ExportJob(String identifier, String sourceArn, String bucket, String prefix, List<String> exportOnly) {
    }

    /** One request as received: its action and its form parameters (list members as {@code Name.member.N}). */
    public record RdsCall(String action, Map<String, String> params, Instant at) {
        public String param(String name) {
            return params.get(name);
        }

        /** a list parameter's members in order, e.g. {@code members("ExportOnly")} */
        public List<String> members(String name) {
            return members(name, "member");
        }

        /**
         * a list parameter whose members the RDS API names, e.g. {@code members("VpcSecurityGroupIds",
         * "VpcSecurityGroupId")}
         */
        public List<String> members(String name, String member) {
            List<String> out = new ArrayList<>();
            for (int i = 1; params.containsKey(name + "." + member + "." + i); i++) {
                out.add(params.get(name + "." + member + "." + i));
            }
            return out;
        }
    }

    private record Fault(int status, String code, String message) {
    }

    private final class Snapshot {
        final String id;
        final String cluster;
        final String arn;
        final Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        final TakenSnapshot taken;
        int describesUntilAvailable;
        volatile String status = "creating";

        Snapshot(String id, String cluster, TakenSnapshot taken, int describesUntilAvailable) {
            this.id = id;
            this.cluster = cluster;
            this.arn = "arn:aws:rds:" + region + ":" + ACCOUNT + ":cluster-snapshot:" + id;
            this.taken = taken;
            this.describesUntilAvailable = describesUntilAvailable;
        }
    }

    /** a restored DB cluster: {@code creating → available}, then {@code deleting} until it is gone */
    private final class Cluster {
        final String id;
        final Snapshot from;
        final Restored restored;
        final String parameterGroup;
        final Instant created = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int describesLeft;
        volatile String status = "creating";

        Cluster(String id, Snapshot from, Restored restored, String parameterGroup, int describesLeft) {
            this.id = id;
            this.from = from;
            this.restored = restored;
            this.parameterGroup = parameterGroup;
            this.describesLeft = describesLeft;
        }

        String arn() {
            return "arn:aws:rds:" + region + ":" + ACCOUNT + ":cluster:" + id;
        }
    }

    /** an instance in a restored cluster: as the cluster, and it logs the crash-recovery event once available */
    private final class Instance {
        final String id;
        final Cluster cluster;
        final String instanceClass;
        int describesLeft;
        volatile String status = "creating";

        Instance(String id, Cluster cluster, String instanceClass, int describesLeft) {
            this.id = id;
            this.cluster = cluster;
            this.instanceClass = instanceClass;
            this.describesLeft = describesLeft;
        }

        String arn() {
            return "arn:aws:rds:" + region + ":" + ACCOUNT + ":db:" + id;
        }
    }

    /** one RDS event, as {@code DescribeEvents} lists it */
    private record Event(String sourceId, String sourceType, String sourceArn, String message, Instant date) {
    }

    private static final class Task {
        final ExportJob job;
        final String iamRole;
        final String kmsKey;
        final Instant snapshotTime;
        final Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        volatile String status = "STARTING";
        volatile int percent;
        volatile long extractedGb;
        volatile Instant ended;
        volatile String failureCause;
        volatile String warningMessage;
        volatile boolean cancelRequested;

        Task(ExportJob job, String iamRole, String kmsKey, Instant snapshotTime) {
            this.job = job;
            this.iamRole = iamRole;
            this.kmsKey = kmsKey;
            this.snapshotTime = snapshotTime;
        }
    }

    private final String region;
    private final Exporter exporter;
    private final HttpServer server;
    private final ExecutorService exports = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-rds-export");
        t.setDaemon(true);
        return t;
    });
    private final List<RdsCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Deque<Fault>> faults = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private volatile int describesUntilAvailable = 1;
    private volatile int restorePolls = 1;
    private volatile String binlogOffParameterGroup;
    private volatile String nextFailureCause;
    private volatile String nextWarning;
    private volatile CountDownLatch hold = new CountDownLatch(0);

    private FakeRds(String region, Exporter exporter) throws IOException {
        this.region = Objects.requireNonNull(region, "region");
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-rds-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static FakeRds start(String region, Exporter exporter) {
        try {
            return new FakeRds(region, exporter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake RDS endpoint", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public String region() {
        return region;
    }

    public List<RdsCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<RdsCall> calls(String action) {
        return calls().stream().filter(c -> c.action().equals(action)).toList();
    }

    /**
     * The next call of {@code action} is answered with this RDS error instead, e.g. {@code (400, "Throttling", …)},
     * {@code (403, "AccessDenied", …)}, {@code (400, "SnapshotQuotaExceeded", …)}; queued faults are used in order.
     */
    public void failNext(String action, int status, String code, String message) {
        faults.computeIfAbsent(action, a -> new ArrayDeque<>()).add(new Fault(status, code, message));
    }

    /** the next export ends {@code FAILED} with this {@code FailureCause} */
    public void failNextExport(String failureCause) {
        nextFailureCause = failureCause;
    }

    /** the next export completes with this {@code WarningMessage}, as when AWS skipped tables */
    public void warnOnNextExport(String warningMessage) {
        nextWarning = warningMessage;
    }

    /** exports started from now on stay {@code IN_PROGRESS} until {@link #releaseExports()} */
    public void holdExports() {
        hold = new CountDownLatch(1);
    }

    public void releaseExports() {
        hold.countDown();
    }

    /** how many {@code DescribeDBClusterSnapshots} a new snapshot answers {@code creating} before {@code available} */
    public void snapshotCreationPolls(int describes) {
        describesUntilAvailable = describes;
    }

    /**
     * how many describes a restored cluster or instance answers {@code creating} before {@code available}, and a
     * deleted one {@code deleting} before it is gone
     */
    public void restorePolls(int describes) {
        restorePolls = describes;
    }

    /**
     * clusters restored with this DB cluster parameter group have the binlog off, so, as on Aurora, their instances
     * log no "Binlog position from crash recovery" event
     */
    public void binlogOffIn(String clusterParameterGroup) {
        binlogOffParameterGroup = clusterParameterGroup;
    }

    /** the restored clusters that exist (not deleted), by identifier */
    public List<String> clusterIds() {
        return clusters.keySet().stream().sorted().toList();
    }

    /** the instances that exist (not deleted), by identifier */
    public List<String> instanceIds() {
        return instances.keySet().stream().sorted().toList();
    }

    /** the snapshots that exist (not deleted), by identifier */
    public List<String> snapshotIds() {
        return snapshots.values().stream().filter(s -> !"deleted".equals(s.status)).map(s -> s.id).sorted().toList();
    }

    /** the export task's status as a poller would see it, or null when there is none */
    public String exportStatus(String identifier) {
        Task t = tasks.get(identifier);
        return t == null ? null : t.status;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = form(body);
            if (exchange.getRequestURI().getRawQuery() != null) {
                params.putAll(form(exchange.getRequestURI().getRawQuery()));
            }
            String action = params.getOrDefault("Action", "");
            calls.add(new RdsCall(action, Collections.unmodifiableMap(params), Instant.now()));
            LOGGER.info("fake RDS {} {}", action, params);
            Answer answer;
            Deque<Fault> queued = faults.get(action);
            Fault fault = queued == null ? null : queued.poll();
            if (fault != null) {
                answer = error(fault.status(), fault.code(), fault.message());
            } else if (!"2014-10-31".equals(params.get("Version"))) {
                answer = error(400, "InvalidParameterValue", "Version must be 2014-10-31, was " + params.get("Version"));
            } else {
                answer = switch (action) {
                    case "CreateDBClusterSnapshot" -> createSnapshot(params);
                    case "DescribeDBClusterSnapshots" -> describeSnapshots(params);
                    case "DeleteDBClusterSnapshot" -> deleteSnapshot(params);
                    case "StartExportTask" -> startExport(params);
                    case "DescribeExportTasks" -> describeExports(params);
                    case "CancelExportTask" -> cancelExport(params);
                    case "RestoreDBClusterFromSnapshot" -> restoreCluster(params);
                    case "CreateDBInstance" -> createInstance(params);
                    case "DescribeDBClusters" -> describeClusters(params);
                    case "DescribeDBInstances" -> describeInstances(params);
                    case "DescribeEvents" -> describeEvents(params);
                    case "DeleteDBInstance" -> deleteInstance(params);
                    case "DeleteDBCluster" -> deleteCluster(params);
                    default -> error(400, "InvalidAction", "The action " + action + " is not valid for this endpoint.");
                };
            }
            byte[] xml = answer.xml().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.getResponseHeaders().set("x-amzn-RequestId", answer.requestId());
            exchange.sendResponseHeaders(answer.status(), xml.length);
            exchange.getResponseBody().write(xml);
        } catch (RuntimeException e) {
            LOGGER.error("fake RDS failed to answer", e);
            throw e;
        }
    }

    private record Answer(int status, String xml, String requestId) {
    }

    private Answer ok(String action, String result) {
        String id = UUID.randomUUID().toString();
        return new Answer(200, "<" + action + "Response xmlns=\"" + NS + "\"><" + action + "Result>" + result
                + "</" + action + "Result><ResponseMetadata><RequestId>" + id + "</RequestId></ResponseMetadata></"
                + action + "Response>", id);
    }

    private static Answer error(int status, String code, String message) {
        String id = UUID.randomUUID().toString();
        return new Answer(status, "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + esc(code)
                + "</Code><Message>" + esc(message) + "</Message></Error><RequestId>" + id + "</RequestId></ErrorResponse>",
                id);
    }

    private Answer createSnapshot(Map<String, String> p) {
        String id = p.get("DBClusterSnapshotIdentifier");
        String cluster = p.get("DBClusterIdentifier");
        if (id == null || cluster == null) {
            return error(400, "MissingParameter", "DBClusterSnapshotIdentifier and DBClusterIdentifier are required");
        }
        if (snapshots.containsKey(id)) {
            return error(400, "DBClusterSnapshotAlreadyExistsFault", "Cannot create the cluster snapshot because one"
                    + " with the identifier " + id + " already exists.");
        }
        TakenSnapshot taken;
        try {
            taken = exporter.take(cluster, id);
        } catch (Exception e) {
            return error(404, "DBClusterNotFoundFault", "DBCluster " + cluster + " not found. (" + e.getMessage() + ")");
        }
        Snapshot s = new Snapshot(id, cluster, taken, describesUntilAvailable);
        snapshots.put(id, s);
        return ok("CreateDBClusterSnapshot", snapshotXml(s));
    }

    private Answer describeSnapshots(Map<String, String> p) {
        String id = p.get("DBClusterSnapshotIdentifier");
        String cluster = p.get("DBClusterIdentifier");
        List<Snapshot> found = new ArrayList<>();
        for (Snapshot s : snapshots.values()) {
            if ((id == null || s.id.equals(id) || s.arn.equals(id)) && (cluster == null || s.cluster.equals(cluster))
                    && !"deleted".equals(s.status)) {
                found.add(s);
            }
        }
        if (id != null && found.isEmpty()) {
            return error(404, "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + id + " not found.");
        }
        StringBuilder xml = new StringBuilder("<DBClusterSnapshots>");
        for (Snapshot s : found) {
            synchronized (s) {
                if ("creating".equals(s.status) && --s.describesUntilAvailable <= 0) {
                    s.status = "available";
                }
            }
            xml.append(snapshotXml(s));
        }
        return ok("DescribeDBClusterSnapshots", xml.append("</DBClusterSnapshots>").toString());
    }

    private Answer deleteSnapshot(Map<String, String> p) {
        String id = p.get("DBClusterSnapshotIdentifier");
        Snapshot s = id == null ? null : snapshots.get(id);
        if (s == null || "deleted".equals(s.status)) {
            return error(404, "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + id + " not found.");
        }
        if (!"available".equals(s.status)) {
            return error(400, "InvalidDBClusterSnapshotStateFault", "Cannot delete the snapshot because it is "
                    + s.status + ".");
        }
        s.status = "deleted";
        closeQuietly(s.taken);
        return ok("DeleteDBClusterSnapshot", snapshotXml(s));
    }

    private Answer startExport(Map<String, String> p) {
        String id = p.get("ExportTaskIdentifier");
        String source = p.get("SourceArn");
        String bucket = p.get("S3BucketName");
        String role = p.get("IamRoleArn");
        String key = p.get("KmsKeyId");
        if (id == null || source == null || bucket == null || role == null || key == null) {
            return error(400, "MissingParameter", "ExportTaskIdentifier, SourceArn, S3BucketName, IamRoleArn and"
                    + " KmsKeyId are required");
        }
        if (tasks.containsKey(id)) {
            return error(400, "ExportTaskAlreadyExists", "Cannot start export task because a task with the"
                    + " identifier " + id + " already exists.");
        }
        Snapshot s = snapshots.values().stream().filter(x -> x.arn.equals(source)).findFirst().orElse(null);
        if (s == null || "deleted".equals(s.status)) {
            return error(404, "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + source + " not found.");
        }
        if (!"available".equals(s.status)) {
            return error(400, "InvalidExportSourceState", "The snapshot " + s.id + " is " + s.status
                    + "; it must be available to be exported.");
        }
        RdsCall call = new RdsCall("StartExportTask", p, Instant.now());
        List<String> only = call.members("ExportOnly");
        for (String name : only) {
            // AWS takes db, db.schema or db.schema.table of [A-Za-z0-9$_] and no wildcards
            if (!name.matches("[A-Za-z0-9$_]+(\\.[A-Za-z0-9$_]+){0,2}")) {
                return error(400, "InvalidExportOnly", "The ExportOnly value " + name + " is invalid.");
            }
        }
        Task t = new Task(new ExportJob(id, source, bucket, p.getOrDefault("S3Prefix", ""), List.copyOf(only)),
                role, key, s.created);
        String failure = nextFailureCause;
        String warning = nextWarning;
        nextFailureCause = null;
        nextWarning = null;
        CountDownLatch held = hold;
        tasks.put(id, t);
        exports.submit(() -> run(t, s, failure, warning, held));
        return ok("StartExportTask", taskXml(t));
    }

    private void run(Task t, Snapshot s, String failure, String warning, CountDownLatch held) {
        try {
            t.status = "IN_PROGRESS";
            t.percent = 50;
            t.extractedGb = 1;
            // as AWS does, a cancelled export ends (CANCELING -> CANCELED) without waiting for its release
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!held.await(50, TimeUnit.MILLISECONDS)) {
                if (t.cancelRequested) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the test never released the held export");
                }
            }
            if (t.cancelRequested) {
                return;
            }
            if (failure != null) {
                t.failureCause = failure;
                t.status = "FAILED";
                return;
            }
            s.taken.export(t.job);
            t.percent = 100;
            t.extractedGb = 2;
            t.warningMessage = warning;
            t.status = t.cancelRequested ? "CANCELED" : "COMPLETE";
        } catch (Exception e) {
            LOGGER.warn("fake RDS export {} failed", t.job.identifier(), e);
            t.failureCause = "The export failed: " + e.getMessage();
            t.status = "FAILED";
        } finally {
            if (t.cancelRequested) {
                t.status = "CANCELED";
            }
            t.ended = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
    }

    private Answer describeExports(Map<String, String> p) {
        String id = p.get("ExportTaskIdentifier");
        String source = p.get("SourceArn");
        List<Task> found = tasks.values().stream()
                .filter(t -> (id == null || t.job.identifier().equals(id))
                        && (source == null || t.job.sourceArn().equals(source)))
                .toList();
        if (id != null && found.isEmpty()) {
            return error(404, "ExportTaskNotFound", "Cannot find export task with identifier " + id + ".");
        }
        StringBuilder xml = new StringBuilder("<ExportTasks>");
        found.forEach(t -> xml.append("<ExportTask>").append(taskXml(t)).append("</ExportTask>"));
        return ok("DescribeExportTasks", xml.append("</ExportTasks>").toString());
    }

    private Answer cancelExport(Map<String, String> p) {
        String id = p.get("ExportTaskIdentifier");
        Task t = id == null ? null : tasks.get(id);
        if (t == null) {
            return error(404, "ExportTaskNotFound", "Cannot find export task with identifier " + id + ".");
        }
        if (!"STARTING".equals(t.status) && !"IN_PROGRESS".equals(t.status)) {
            return error(400, "InvalidExportTaskStateFault", "Cannot cancel export task " + id + " because it is "
                    + t.status + ".");
        }
        // in this order: the export's thread, seeing the request, ends it CANCELED after this CANCELING
        t.status = "CANCELING";
        t.cancelRequested = true;
        return ok("CancelExportTask", taskXml(t));
    }

    private Snapshot snapshotByIdOrArn(String idOrArn) {
        return snapshots.values().stream().filter(x -> (x.id.equals(idOrArn) || x.arn.equals(idOrArn))
                && !"deleted".equals(x.status)).findFirst().orElse(null);
    }

    private Answer restoreCluster(Map<String, String> p) {
        String id = p.get("DBClusterIdentifier");
        String from = p.get("SnapshotIdentifier");
        if (id == null || from == null || p.get("Engine") == null) {
            return error(400, "MissingParameter", "DBClusterIdentifier, SnapshotIdentifier and Engine are required");
        }
        if (clusters.containsKey(id)) {
            return error(400, "DBClusterAlreadyExistsFault", "DB Cluster already exists");
        }
        Snapshot s = snapshotByIdOrArn(from);
        if (s == null) {
            return error(404, "DBClusterSnapshotNotFoundFault", "DBClusterSnapshot " + from + " not found.");
        }
        if (!"available".equals(s.status)) {
            return error(400, "InvalidDBClusterSnapshotStateFault", "Snapshot " + s.id + " is " + s.status
                    + "; it must be available to be restored.");
        }
        Restored restored;
        try {
            restored = s.taken.restore(id);
        } catch (Exception e) {
            return error(400, "InvalidRestoreFault", "Cannot restore " + s.id + ": " + e.getMessage());
        }
        Cluster c = new Cluster(id, s, restored, p.get("DBClusterParameterGroupName"), restorePolls);
        clusters.put(id, c);
        return ok("RestoreDBClusterFromSnapshot", "<DBCluster>" + clusterXml(c) + "</DBCluster>");
    }

    private Answer createInstance(Map<String, String> p) {
        String id = p.get("DBInstanceIdentifier");
        String cluster = p.get("DBClusterIdentifier");
        if (id == null || p.get("DBInstanceClass") == null || p.get("Engine") == null) {
            return error(400, "MissingParameter", "DBInstanceIdentifier, DBInstanceClass and Engine are required");
        }
        if (instances.containsKey(id)) {
            return error(400, "DBInstanceAlreadyExists", "DB instance already exists");
        }
        Cluster c = cluster == null ? null : clusters.get(cluster);
        if (c == null) {
            return error(404, "DBClusterNotFoundFault", "DBCluster " + cluster + " not found.");
        }
        if (!"available".equals(c.status) && !"creating".equals(c.status)) {
            return error(400, "InvalidDBClusterStateFault", "DB cluster " + cluster + " is " + c.status + ".");
        }
        Instance i = new Instance(id, c, p.get("DBInstanceClass"), restorePolls);
        instances.put(id, i);
        return ok("CreateDBInstance", "<DBInstance>" + instanceXml(i) + "</DBInstance>");
    }

    private Answer describeClusters(Map<String, String> p) {
        String id = p.get("DBClusterIdentifier");
        List<Cluster> found = clusters.values().stream()
                .filter(c -> id == null || c.id.equals(id) || c.arn().equals(id)).toList();
        if (id != null && found.isEmpty()) {
            return error(404, "DBClusterNotFoundFault", "DBCluster " + id + " not found.");
        }
        StringBuilder xml = new StringBuilder("<DBClusters>");
        for (Cluster c : found) {
            synchronized (c) {
                if (--c.describesLeft <= 0) {
                    if ("creating".equals(c.status)) {
                        c.status = "available";
                    } else if ("deleting".equals(c.status)) {
                        clusters.remove(c.id);
                    }
                }
            }
            xml.append("<DBCluster>").append(clusterXml(c)).append("</DBCluster>");
        }
        return ok("DescribeDBClusters", xml.append("</DBClusters>").toString());
    }

    private Answer describeInstances(Map<String, String> p) {
        String id = p.get("DBInstanceIdentifier");
        List<Instance> found = instances.values().stream()
                .filter(i -> id == null || i.id.equals(id) || i.arn().equals(id)).toList();
        if (id != null && found.isEmpty()) {
            return error(404, "DBInstanceNotFound", "DBInstance " + id + " not found.");
        }
        StringBuilder xml = new StringBuilder("<DBInstances>");
        for (Instance i : found) {
            synchronized (i.cluster) {
                // AWS creates the cluster whoever asks: a caller waiting on the instance alone must see it finish
                if ("creating".equals(i.cluster.status) && --i.cluster.describesLeft <= 0) {
                    i.cluster.status = "available";
                }
            }
            synchronized (i) {
                i.describesLeft--;
                // an instance is available only in an available cluster, as on AWS
                if ("creating".equals(i.status) && i.describesLeft <= 0 && "available".equals(i.cluster.status)) {
                    i.status = "available";
                    recoveryEvent(i);
                } else if ("deleting".equals(i.status) && i.describesLeft <= 0) {
                    instances.remove(i.id);
                }
            }
            xml.append("<DBInstance>").append(instanceXml(i)).append("</DBInstance>");
        }
        return ok("DescribeDBInstances", xml.append("</DBInstances>").toString());
    }

    /** what Aurora MySQL logs when a restored instance's recovery found the binlog on: its last binlog point */
    private void recoveryEvent(Instance i) {
        Restored r = i.cluster.restored;
        String group = binlogOffParameterGroup;
        if (group != null && group.equals(i.cluster.parameterGroup)) {
            return;
        }
        events.add(new Event(i.id, "db-instance", i.arn(), "Binlog position from crash recovery is "
                + r.binlogFile() + " " + r.binlogPosition(), Instant.now().truncatedTo(ChronoUnit.SECONDS)));
    }

    private Answer describeEvents(Map<String, String> p) {
        String sourceId = p.get("SourceIdentifier");
        String sourceType = p.get("SourceType");
        if (sourceId != null && sourceType == null) {
            return error(400, "InvalidParameterCombination", "Cannot specify a SourceIdentifier without a SourceType");
        }
        Instant start = p.containsKey("StartTime") ? Instant.parse(p.get("StartTime")) : Instant.EPOCH;
        StringBuilder xml = new StringBuilder("<Events>");
        List<Event> copy;
        synchronized (events) {
            copy = List.copyOf(events);
        }
        for (Event e : copy) {
            boolean fromSource = (sourceId == null || sourceId.equals(e.sourceId()))
                    && (sourceType == null || sourceType.equals(e.sourceType()));
            if (fromSource && !e.date().isBefore(start.truncatedTo(ChronoUnit.SECONDS))) {
                xml.append("<Event><SourceIdentifier>").append(esc(e.sourceId())).append("</SourceIdentifier>")
                        .append("<SourceType>").append(e.sourceType()).append("</SourceType>")
                        .append("<Message>").append(esc(e.message())).append("</Message>")
                        .append("<EventCategories><EventCategory>notification</EventCategory></EventCategories>")
                        .append("<Date>").append(e.date()).append("</Date>")
                        .append("<SourceArn>").append(esc(e.sourceArn())).append("</SourceArn></Event>");
            }
        }
        return ok("DescribeEvents", xml.append("</Events>").toString());
    }

    private Answer deleteInstance(Map<String, String> p) {
        String id = p.get("DBInstanceIdentifier");
        Instance i = id == null ? null : instances.get(id);
        if (i == null) {
            return error(404, "DBInstanceNotFound", "DBInstance " + id + " not found.");
        }
        synchronized (i) {
            if (!"available".equals(i.status)) {
                return error(400, "InvalidDBInstanceState", "Instance " + id + " is " + i.status
                        + " and cannot be deleted.");
            }
            i.status = "deleting";
            i.describesLeft = restorePolls;
        }
        return ok("DeleteDBInstance", "<DBInstance>" + instanceXml(i) + "</DBInstance>");
    }

    private Answer deleteCluster(Map<String, String> p) {
        String id = p.get("DBClusterIdentifier");
        Cluster c = id == null ? null : clusters.get(id);
        if (c == null) {
            return error(404, "DBClusterNotFoundFault", "DBCluster " + id + " not found.");
        }
        if (!"true".equals(p.get("SkipFinalSnapshot")) && p.get("FinalDBSnapshotIdentifier") == null) {
            return error(400, "InvalidParameterCombination", "FinalDBSnapshotIdentifier is required unless"
                    + " SkipFinalSnapshot is specified.");
        }
        if (instances.values().stream().anyMatch(i -> i.cluster == c)) {
            return error(400, "InvalidDBClusterStateFault", "Cluster cannot be deleted, it still contains DB"
                    + " instances in non-deleting state.");
        }
        synchronized (c) {
            if (!"available".equals(c.status)) {
                return error(400, "InvalidDBClusterStateFault", "DB cluster " + id + " is " + c.status + ".");
            }
            c.status = "deleting";
            c.describesLeft = restorePolls;
        }
        return ok("DeleteDBCluster", "<DBCluster>" + clusterXml(c) + "</DBCluster>");
    }

    private String clusterXml(Cluster c) {
        StringBuilder x = new StringBuilder("<DBClusterIdentifier>").append(esc(c.id)).append("</DBClusterIdentifier>")
                .append("<DBClusterArn>").append(esc(c.arn())).append("</DBClusterArn>")
                .append("<Status>").append(c.status).append("</Status>")
                .append("<Engine>aurora-mysql</Engine><EngineVersion>8.0.mysql_aurora.3.08.0</EngineVersion>")
                .append("<Endpoint>").append(esc(c.restored.host())).append("</Endpoint>")
                .append("<ReaderEndpoint>").append(esc(c.restored.host())).append("</ReaderEndpoint>")
                .append("<Port>").append(c.restored.port()).append("</Port>")
                .append("<ClusterCreateTime>").append(c.created).append("</ClusterCreateTime>");
        if (c.parameterGroup != null) {
            x.append("<DBClusterParameterGroup>").append(esc(c.parameterGroup)).append("</DBClusterParameterGroup>");
        }
        x.append("<DBClusterMembers>");
        instances.values().stream().filter(i -> i.cluster == c).forEach(i -> x.append("<DBClusterMember>")
                .append("<DBInstanceIdentifier>").append(esc(i.id)).append("</DBInstanceIdentifier>")
                .append("<IsClusterWriter>true</IsClusterWriter></DBClusterMember>"));
        return x.append("</DBClusterMembers>").toString();
    }

    private String instanceXml(Instance i) {
        return "<DBInstanceIdentifier>" + esc(i.id) + "</DBInstanceIdentifier>"
                + "<DBInstanceArn>" + esc(i.arn()) + "</DBInstanceArn>"
                + "<DBInstanceClass>" + esc(i.instanceClass) + "</DBInstanceClass>"
                + "<Engine>aurora-mysql</Engine><DBInstanceStatus>" + i.status + "</DBInstanceStatus>"
                + "<DBClusterIdentifier>" + esc(i.cluster.id) + "</DBClusterIdentifier>"
                + ("creating".equals(i.status) ? "" : "<Endpoint><Address>" + esc(i.cluster.restored.host())
                + "</Address><Port>" + i.cluster.restored.port() + "</Port></Endpoint>");
    }

    private String snapshotXml(Snapshot s) {
        return "<DBClusterSnapshot><DBClusterSnapshotIdentifier>" + esc(s.id) + "</DBClusterSnapshotIdentifier>"
                + "<DBClusterIdentifier>" + esc(s.cluster) + "</DBClusterIdentifier>"
                + "<DBClusterSnapshotArn>" + esc(s.arn) + "</DBClusterSnapshotArn>"
                + "<SnapshotCreateTime>" + s.created + "</SnapshotCreateTime>"
                + "<Engine>aurora-mysql</Engine><EngineVersion>8.0.mysql_aurora.3.08.0</EngineVersion>"
                + "<SnapshotType>manual</SnapshotType><Status>" + s.status + "</Status>"
                + "<PercentProgress>" + ("creating".equals(s.status) ? 0 : 100) + "</PercentProgress>"
                + "<StorageEncrypted>true</StorageEncrypted></DBClusterSnapshot>";
    }

    private String taskXml(Task t) {
        StringBuilder x = new StringBuilder();
        x.append("<ExportTaskIdentifier>").append(esc(t.job.identifier())).append("</ExportTaskIdentifier>")
                .append("<SourceArn>").append(esc(t.job.sourceArn())).append("</SourceArn>");
        if (!t.job.exportOnly().isEmpty()) {
            x.append("<ExportOnly>");
            t.job.exportOnly().forEach(n -> x.append("<member>").append(esc(n)).append("</member>"));
            x.append("</ExportOnly>");
        }
        x.append("<SnapshotTime>").append(t.snapshotTime).append("</SnapshotTime>")
                .append("<TaskStartTime>").append(t.started).append("</TaskStartTime>");
        if (t.ended != null) {
            x.append("<TaskEndTime>").append(t.ended).append("</TaskEndTime>");
        }
        x.append("<S3Bucket>").append(esc(t.job.bucket())).append("</S3Bucket>")
                .append("<S3Prefix>").append(esc(t.job.prefix())).append("</S3Prefix>")
                .append("<IamRoleArn>").append(esc(t.iamRole)).append("</IamRoleArn>")
                .append("<KmsKeyId>").append(esc(t.kmsKey)).append("</KmsKeyId>")
                .append("<Status>").append(t.status).append("</Status>")
                .append("<PercentProgress>").append(t.percent).append("</PercentProgress>")
                .append("<TotalExtractedDataInGB>").append(t.extractedGb).append("</TotalExtractedDataInGB>")
                .append("<SourceType>SNAPSHOT</SourceType>");
        if (t.failureCause != null) {
            x.append("<FailureCause>").append(esc(t.failureCause)).append("</FailureCause>");
        }
        if (t.warningMessage != null) {
            x.append("<WarningMessage>").append(esc(t.warningMessage)).append("</WarningMessage>");
        }
        return x.toString();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new TreeMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.put(k, v);
        }
        return new LinkedHashMap<>(params);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOGGER.warn("cannot release a fake snapshot", e);
        }
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
        exports.shutdownNow();
        ((ExecutorService) server.getExecutor()).shutdownNow();
        snapshots.values().forEach(s -> closeQuietly(s.taken));
    }
}
