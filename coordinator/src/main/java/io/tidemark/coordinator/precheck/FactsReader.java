package io.tidemark.coordinator.precheck;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRouter;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.compat.CompatFacts;
import io.tidemark.mysql.precheck.source.SourceFacts;
import io.tidemark.mysql.precheck.target.TargetFacts;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Reads a migration's {@link MigrationFacts}: the source on one thread and the target on another, at the same time,
 * so the prechecks take as long as the slower end, not the sum (an import has no source: its target alone is read);
 * every wait is bounded by the kit's {@link Timeouts}
 * (a server that never answers fails its login within the connect timeout). Then, with both sessions still open, it
 * finds out whether the two are one server. Stateless and thread-safe: each call opens and closes its own sessions.
 *
 * <p>Nothing is written to the source: its session is read-only. The target is written only in its meta schema: the
 * kit's probe row, and a random token in {@code tidemark_meta.identity}, which is then looked for through the source
 * connection. A source that holds it is the target: one server, or two endpoints of one cluster (an Aurora writer
 * and reader), which neither server ids (test servers share them) nor MariaDB (no server_uuid) can tell. The token is
 * deleted afterwards, and when source and target turn out to be one server, the meta schema too if the check created
 * it, so that nothing of Tidemark stays on the source.
 */
final class FactsReader {
    private static final Logger LOGGER = LoggerFactory.getLogger(FactsReader.class);
    /** the schema on the target where every service keeps its checkpoints */
    static final String META_SCHEMA = "tidemark_meta";
    private static final String IDENTITY = TableRef.of(META_SCHEMA, "identity").quoted();
    /** what the prechecks create in the meta schema: the kit's probe table and the identity table */
    private static final String OWN_TABLES = "'precheck_probe', 'identity'";
    /** MySQL's ER_NO_SUCH_TABLE and ER_BAD_DB_ERROR: the source has no such table, so it is not the target */
    private static final int NO_SUCH_TABLE = 1146;
    private static final int NO_SUCH_SCHEMA = 1049;

    private final SecretBox secrets;
    private final Timeouts timeouts;

    FactsReader(SecretBox secrets, Timeouts timeouts) {
        this.secrets = secrets;
        this.timeouts = timeouts;
    }

    MigrationFacts read(MigrationSpec spec) {
        if (!spec.mode().readsSource()) {
            TargetEnd t = target(spec.target(), TableFilter.parse(spec.targetFilter()));
            try {
                t.cleanUp(false);
                return new MigrationFacts(spec, null, t.facts, null, null, t.tables, null);
            } finally {
                t.close();
            }
        }
        TableFilter filter = TableFilter.parse(spec.filter());
        TableRouter router = TableRouter.of(spec.routes());
        boolean shared = spec.task() != null; // a task's sources may merge into one table: each routed shard counts
        CompletableFuture<SourceEnd> source = CompletableFuture.supplyAsync(() -> source(spec.source(), filter,
                router, shared), thread("precheck-source"));
        // routed tables are looked for on the target under their routed names (besides the source's)
        TableFilter targetFilter = spec.routes().isEmpty() ? filter : TableFilter.parse(spec.targetFilter());
        CompletableFuture<TargetEnd> target = CompletableFuture.supplyAsync(() -> target(spec.target(), targetFilter),
                thread("precheck-target"));
        try {
            CompletableFuture.allOf(source, target).join();
            SourceEnd s = source.join();
            TargetEnd t = target.join();
            Fact<ServerIdentity> identity = identity(s, t);
            t.cleanUp(identity.known() && identity.value().verdict() == ServerIdentity.Verdict.SAME);
            return new MigrationFacts(spec, s.facts, t.facts, identity, s.tables, t.tables, compat(s, t));
        } finally {
            // both have ended (allOf waits for both, also when one failed): close what either opened
            source.thenAccept(SourceEnd::close);
            target.thenAccept(TargetEnd::close);
        }
    }

    /** each end on a thread of its own, named for the logs; it ends with the reading */
    private static Executor thread(String name) {
        return work -> Thread.ofPlatform().name(name).start(work);
    }

    /**
     * @param router the spec's routes: the shards of a merged table get their key ranges read too
     * @param shared the spec is one source of a DM task: every table its routes rename gets its key range read, as
     *               the task's other sources may merge into the same table
     */
    private SourceEnd source(DatabaseEndpoint endpoint, TableFilter filter, TableRouter router, boolean shared) {
        Connection session;
        try {
            session = Sessions.open(endpoint, secrets.open(endpoint.password()), Side.SOURCE, timeouts, null);
        } catch (TidemarkException e) {
            return new SourceEnd(null, SourceFacts.loginFailed(endpoint.describe(), endpoint.user(), e),
                    Fact.failed(e));
        }
        SourceFacts facts = SourceFacts.read(session, endpoint, filter);
        if (!facts.loggedIn()) {
            return new SourceEnd(session, facts, Fact.failed(facts.loginError()));
        }
        if (!facts.tables().known()) {
            return new SourceEnd(session, facts, Fact.failed(facts.tables().error()));
        }
        try {
            Map<String, TableDefinition> tables = TableDefinitions.read(session, facts.tables().value().selected());
            // a DM task's tables routed elsewhere may meet another source's in one table: their ranges count too
            List<TableDefinition> shards = shared ? tables.values().stream()
                    .filter(t -> !router.route(t.table()).equals(t.table())).toList()
                    : ShardTablesCheck.shards(tables.values(), router).values().stream().flatMap(List::stream).toList();
            if (!shards.isEmpty()) {
                Map<String, TableDefinition> ranged = new java.util.LinkedHashMap<>(tables);
                ranged.putAll(TableDefinitions.withKeyRanges(session, shards));
                tables = ranged;
            }
            return new SourceEnd(session, facts, Fact.of(tables));
        } catch (SQLException e) {
            return new SourceEnd(session, facts, Fact.failed(SqlErrors.classify(e, Side.SOURCE, endpoint.describe(),
                    "reading the definitions of the selected tables")));
        }
    }

    private TargetEnd target(DatabaseEndpoint endpoint, TableFilter filter) {
        String where = endpoint.describe();
        Connection session;
        try {
            session = Sessions.open(endpoint, secrets.open(endpoint.password()), Side.TARGET, timeouts, null);
        } catch (TidemarkException e) {
            return new TargetEnd(null, where, TargetFacts.loginFailed(where, endpoint.user(), META_SCHEMA, e),
                    Fact.failed(e), Fact.failed(e), true);
        }
        boolean metaExisted = metaSchemaExists(session);
        TargetFacts facts = TargetFacts.read(session, endpoint, META_SCHEMA);
        if (!facts.loggedIn()) {
            return new TargetEnd(session, where, facts, Fact.failed(facts.loginError()),
                    Fact.failed(facts.loginError()), metaExisted);
        }
        Fact<String> token = facts.metaWrite().known() ? writeToken(session, where)
                : Fact.failed(facts.metaWrite().error());
        Fact<Map<String, TableDefinition>> tables;
        try {
            tables = Fact.of(TableDefinitions.withRows(session,
                    TableDefinitions.read(session, TableDefinitions.selected(session, filter))));
        } catch (SQLException e) {
            tables = Fact.failed(SqlErrors.classify(e, Side.TARGET, where,
                    "reading the definitions of the target tables the filter selects"));
        }
        return new TargetEnd(session, where, facts, token, tables, metaExisted);
    }

    /** when unknown, taken to exist: then the check never drops it */
    private static boolean metaSchemaExists(Connection session) {
        try (PreparedStatement ps = session.prepareStatement(
                "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            ps.setString(1, META_SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            return true;
        }
    }

    private static Fact<String> writeToken(Connection session, String where) {
        String token = UUID.randomUUID().toString();
        try (Statement st = session.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + IDENTITY
                    + " (token VARCHAR(64) NOT NULL PRIMARY KEY, written_at TIMESTAMP(3) NOT NULL)");
            try (PreparedStatement ins = session.prepareStatement(
                    "INSERT INTO " + IDENTITY + " (token, written_at) VALUES (?, CURRENT_TIMESTAMP(3))")) {
                ins.setString(1, token);
                ins.executeUpdate();
            }
            return Fact.of(token);
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.TARGET, where, "INSERT INTO " + IDENTITY));
        }
    }

    private static Fact<ServerIdentity> identity(SourceEnd source, TargetEnd target) {
        if (!source.facts.loggedIn()) {
            return Fact.failed(source.facts.loginError());
        }
        if (!target.token.known()) {
            return Fact.failed(target.token.error());
        }
        try (PreparedStatement ps = source.session.prepareStatement("SELECT 1 FROM " + IDENTITY + " WHERE token = ?")) {
            ps.setString(1, target.token.value());
            try (ResultSet rs = ps.executeQuery()) {
                return Fact.of(rs.next()
                        ? new ServerIdentity(ServerIdentity.Verdict.SAME, "a token Tidemark wrote into "
                        + META_SCHEMA + ".identity on the target was read back through the source connection")
                        : new ServerIdentity(ServerIdentity.Verdict.DIFFERENT, "the source does not hold the token"
                        + " Tidemark wrote into " + META_SCHEMA + ".identity on the target"));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE || e.getErrorCode() == NO_SUCH_SCHEMA) {
                return Fact.of(new ServerIdentity(ServerIdentity.Verdict.DIFFERENT, "the source has no "
                        + META_SCHEMA + ".identity, which the target now has"));
            }
            TidemarkException error = SqlErrors.classify(e, Side.SOURCE, source.facts.endpoint(),
                    "SELECT on " + META_SCHEMA + ".identity");
            return switch (error.error()) {
                case SOURCE_PRIVILEGE_MISSING -> byHostAndPort(source, target, error);
                default -> Fact.failed(error);
            };
        }
    }

    /**
     * The TiDB-compatibility facts, read after both ends (a few information_schema queries on each, and a row-size
     * probe of small tables only), with both sessions still open.
     */
    private static Fact<CompatFacts> compat(SourceEnd source, TargetEnd target) {
        if (!source.facts.loggedIn()) {
            return Fact.failed(source.facts.loginError());
        }
        if (!target.facts.loggedIn()) {
            return Fact.failed(target.facts.loginError());
        }
        if (!source.facts.tables().known()) {
            return Fact.failed(source.facts.tables().error());
        }
        return Fact.of(CompatFacts.read(source.session, source.facts.endpoint(), source.facts.tables().value(),
                target.session, target.endpoint));
    }

    /** when the source may not read the meta schema: one server answers the same host name and port on both */
    private static Fact<ServerIdentity> byHostAndPort(SourceEnd source, TargetEnd target, TidemarkException denied) {
        try {
            String s = hostAndPort(source.session);
            String t = hostAndPort(target.session);
            return Fact.of(s.equals(t)
                    ? new ServerIdentity(ServerIdentity.Verdict.SAME, "both answer as " + s)
                    : new ServerIdentity(ServerIdentity.Verdict.UNKNOWN, "the source may not read " + META_SCHEMA
                    + ".identity (" + denied.detail() + "), and source (" + s + ") and target (" + t
                    + ") answer as different hosts, which two endpoints of one cluster also do"));
        } catch (SQLException e) {
            return Fact.failed(denied);
        }
    }

    private static String hostAndPort(Connection session) throws SQLException {
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SELECT @@hostname, @@port")) {
            rs.next();
            return rs.getString(1) + ":" + rs.getString(2);
        }
    }

    /** the source end: its open session (null when the login failed), its facts, its tables' definitions */
    private record SourceEnd(Connection session, SourceFacts facts, Fact<Map<String, TableDefinition>> tables) {
        void close() {
            Sessions.closeQuietly(session);
        }
    }

    /**
     * The target end.
     *
     * @param token       the token written into the identity table
     * @param metaExisted whether the meta schema was there before the prechecks wrote to it
     */
    private record TargetEnd(Connection session, String endpoint, TargetFacts facts, Fact<String> token,
                             Fact<Map<String, TableDefinition>> tables, boolean metaExisted) {
        /** deletes the token; on a target that is the source, also the meta schema the prechecks created there */
        void cleanUp(boolean isSource) {
            if (session == null || !token.known()) {
                return;
            }
            try (Statement st = session.createStatement();
                 PreparedStatement del = session.prepareStatement("DELETE FROM " + IDENTITY + " WHERE token = ?")) {
                del.setString(1, token.value());
                del.executeUpdate();
                if (isSource && !metaExisted && onlyOwnTables(st)) {
                    st.execute("DROP DATABASE " + TableRef.quote(META_SCHEMA));
                    LOGGER.info("dropped {} again on {}: it is the source, and the prechecks had created it",
                            META_SCHEMA, endpoint);
                }
            } catch (SQLException e) {
                LOGGER.warn("cannot remove the precheck's token from {}.identity on {}: {}", META_SCHEMA, endpoint,
                        e.getMessage());
            }
        }

        private static boolean onlyOwnTables(Statement st) throws SQLException {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                    + META_SCHEMA + "' AND TABLE_NAME NOT IN (" + OWN_TABLES + ")")) {
                return rs.next() && rs.getLong(1) == 0;
            }
        }

        void close() {
            Sessions.closeQuietly(session);
        }
    }
}
