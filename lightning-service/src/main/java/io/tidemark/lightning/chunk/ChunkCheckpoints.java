package io.tidemark.lightning.chunk;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.lightning.target.SessionText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Optional;

/**
 * The checkpoint table {@code tidemark_meta.import_chunks} on the target (Lightning keeps its checkpoints beside the
 * data too). One row per chunk id; the worker updates it inside each batch's transaction, so what the row says is
 * exactly what the target holds, for any table, with or without a primary key. Its statements run between a dump's
 * own, so text goes in as UTF-8 bytes ({@link SessionText}) whatever SET NAMES the dump issued; the status read
 * back is ASCII, which every session charset reads alike.
 */
final class ChunkCheckpoints {
    static final String TABLE = "tidemark_meta.import_chunks";

    private ChunkCheckpoints() {
    }

    static void ensureTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(SessionText.utf8("CREATE DATABASE IF NOT EXISTS tidemark_meta"));
            st.execute(SessionText.utf8("CREATE TABLE IF NOT EXISTS " + TABLE + " ("
                    + "chunk_id VARCHAR(700) NOT NULL, "
                    + "migration_id VARCHAR(64) NOT NULL, "
                    + "table_name VARCHAR(400) NOT NULL, "
                    + "file VARCHAR(1024) NOT NULL, "
                    + "status VARCHAR(16) NOT NULL, "
                    + "statements_done BIGINT NOT NULL DEFAULT 0, "
                    + "bytes_done BIGINT NOT NULL DEFAULT 0, "
                    + "rows_done BIGINT NOT NULL DEFAULT 0, "
                    + "value_sum BIGINT NULL, "
                    + "updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), "
                    + "PRIMARY KEY (chunk_id), KEY idx_import_chunks_migration (migration_id)"
                    + ") DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"));
            addValueSumColumn(c, st);
        }
    }

    /**
     * A table created by a version before value checksums lacks {@code value_sum}: it is added, nullable, so its
     * existing rows read as null (no sum known: their chunks report none) while new chunks start at 0. Asked of
     * information_schema first, as MySQL has no {@code ADD COLUMN IF NOT EXISTS}.
     */
    private static void addValueSumColumn(Connection c, Statement st) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("SELECT COUNT(*) FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = 'tidemark_meta' AND TABLE_NAME = 'import_chunks'"
                + " AND COLUMN_NAME = 'value_sum'")); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getLong(1) > 0) {
                return;
            }
        }
        st.execute(SessionText.utf8("ALTER TABLE " + TABLE + " ADD COLUMN value_sum BIGINT NULL AFTER rows_done"));
    }

    /** the chunk's checkpoint, created fresh on its first delivery (autocommit) */
    static ChunkCheckpoint open(Connection c, ImportChunk chunk) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("INSERT IGNORE INTO " + TABLE
                + " (chunk_id, migration_id, table_name, file, status, value_sum) VALUES (?, ?, ?, ?, ?, 0)"))) {
            SessionText.bind(ps, 1, chunk.messageId());
            SessionText.bind(ps, 2, chunk.migrationId().value());
            SessionText.bind(ps, 3, chunk.table().toString());
            SessionText.bind(ps, 4, chunk.file());
            SessionText.bind(ps, 5, ChunkCheckpoint.Status.RUNNING.code());
            ps.executeUpdate();
        }
        return read(c, chunk.messageId(), false).orElseThrow(
                () -> new SQLException("checkpoint row of " + chunk.messageId() + " vanished after insert"));
    }

    /**
     * Locks the chunk's row for the open transaction and confirms it still says {@code expected}: a worker that finds
     * it advanced by someone else stops, so two workers never both commit the same statements.
     */
    static boolean lockUnchanged(Connection c, String chunkId, ChunkCheckpoint expected) throws SQLException {
        return read(c, chunkId, true).map(now -> now.equals(expected)).orElse(false);
    }

    /** writes the checkpoint in the open transaction; the caller commits it with the statements it counts */
    static void save(Connection c, String chunkId, ChunkCheckpoint cp) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("UPDATE " + TABLE
                + " SET statements_done = ?, bytes_done = ?, rows_done = ?, value_sum = ?, status = ? WHERE chunk_id = ?"))) {
            ps.setLong(1, cp.statements());
            ps.setLong(2, cp.bytes());
            ps.setLong(3, cp.rows());
            if (cp.valueSum() == null) {
                ps.setNull(4, Types.BIGINT);
            } else {
                ps.setLong(4, cp.valueSum());
            }
            SessionText.bind(ps, 5, cp.status().code());
            SessionText.bind(ps, 6, chunkId);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("checkpoint row of " + chunkId + " is missing");
            }
        }
    }

    private static Optional<ChunkCheckpoint> read(Connection c, String chunkId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8(
                "SELECT statements_done, bytes_done, rows_done, value_sum, status FROM " + TABLE + " WHERE chunk_id = ?"
                        + (forUpdate ? " FOR UPDATE" : "")))) {
            SessionText.bind(ps, 1, chunkId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long sum = rs.getLong(4);
                Long valueSum = rs.wasNull() ? null : sum;
                return Optional.of(new ChunkCheckpoint(rs.getLong(1), rs.getLong(2), rs.getLong(3), valueSum,
                        ChunkCheckpoint.Status.ofCode(rs.getString(5))));
            }
        }
    }
}
