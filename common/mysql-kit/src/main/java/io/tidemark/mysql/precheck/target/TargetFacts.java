package io.tidemark.mysql.precheck.target;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.grants.Grants;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What the target prechecks look at. Reading it writes, but only into the meta schema: it creates the schema if
 * missing and writes and deletes one row of a probe table there, which is the only way to know a write will work
 * (grants can come through roles, and TiDB's read-only switches refuse writes SHOW GRANTS cannot show). An immutable
 * value.
 *
 * @param endpoint   {@code user@host:port}
 * @param loginError why the login failed; null when it succeeded
 * @param flavor     null when the login failed
 * @param readOnly   the read-only switches that are ON or OFF (read_only, super_read_only, innodb_read_only,
 *                   tidb_super_read_only, tidb_restricted_read_only, as the server has them), name → on
 * @param metaSchema the schema Tidemark keeps its checkpoints in
 * @param metaWrite  whether creating the schema and writing to it worked (the value is always true when known)
 * @param grants     the lines of SHOW GRANTS, read before the meta schema is written (which may create it)
 */
public record TargetFacts(String endpoint, String user, TidemarkException loginError, Flavor flavor,
                          Fact<Map<String, Boolean>> readOnly, String metaSchema, Fact<Boolean> metaWrite,
                          Fact<List<String>> grants) {
    /** the switches that make a server refuse writes; each server has a subset of them */
    private static final Set<String> READ_ONLY_SWITCHES = Set.of("read_only", "super_read_only",
            "innodb_read_only", "tidb_super_read_only", "tidb_restricted_read_only");
    static final String PROBE_TABLE = "precheck_probe";

    public TargetFacts {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(metaSchema, "metaSchema");
        if (loginError == null) {
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(readOnly, "readOnly");
            Objects.requireNonNull(metaWrite, "metaWrite");
            Objects.requireNonNull(grants, "grants");
        }
    }

    public static TargetFacts loginFailed(String endpoint, String user, String metaSchema, TidemarkException error) {
        return new TargetFacts(endpoint, user, error, null, null, metaSchema, null, null);
    }

    /** logs in and reads every fact; a failed login is a fact too (never thrown) */
    public static TargetFacts read(DatabaseEndpoint endpoint, String password, Timeouts timeouts, String metaSchema) {
        Connection session;
        try {
            session = Sessions.open(endpoint, password, Side.TARGET, timeouts, null);
        } catch (TidemarkException e) {
            return loginFailed(endpoint.describe(), endpoint.user(), metaSchema, e);
        }
        try {
            return read(session, endpoint, metaSchema);
        } finally {
            Sessions.closeQuietly(session);
        }
    }

    /** reads every fact on an open target session */
    public static TargetFacts read(Connection session, DatabaseEndpoint endpoint, String metaSchema) {
        String where = endpoint.describe();
        Flavor flavor;
        try {
            flavor = Flavor.detect(session);
        } catch (SQLException e) {
            return loginFailed(where, endpoint.user(), metaSchema,
                    SqlErrors.classify(e, Side.TARGET, where, "reading the server's version"));
        }
        Fact<List<String>> grants = grants(session, where);
        return new TargetFacts(where, endpoint.user(), null, flavor, readOnly(session, where), metaSchema,
                metaWrite(session, where, metaSchema), grants);
    }

    public boolean loggedIn() {
        return loginError == null;
    }

    /** the account as SHOW GRANTS names it, or as {@code 'user'@'%'} when it could not be read */
    public String account() {
        if (grants != null && grants.known()) {
            return Grants.parse(grants.value()).account().orElse("'" + user + "'@'%'");
        }
        return "'" + user + "'@'%'";
    }

    private static Fact<List<String>> grants(Connection session, String where) {
        try {
            return Fact.of(Grants.show(session));
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.TARGET, where, "SHOW GRANTS"));
        }
    }

    private static Fact<Map<String, Boolean>> readOnly(Connection session, String where) {
        Map<String, Boolean> switches = new TreeMap<>();
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SHOW GLOBAL VARIABLES LIKE '%read_only'")) {
            while (rs.next()) {
                String name = rs.getString(1).toLowerCase(Locale.ROOT);
                if (READ_ONLY_SWITCHES.contains(name)) {
                    String value = rs.getString(2);
                    switches.put(name, "ON".equalsIgnoreCase(value) || "1".equals(value));
                }
            }
            return Fact.of(Collections.unmodifiableMap(switches));
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.TARGET, where, "reading the read-only settings"));
        }
    }

    private static Fact<Boolean> metaWrite(Connection session, String where, String metaSchema) {
        String table = TableRef.of(metaSchema, PROBE_TABLE).quoted();
        String probe = UUID.randomUUID().toString();
        String step = "CREATE DATABASE IF NOT EXISTS " + TableRef.quote(metaSchema);
        try (Statement st = session.createStatement()) {
            st.execute(step);
            step = "CREATE TABLE IF NOT EXISTS " + table;
            st.execute(step + " (id VARCHAR(64) NOT NULL PRIMARY KEY, written_at TIMESTAMP(3) NOT NULL)");
            step = "INSERT INTO " + table;
            try (PreparedStatement ins = session.prepareStatement(
                    "INSERT INTO " + table + " (id, written_at) VALUES (?, CURRENT_TIMESTAMP(3))")) {
                ins.setString(1, probe);
                ins.executeUpdate();
            }
            step = "DELETE FROM " + table;
            try (PreparedStatement del = session.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                del.setString(1, probe);
                del.executeUpdate();
            }
            return Fact.of(Boolean.TRUE);
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.TARGET, where, step));
        }
    }
}
