package io.tidemark.lightning.chunk;

import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.target.SessionText;
import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.RowDigest;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The value digest of a chunk's rows, continued from its checkpoint: over the target table's columns, as the
 * coordinator's {@code ValueChecksum} reads them after the import, each fed from the file column written into it.
 * There is none when a target column takes no value from the file (a generated column, one left to its default): the
 * target's value of it is not in the file, so the sum could only differ; nor when the checkpoint holds no sum (a
 * value's stored form was not known, or the row predates value sums).
 *
 * @param digest  the digest, holding the rows the checkpoint counts
 * @param columns for the file's i-th written column, its index among the digest's columns
 */
record ChunkDigest(RowDigest digest, int[] columns) {

    /** the digest of a chunk writing {@code written} (target names, in the file's order), resumed from {@code from} */
    static Optional<ChunkDigest> of(Connection c, TableRef table, List<String> written, ChunkCheckpoint from)
            throws SQLException {
        return of(c, table, written, from, List.of());
    }

    /**
     * As {@link #of(Connection, TableRef, List, ChunkCheckpoint)}, the target's columns that the chunk's route fills
     * ({@code filled}, DM's extract-*) left out: the files never held their values, and the coordinator's count leaves
     * them out too
     */
    static Optional<ChunkDigest> of(Connection c, TableRef table, List<String> written, ChunkCheckpoint from,
                                    List<String> filled) throws SQLException {
        Optional<RowDigest> digest = resumed(c, table, from, filled);
        if (digest.isEmpty()) {
            return Optional.empty();
        }
        int[] index = feeding(digest.get().columns(), written);
        return index == null ? Optional.empty() : Optional.of(new ChunkDigest(digest.get(), index));
    }

    /** the digest over the target table's columns holding the rows {@code from} counts; empty when it holds no sum */
    static Optional<RowDigest> resumed(Connection c, TableRef table, ChunkCheckpoint from) throws SQLException {
        return resumed(c, table, from, List.of());
    }

    /** as {@link #resumed(Connection, TableRef, ChunkCheckpoint)}, the columns in {@code filled} left out */
    static Optional<RowDigest> resumed(Connection c, TableRef table, ChunkCheckpoint from, List<String> filled)
            throws SQLException {
        if (from.valueSum() == null) {
            return Optional.empty();
        }
        List<DigestColumn> columns = targetColumns(c, table).stream().filter(col -> filled.stream()
                .noneMatch(f -> f.equalsIgnoreCase(col.name()))).toList();
        return Optional.of(new RowDigest(columns, from.rows(), from.valueSum(), true));
    }

    /**
     * For each written column (target names, in the file's order), its index among {@code target}; null when one is
     * not a target column or a target column is not written.
     */
    static int[] feeding(List<DigestColumn> target, List<String> written) {
        int[] index = new int[written.size()];
        boolean[] fed = new boolean[target.size()];
        for (int i = 0; i < written.size(); i++) {
            index[i] = -1;
            for (int k = 0; k < target.size(); k++) {
                if (target.get(k).name().toLowerCase(Locale.ROOT).equals(written.get(i).toLowerCase(Locale.ROOT))) {
                    index[i] = k;
                    fed[k] = true;
                }
            }
            if (index[i] < 0) {
                return null;
            }
        }
        for (boolean f : fed) {
            if (!f) {
                return null;
            }
        }
        return index;
    }

    /** the sum to save with a checkpoint: null once a value's stored form was not known */
    Long sum() {
        return digest.complete() ? digest.sum() : null;
    }

    /**
     * The table's columns as {@link DigestColumns} reads them, but with names and parameters as the import session
     * carries text ({@link SessionText}), so a non-ASCII name matches.
     */
    private static List<DigestColumn> targetColumns(Connection c, TableRef table) throws SQLException {
        List<DigestColumn> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SessionText.utf8("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE,"
                + " NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_OCTET_LENGTH, CHARACTER_SET_NAME"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION"))) {
            SessionText.bind(ps, 1, table.schema());
            SessionText.bind(ps, 2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(DigestColumns.column(utf8(rs, 1), utf8(rs, 2), utf8(rs, 3), rs.getInt(4),
                            rs.getInt(5), rs.getLong(6), utf8(rs, 7)));
                }
            }
        }
        return columns;
    }

    private static String utf8(ResultSet rs, int column) throws SQLException {
        byte[] bytes = rs.getBytes(column);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
