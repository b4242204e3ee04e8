package io.tidemark.dm.sync;

import java.io.Serializable;
import java.util.BitSet;
import java.util.List;

/**
 * One row change on its way to the target: its statements, either built already or built by whoever applies it. With
 * parallel apply the sync session's thread converts only the key columns it routes by, and the apply worker the row
 * goes to converts the whole row and builds its statements ({@link Raw}) — the conversion was the replicator thread's
 * largest cost while the workers were mostly idle. A conversion error is the same catalog error either way (naming
 * table and column); from a worker it reaches the sync session at its next hand-over or commit, before any checkpoint.
 * Immutable; a {@link Raw} reads only what no thread writes any more (the binlog client's cells, immutable schemas).
 */
sealed interface RowChange {
    /** the statements, converting the row first where it is still raw */
    List<SqlStatement> statements();

    /** how many statements {@link #statements()} gives, without building them */
    int size();

    record Built(List<SqlStatement> statements) implements RowChange {
        @Override
        public int size() {
            return statements.size();
        }
    }

    /**
     * A binlog row as read, with what converting and writing it takes.
     *
     * @param target the target table's statements
     * @param shape  the columns the binlog row holds (the target's, less any its route fills)
     * @param wide   how the row widens into the target table (extract-*), or null
     * @param before the before image (UPDATE, DELETE), else null; {@code after} likewise (INSERT, UPDATE)
     */
    record Raw(RowStatements target, TableSchema shape, ExtractedRows wide, SourceTypes types, boolean safe,
               BitSet beforeColumns, Serializable[] before, BitSet afterColumns, Serializable[] after)
            implements RowChange {
        @Override
        public List<SqlStatement> statements() {
            Object[] b = beforeRow();
            Object[] a = afterRow();
            if (b == null) {
                return target.insert(a, safe);
            }
            return a == null ? target.delete(b) : target.update(b, a, safe);
        }

        @Override
        public int size() {
            return before != null && after != null && safe ? 2 : 1;
        }

        /** the before image converted to the target table's row, or null for an INSERT */
        Object[] beforeRow() {
            return before == null ? null : convert(beforeColumns, before);
        }

        /** the after image converted to the target table's row, or null for a DELETE */
        Object[] afterRow() {
            return after == null ? null : convert(afterColumns, after);
        }

        private Object[] convert(BitSet included, Serializable[] raw) {
            Object[] row = ValueConverter.row(shape, types, included, raw);
            return wide == null ? row : wide.widen(row);
        }
    }
}
