package io.tidemark.snapshot.dump;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.position.BinlogPositions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a table's dump opens its consistent snapshot, and where in the binlog that snapshot stands: the table's point
 * (DM's "table point"). The table's data holds exactly the transactions committed before its point, so replication
 * skips the table's events before it and applies those after it once. That keeps a table without a primary or unique
 * key exact, where replaying the whole dump window in safe mode would duplicate its rows.
 *
 * <p>Only an InnoDB table has a point ({@link #covers}): a consistent snapshot does not cover MyISAM, Aria or MEMORY
 * tables, whose rows are read as they are at that moment. Where no point can be had, the table's data still lies
 * somewhere between the dump's start and end positions, as it always did. Immutable; every table thread of a dump
 * uses the same one at once.
 */
sealed interface SnapshotPoint {
    SnapshotPoint NONE = new None();

    /**
     * Opens {@code START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY} on the table's dump session.
     *
     * @return the snapshot's exact binlog position; empty when the source could not give one (logged)
     * @throws SQLException      the dump session failed, for the caller to classify
     * @throws TidemarkException a session of the point's own failed: the dump cannot go on either
     */
    Optional<BinlogPosition> open(Connection dump, TableRef table) throws SQLException;

    /**
     * What the flavour allows: MariaDB reports the snapshot's position itself; MySQL and Aurora need a brief lock;
     * TiDB has no binlog of this kind.
     */
    static SnapshotPoint forFlavor(Flavor flavor, Source source, SourceSessions sessions) {
        if (flavor.isMariaDb()) {
            return new StatusVariables();
        }
        if (flavor.isMySql()) {
            return new LockTables(source, sessions, flavor, LockTables.LOCK_WAIT);
        }
        return NONE;
    }

    /** the table's storage engine, as information_schema names it (null for a table that has none, e.g. a view) */
    static String engine(Connection session, TableRef table) throws SQLException {
        try (PreparedStatement ps = session.prepareStatement(
                "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** whether a consistent snapshot covers a table of this engine, so that it can have a point */
    static boolean covers(String engine) {
        return "InnoDB".equalsIgnoreCase(engine);
    }

    private static void begin(Connection dump) throws SQLException {
        try (Statement st = dump.createStatement()) {
            st.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        }
    }

    /** the snapshot alone: the table's data lies between the dump's start and end positions */
    record None() implements SnapshotPoint {
        @Override
        public Optional<BinlogPosition> open(Connection dump, TableRef table) throws SQLException {
            begin(dump);
            return Optional.empty();
        }
    }

    /**
     * MariaDB: the binlog takes part in opening a consistent snapshot, so the session's {@code Binlog_snapshot_file}
     * and {@code Binlog_snapshot_position} are where the snapshot stands, taken atomically with it — exact for InnoDB
     * tables. {@code Binlog_snapshot_gtid_pos}, where the server has it, becomes the point's GTID set.
     */
    record StatusVariables() implements SnapshotPoint {
        private static final Logger LOGGER = LoggerFactory.getLogger(StatusVariables.class);
        private static final Pattern OFFSET = Pattern.compile("\\d{1,18}");

        @Override
        public Optional<BinlogPosition> open(Connection dump, TableRef table) throws SQLException {
            begin(dump);
            Map<String, String> status = new HashMap<>();
            try (Statement st = dump.createStatement();
                 ResultSet rs = st.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
                while (rs.next()) {
                    status.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                }
            }
            String file = status.get("binlog_snapshot_file");
            String pos = status.get("binlog_snapshot_position");
            if (file != null && !file.isBlank() && pos != null && OFFSET.matcher(pos).matches()
                    && Long.parseLong(pos) >= 4) {
                String gtids = status.get("binlog_snapshot_gtid_pos");
                return Optional.of(BinlogPosition.of(file, Long.parseLong(pos), gtids));
            }
            LOGGER.warn("no table point for {}: the source reports no binlog snapshot position ({}); changes to it"
                    + " during the dump are replayed in safe mode, exact only with a primary or unique key", table,
                    status);
            return Optional.empty();
        }
    }

    /**
     * MySQL and Aurora, which do not report a snapshot's position: a second session holds {@code LOCK TABLES t READ}
     * while the dump session opens its snapshot and reads the binlog position. No write to the table can commit while
     * the lock is held, so the snapshot and the position see the same transactions of it; writes to other tables that
     * commit in between do not concern this table's point. The position is read on the dump session: a session holding
     * LOCK TABLES may touch nothing but the tables it locked, so the locking session does only lock and unlock (and
     * never starts a transaction, which would release its lock).
     *
     * <p>A pending lock makes the table's writers queue behind it, so it waits at most {@code lockWait}
     * ({@code lock_wait_timeout}) for a transaction on the source that holds the table: when the lock cannot be had
     * (that, or a missing LOCK TABLES grant) the table gets no point rather than failing the dump.
     */
    record LockTables(Source source, SourceSessions sessions, Flavor flavor, Duration lockWait)
            implements SnapshotPoint {
        private static final Logger LOGGER = LoggerFactory.getLogger(LockTables.class);
        static final Duration LOCK_WAIT = Duration.ofSeconds(5);

        public LockTables {
            if (lockWait.toSeconds() < 1) {
                throw new IllegalArgumentException("lock_wait_timeout is whole seconds, at least 1: " + lockWait);
            }
        }

        @Override
        public Optional<BinlogPosition> open(Connection dump, TableRef table) throws SQLException {
            try (SourceSessions.Session locking = sessions.open(source)) {
                String lock = "LOCK TABLES " + table.quoted() + " READ";
                try (Statement st = locking.connection().createStatement()) {
                    st.execute("SET SESSION lock_wait_timeout = " + lockWait.toSeconds());
                    st.execute(lock);
                } catch (SQLException e) {
                    TidemarkException failure = source.failed(e, lock);
                    if (failure.error() == ErrorCode.SOURCE_UNREACHABLE) {
                        throw failure;
                    }
                    LOGGER.warn("no table point for {}: its read lock was not granted within {} ({}); changes to it"
                            + " during the dump are replayed in safe mode, exact only with a primary or unique key",
                            table, lockWait, failure.detail());
                    return NONE.open(dump, table);
                }
                begin(dump);
                BinlogPosition point = BinlogPositions.current(dump, flavor, source.endpoint().describe());
                try (Statement st = locking.connection().createStatement()) {
                    st.execute("UNLOCK TABLES");
                } catch (SQLException e) {
                    // closing the session releases the lock as well
                    LOGGER.debug("UNLOCK TABLES of {} failed: {}", table, e.getMessage());
                }
                return Optional.of(point);
            }
        }
    }
}
