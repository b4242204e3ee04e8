package io.tidemark.testkit.rds;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What an Aurora cluster snapshot holds, made from a MariaDB source: a session in a consistent-snapshot transaction,
 * opened when {@code CreateDBClusterSnapshot} is answered and read when the export runs, so rows written in between
 * (the export window) are not in the export, as with AWS. MariaDB names the binlog point of that read view
 * ({@code binlog_snapshot_file}/{@code _position}): the point a snapshot restored from it would report as "Binlog
 * position from crash recovery".
 */
public final class ConsistentSnapshot implements FakeRds.TakenSnapshot {
    /** writes the export from a session reading the snapshot's view */
    @FunctionalInterface
    public interface Writer {
        void write(Connection consistentRead, FakeRds.ExportJob job) throws Exception;
    }

    private final Connection session;
    private final Writer writer;
    private final String binlogFile;
    private final long binlogPosition;

    private ConsistentSnapshot(Connection session, Writer writer, String binlogFile, long binlogPosition) {
        this.session = session;
        this.writer = writer;
        this.binlogFile = binlogFile;
        this.binlogPosition = binlogPosition;
    }

    public static ConsistentSnapshot open(String jdbcUrl, String user, String password, Writer writer)
            throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl, user, password);
        try (Statement s = c.createStatement()) {
            s.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            c.setAutoCommit(false);
            s.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            String file = null;
            long pos = 0;
            try (ResultSet rs = s.executeQuery("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
                while (rs.next()) {
                    switch (rs.getString(1).toLowerCase()) {
                        case "binlog_snapshot_file" -> file = rs.getString(2);
                        case "binlog_snapshot_position" -> pos = Long.parseLong(rs.getString(2));
                        default -> { }
                    }
                }
            }
            return new ConsistentSnapshot(c, writer, file, pos);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** the binlog file of the snapshot's point ({@code binlog_snapshot_file}) */
    public String binlogFile() {
        return binlogFile;
    }

    public long binlogPosition() {
        return binlogPosition;
    }

    @Override
    public synchronized void export(FakeRds.ExportJob job) throws Exception {
        writer.write(session, job);
    }

    /** what is read of the snapshot's view besides an export, e.g. a copy into a restored instance */
    @FunctionalInterface
    public interface Read {
        void read(Connection consistentRead) throws Exception;
    }

    public synchronized void read(Read read) throws Exception {
        read.read(session);
    }

    @Override
    public synchronized void close() throws SQLException {
        try {
            session.rollback();
        } finally {
            session.close();
        }
    }
}
