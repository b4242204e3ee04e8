package io.tidemark.testkit.rds;

import io.tidemark.testkit.LocalMariaDb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

/**
 * A cluster snapshot that can be restored, made from a MariaDB source: when {@code CreateDBClusterSnapshot} is
 * answered, the selected schemas are copied from a consistent read of the source into a second MariaDB that stands
 * for the instance AWS would restore, and the read view's binlog point ({@code binlog_snapshot_file}/{@code _position},
 * exact even while the source takes writes) becomes the "Binlog position from crash recovery" the restore reports.
 * Rows written to the source after the snapshot are in its binlog after that point and not in the copy, as on Aurora.
 *
 * <pre>{@code
 * FakeRds.start("us-east-1", (cluster, id) -> RestoredCopy.take(source, restored, List.of(db)));
 * }</pre>
 */
public final class RestoredCopy implements FakeRds.TakenSnapshot {
    private final LocalMariaDb restored;
    private final String binlogFile;
    private final long binlogPosition;

    private RestoredCopy(LocalMariaDb restored, String binlogFile, long binlogPosition) {
        this.restored = restored;
        this.binlogFile = binlogFile;
        this.binlogPosition = binlogPosition;
    }

    /** copies {@code schemas} (tables and rows) of the source as of now into {@code restored} */
    public static RestoredCopy take(LocalMariaDb source, LocalMariaDb restored, List<String> schemas)
            throws Exception {
        try (ConsistentSnapshot view = ConsistentSnapshot.open(source.jdbcUrl(), source.user(), source.password(),
                (session, job) -> {
                    throw new UnsupportedOperationException("a restorable snapshot is not exported here");
                });
             Connection into = DriverManager.getConnection(restored.jdbcUrl(), restored.user(),
                     restored.password())) {
            view.read(session -> {
                for (String schema : schemas) {
                    copySchema(session, into, schema);
                }
            });
            return new RestoredCopy(restored, view.binlogFile(), view.binlogPosition());
        }
    }

    private static void copySchema(Connection from, Connection into, String schema) throws Exception {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = from.prepareStatement("SELECT table_name FROM information_schema.tables"
                + " WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        try (Statement st = into.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `" + schema + "`");
        }
        for (String table : tables) {
            String name = "`" + schema + "`.`" + table + "`";
            String ddl;
            try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + name)) {
                rs.next();
                ddl = rs.getString(2);
            }
            try (Statement st = into.createStatement()) {
                st.execute("USE `" + schema + "`");
                st.execute("DROP TABLE IF EXISTS " + name);
                st.execute(ddl);
            }
            copyRows(from, into, name);
        }
    }

    private static void copyRows(Connection from, Connection into, String name) throws Exception {
        try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + name)) {
            int columns = rs.getMetaData().getColumnCount();
            String insert = "INSERT INTO " + name + " VALUES (" + "?,".repeat(columns - 1) + "?)";
            try (PreparedStatement ps = into.prepareStatement(insert)) {
                int batched = 0;
                while (rs.next()) {
                    for (int c = 1; c <= columns; c++) {
                        int type = rs.getMetaData().getColumnType(c);
                        if (type == Types.TIMESTAMP || type == Types.TIME) {
                            // as text: the driver's temporal objects would drop the fractional seconds on the way in
                            ps.setString(c, rs.getString(c));
                        } else {
                            ps.setObject(c, rs.getObject(c));
                        }
                    }
                    ps.addBatch();
                    if (++batched % 500 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
        }
    }

    /** the source's binlog point the copy holds: what the restored instance reports as crash-recovery position */
    public String binlogFile() {
        return binlogFile;
    }

    public long binlogPosition() {
        return binlogPosition;
    }

    @Override
    public void export(FakeRds.ExportJob job) {
        throw new UnsupportedOperationException("this fake snapshot stands for a restore, not an export");
    }

    @Override
    public FakeRds.Restored restore(String cluster) {
        return new FakeRds.Restored(restored.host(), restored.port(), binlogFile, binlogPosition);
    }
}
