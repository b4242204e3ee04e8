package io.tidemark.mysql.precheck.source;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.error.Side;
import io.tidemark.mysql.error.SqlErrors;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.grants.Grants;
import io.tidemark.mysql.position.BinlogPositions;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.session.Sessions;
import io.tidemark.mysql.session.Timeouts;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the source prechecks look at, read once with read-only statements. Each item is read on its own, so one the
 * account may not read (SHOW BINARY LOGS without the monitor privilege) does not hide the others. The checks only
 * look at these facts, so they are tested on recorded facts without a server. An immutable value.
 *
 * @param endpoint       {@code user@host:port}
 * @param user           the account's user name, for GRANT instructions
 * @param loginError     why the login failed; null when it succeeded (then every other item is read)
 * @param flavor         null when the login failed
 * @param binlog         log_bin, binlog_format, binlog_row_image
 * @param grants         the lines of SHOW GRANTS
 * @param binaryLogs     SHOW BINARY LOGS; empty when binary logging is off
 * @param retentionHours Aurora's 'binlog retention hours' (null value: not set); unknown elsewhere
 * @param position       the binlog position now, from the flavor's status statement
 * @param tables         what the table filter selects; null when the facts were read without a filter
 */
public record SourceFacts(String endpoint, String user, TidemarkException loginError, Flavor flavor,
                          BinlogSettings binlog, Fact<List<String>> grants, Fact<List<BinaryLog>> binaryLogs,
                          Fact<Integer> retentionHours, Fact<BinlogPosition> position, Fact<Tables> tables) {

    /** log_bin, binlog_format and binlog_row_image as the server answered (format and image may be null) */
    public record BinlogSettings(boolean logBin, String format, String rowImage) {
    }

    /** one line of SHOW BINARY LOGS */
    public record BinaryLog(String name, long size) {
    }

    /**
     * @param filter     the rules the tables were selected by
     * @param selected   base tables the filter selects, sorted
     * @param skipped    views and sequences it matches: no rows of their own, so not copied
     * @param unreadable selected tables {@code SELECT * ... LIMIT 0} failed on, with the error
     */
    public record Tables(TableFilter filter, List<TableRef> selected, List<TableRef> skipped,
                         Map<TableRef, TidemarkException> unreadable) {
        public Tables {
            selected = List.copyOf(selected);
            skipped = List.copyOf(skipped);
            unreadable = Collections.unmodifiableMap(new LinkedHashMap<>(unreadable));
        }
    }

    /** table types a dump reads rows from; views and sequences have none of their own */
    private static final Set<String> DATA_TABLE_TYPES = Set.of("BASE TABLE", "SYSTEM VERSIONED");
    private static final String RETENTION_NAME = "binlog retention hours";

    public SourceFacts {
        Objects.requireNonNull(endpoint, "endpoint");
        if (loginError == null) {
            Objects.requireNonNull(flavor, "flavor");
            Objects.requireNonNull(binlog, "binlog");
            Objects.requireNonNull(grants, "grants");
            Objects.requireNonNull(binaryLogs, "binaryLogs");
            Objects.requireNonNull(retentionHours, "retentionHours");
            Objects.requireNonNull(position, "position");
        }
    }

    /** the facts of a source that refused the login or could not be reached */
    public static SourceFacts loginFailed(String endpoint, String user, TidemarkException error) {
        return new SourceFacts(endpoint, user, error, null, null, null, null, null, null, null);
    }

    /**
     * Logs in with a read-only session and reads every fact; a failed login is a fact too (never thrown).
     *
     * @param filter the table filter whose tables the SELECT check probes; null when no table check runs
     */
    public static SourceFacts read(DatabaseEndpoint endpoint, String password, Timeouts timeouts, TableFilter filter) {
        Connection session;
        try {
            session = Sessions.open(endpoint, password, Side.SOURCE, timeouts, null);
        } catch (TidemarkException e) {
            return loginFailed(endpoint.describe(), endpoint.user(), e);
        }
        try {
            return read(session, endpoint, filter);
        } finally {
            Sessions.closeQuietly(session);
        }
    }

    /** reads every fact on an open source session (one the caller keeps using); only reads */
    public static SourceFacts read(Connection session, DatabaseEndpoint endpoint, TableFilter filter) {
        String where = endpoint.describe();
        Flavor flavor;
        BinlogSettings binlog;
        try {
            flavor = Flavor.detect(session);
            binlog = binlogSettings(session);
        } catch (SQLException e) {
            return loginFailed(where, endpoint.user(),
                    SqlErrors.classify(e, Side.SOURCE, where, "reading the server's version and binlog settings"));
        }
        Fact<List<String>> grants = grants(session, where);
        Fact<List<BinaryLog>> logs = binlog.logBin() ? binaryLogs(session, where) : Fact.of(List.of());
        Fact<Integer> retention = flavor.isAurora() ? retentionHours(session, where) : Fact.of(null);
        Fact<BinlogPosition> position = position(session, flavor, where);
        Fact<Tables> tables = filter == null ? null : tables(session, where, filter);
        return new SourceFacts(where, endpoint.user(), null, flavor, binlog, grants, logs, retention, position,
                tables);
    }

    public boolean loggedIn() {
        return loginError == null;
    }

    /** the account as {@code 'user'@'%'}, or as SHOW GRANTS names it when it did */
    public String account() {
        if (grants != null && grants.known()) {
            return Grants.parse(grants.value()).account().orElse("'" + user + "'@'%'");
        }
        return "'" + user + "'@'%'";
    }

    private static BinlogSettings binlogSettings(Connection session) throws SQLException {
        try (Statement st = session.createStatement();
             ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image")) {
            rs.next();
            return new BinlogSettings(rs.getInt(1) == 1, rs.getString(2), rs.getString(3));
        }
    }

    private static Fact<List<String>> grants(Connection session, String where) {
        try {
            return Fact.of(Grants.show(session));
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.SOURCE, where, "SHOW GRANTS"));
        }
    }

    private static Fact<List<BinaryLog>> binaryLogs(Connection session, String where) {
        List<BinaryLog> logs = new ArrayList<>();
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                logs.add(new BinaryLog(rs.getString(1), rs.getLong(2)));
            }
            return Fact.of(List.copyOf(logs));
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.SOURCE, where, "SHOW BINARY LOGS"));
        }
    }

    /** Aurora keeps its binlog retention in a stored procedure's table, not in a variable */
    private static Fact<Integer> retentionHours(Connection session, String where) {
        try (Statement st = session.createStatement()) {
            boolean hasRows = st.execute("CALL mysql.rds_show_configuration");
            while (!hasRows && st.getUpdateCount() != -1) {
                hasRows = st.getMoreResults();
            }
            if (!hasRows) {
                return Fact.of(null);
            }
            try (ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    if (RETENTION_NAME.equalsIgnoreCase(rs.getString(1).strip())) {
                        String value = rs.getString(2);
                        return Fact.of(value == null || value.isBlank() || value.equalsIgnoreCase("NULL") ? null
                                : Integer.valueOf(value.strip()));
                    }
                }
            }
            return Fact.of(null);
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.SOURCE, where, "CALL mysql.rds_show_configuration"));
        } catch (NumberFormatException e) {
            return Fact.of(null);
        }
    }

    private static Fact<BinlogPosition> position(Connection session, Flavor flavor, String where) {
        try {
            return Fact.of(BinlogPositions.current(session, flavor, where));
        } catch (TidemarkException e) {
            return Fact.failed(e);
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.SOURCE, where, flavor.binlogStatusStatement()));
        }
    }

    private static Fact<Tables> tables(Connection session, String where, TableFilter filter) {
        List<TableRef> selected = new ArrayList<>();
        List<TableRef> skipped = new ArrayList<>();
        try {
            // only the schemas the filter may select are listed table by table: listing every table of the server
            // on each POST is quadratic work with many migrations on one source (and made MariaDB 10.11 crash in
            // its temporary-table cleanup under 16 such listings at once, bench/many-migrations.sh)
            List<String> schemas = new ArrayList<>();
            try (Statement st = session.createStatement();
                 ResultSet rs = st.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")) {
                while (rs.next()) {
                    if (filter.matchesSchema(rs.getString(1))) {
                        schemas.add(rs.getString(1));
                    }
                }
            }
            if (!schemas.isEmpty()) {
                String sql = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA IN (" + String.join(", ", java.util.Collections.nCopies(schemas.size(),
                        "?")) + ") ORDER BY TABLE_SCHEMA, TABLE_NAME";
                try (java.sql.PreparedStatement st = session.prepareStatement(sql)) {
                    for (int i = 0; i < schemas.size(); i++) {
                        st.setString(i + 1, schemas.get(i));
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            TableRef t = TableRef.of(rs.getString(1), rs.getString(2));
                            if (!filter.matches(t)) {
                                continue;
                            }
                            String type = rs.getString(3) == null ? "" : rs.getString(3).toUpperCase(Locale.ROOT);
                            (DATA_TABLE_TYPES.contains(type) ? selected : skipped).add(t);
                        }
                    }
                }
            }
        } catch (SQLException e) {
            return Fact.failed(SqlErrors.classify(e, Side.SOURCE, where, "listing tables"));
        }
        Map<TableRef, TidemarkException> unreadable = new LinkedHashMap<>();
        for (TableRef t : selected) {
            try (Statement st = session.createStatement();
                 ResultSet ignored = st.executeQuery("SELECT * FROM " + t.quoted() + " LIMIT 0")) {
                // the statement succeeding is the fact
            } catch (SQLException e) {
                unreadable.put(t, SqlErrors.classify(e, Side.SOURCE, where, "SELECT on " + t));
            }
        }
        return Fact.of(new Tables(filter, selected, skipped, unreadable));
    }
}
