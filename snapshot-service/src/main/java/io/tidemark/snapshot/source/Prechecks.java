package io.tidemark.snapshot.source;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks a dump needs, in the order they run: login, binary log on, binlog position readable, tables
 * selected, SELECT on them. Nothing here needs SUPER or FLUSH TABLES WITH READ LOCK (Aurora forbids both): the dump
 * runs with consistency "none" and relies on replaying the binlog from the start position in safe mode.
 */
public final class Prechecks {
    /** table types a dump reads rows from; views and sequences have none of their own */
    private static final Set<String> DATA_TABLE_TYPES = Set.of("BASE TABLE", "SYSTEM VERSIONED");

    private static final List<Precheck> CHECKS = List.of(new Login(), new BinlogEnabled(), new MasterStatus(),
            new TablesSelected(), new SelectGranted());

    private Prechecks() {
    }

    /** runs every check until the first failure; the report says what each one saw */
    public static PrecheckReport run(SourceConnector connector, TableFilter filter) {
        List<CheckResult> results = new ArrayList<>();
        try (Probe probe = new Probe(connector, filter)) {
            for (Precheck check : CHECKS) {
                try {
                    results.add(CheckResult.passed(check.name(), check.check(probe)));
                } catch (TidemarkException e) {
                    results.add(CheckResult.failed(check.name(), e.detail(), check.remedy(probe.flavor, e)));
                    return new PrecheckReport(results, probe.flavor, List.of(), List.copyOf(probe.skipped), e);
                }
            }
            return new PrecheckReport(results, probe.flavor, List.copyOf(probe.tables), List.copyOf(probe.skipped),
                    null);
        }
    }

    static final class Login implements Precheck {
        @Override
        public String name() {
            return "source login";
        }

        @Override
        public String check(Probe p) {
            p.connection = p.connector.connect();
            try {
                p.flavor = SourceFlavor.detect(p.connection);
            } catch (SQLException e) {
                throw p.connector.queryFailed(e, "SELECT VERSION()");
            }
            return "logged in as " + p.account() + " (" + p.flavor + ")";
        }

        @Override
        public String remedy(SourceFlavor flavor, TidemarkException failure) {
            return switch (failure.error()) {
                case SOURCE_ACCESS_DENIED -> "check the user and password of the source in the migration spec; "
                        + "on Aurora use the cluster's master user or a database user created on the writer";
                case SOURCE_UNREACHABLE -> "check host, port, security groups and that the source is running; "
                        + "on Aurora use the cluster (writer) endpoint";
                default -> failure.error().remedy();
            };
        }
    }

    static final class BinlogEnabled implements Precheck {
        @Override
        public String name() {
            return "binary log enabled";
        }

        @Override
        public String check(Probe p) {
            try (Statement st = p.connection.createStatement(); ResultSet rs = st.executeQuery("SELECT @@log_bin")) {
                rs.next();
                if (rs.getInt(1) == 0) {
                    throw new TidemarkException(ErrorCode.BINLOG_DISABLED, p.account());
                }
                return "log_bin=ON";
            } catch (SQLException e) {
                throw p.connector.queryFailed(e, "SELECT @@log_bin");
            }
        }

        @Override
        public String remedy(SourceFlavor flavor, TidemarkException failure) {
            return flavor == SourceFlavor.AURORA_MYSQL
                    ? "set binlog_format=ROW in the DB cluster parameter group and reboot the writer instance"
                    : "start the source with log-bin, binlog_format=ROW and binlog_row_image=FULL";
        }
    }

    static final class MasterStatus implements Precheck {
        @Override
        public String name() {
            return "binlog position readable";
        }

        @Override
        public String check(Probe p) {
            return "SHOW MASTER STATUS at " + BinlogPositions.current(p.connector, p.connection, p.flavor);
        }

        @Override
        public String remedy(SourceFlavor flavor, TidemarkException failure) {
            if (failure.error() != ErrorCode.SOURCE_PRIVILEGE_MISSING) {
                return failure.error().remedy();
            }
            String grant = "GRANT " + flavor.masterStatusPrivilege() + " ON *.* TO the source account";
            return flavor == SourceFlavor.AURORA_MYSQL
                    ? grant + " as the cluster's master user (SUPER and FLUSH TABLES WITH READ LOCK are not needed)"
                    : grant;
        }
    }

    static final class TablesSelected implements Precheck {
        @Override
        public String name() {
            return "tables selected";
        }

        @Override
        public String check(Probe p) {
            String sql = "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES"
                    + " ORDER BY TABLE_SCHEMA, TABLE_NAME";
            try (Statement st = p.connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    TableRef t = TableRef.of(rs.getString(1), rs.getString(2));
                    if (!p.filter.matches(t)) {
                        continue;
                    }
                    if (DATA_TABLE_TYPES.contains(rs.getString(3).toUpperCase(Locale.ROOT))) {
                        p.tables.add(t);
                    } else {
                        p.skipped.add(t);
                    }
                }
            } catch (SQLException e) {
                throw p.connector.queryFailed(e, "listing tables");
            }
            if (p.tables.isEmpty()) {
                throw new TidemarkException(ErrorCode.SOURCE_TABLE_NOT_FOUND, p.filter.rules(), p.account());
            }
            return p.tables.size() + " tables selected"
                    + (p.skipped.isEmpty() ? "" : ", views/sequences skipped: " + p.skipped);
        }

        @Override
        public String remedy(SourceFlavor flavor, TidemarkException failure) {
            return "check the filter rules against SHOW DATABASES / SHOW FULL TABLES on the source, and that the "
                    + "source account may SELECT them (tables it may not read are invisible to it)";
        }
    }

    static final class SelectGranted implements Precheck {
        @Override
        public String name() {
            return "SELECT privilege";
        }

        @Override
        public String check(Probe p) {
            for (TableRef t : p.tables) {
                try (Statement st = p.connection.createStatement();
                     ResultSet ignored = st.executeQuery("SELECT * FROM " + t.quoted() + " LIMIT 0")) {
                    // the statement succeeding is the check
                } catch (SQLException e) {
                    throw p.connector.queryFailed(e, "SELECT on " + t);
                }
            }
            return "SELECT allowed on all " + p.tables.size() + " tables";
        }

        @Override
        public String remedy(SourceFlavor flavor, TidemarkException failure) {
            return "GRANT SELECT ON each selected schema (db.*) TO the source account";
        }
    }
}
