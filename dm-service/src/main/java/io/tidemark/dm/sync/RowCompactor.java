package io.tidemark.dm.sync;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One apply worker's row changes of single-key tables, compacted between two of its commits (DM's {@code compact} and
 * {@code multiple-rows} together): the changes of one row become the row's net state — there (its last image) or gone —
 * written at the commit as one multi-row REPLACE or INSERT and one DELETE … IN list per table. sysbench's
 * {@code oltp_write_only} changes a row four times in a transaction (two UPDATEs, DELETE, INSERT): it becomes one row of
 * a REPLACE; and UPDATEs, which cannot be multi-row statements, become rows of a multi-row one.
 *
 * <p>Why it is exact: only tables whose one unique index is their key are compacted ({@link #compacts}), so changes of
 * different rows never touch each other and their order does not matter; the changes of one row come in the order
 * {@link Causality} keeps. The target sees what it would after applying them one by one: a row there before
 * ({@code UPDATE}, {@code DELETE} first) is replaced or deleted; a row new in this batch ({@code INSERT} first) is
 * inserted — a row the target already has still fails as a duplicate in normal mode, as the INSERT would — or, if it
 * went again, not written at all. In safe mode (a change that may be on the target already) every row is replaced or
 * deleted. A worker commits its rows only at the sync session's commit, so no one ever saw the states between.
 *
 * <p>Keys are looked up folded ({@link Causality#fold}), so that {@code 'A'} deleted and {@code 'a'} inserted under a
 * case-insensitive collation are one row; where a change's exact key differs from the one held under the same folded
 * key, what is held is written first and the change starts afresh, so a binary collation loses nothing either. At most
 * {@value #MAX_ROWS} rows are held: memory stays bounded in any transaction. Not thread-safe: its worker's thread only.
 */
final class RowCompactor {
    static final int MAX_ROWS = 4096;

    /** one row's net change since the last commit */
    private static final class Net {
        /** the row's key as last written, exactly */
        Object[] key;
        /** the last image: the row (there) or the row as it was deleted (gone) */
        Object[] image;
        boolean there;
        /** the first change was an UPDATE or DELETE: the row was on the target before this batch */
        final boolean existed;
        /** one of its changes was in safe mode */
        boolean safe;

        Net(Object[] key, boolean existed) {
            this.key = key;
            this.existed = existed;
        }
    }

    /** per table definition (identity: a DDL builds a new one, after a flush), its rows in the order first seen */
    private final Map<RowStatements, Map<List<Object>, Net>> tables = new LinkedHashMap<>();
    private int rows;

    /** whether {@code table}'s changes can be compacted: a real key that is its only unique index */
    static boolean compacts(RowStatements table) {
        TableSchema schema = table.schema();
        return schema.keyKind() != TableSchema.KeyKind.ALL_COLUMNS && schema.uniques().size() == 1
                && schema.uniques().getFirst().equals(schema.key());
    }

    /**
     * Adds one change of a table {@link #compacts} accepts; may write what is held to {@code batch} first.
     *
     * @param before the row before (UPDATE, DELETE), else null; {@code after} likewise (INSERT, UPDATE)
     */
    void add(RowStatements table, Object[] before, Object[] after, boolean safe, TargetBatch batch)
            throws SQLException {
        if (rows >= MAX_ROWS) {
            drainTo(batch);
        }
        if (before != null && after != null && !sameKey(table, before, after)) {
            // an UPDATE moving the row to another key: the old row goes, a new one comes
            change(table, before, null, safe, batch);
            change(table, null, after, safe, batch);
            return;
        }
        change(table, before, after, safe, batch);
    }

    private void change(RowStatements table, Object[] before, Object[] after, boolean safe, TargetBatch batch)
            throws SQLException {
        Object[] image = after != null ? after : before;
        Object[] key = key(table, image);
        Map<List<Object>, Net> held = tables.computeIfAbsent(table, t -> new HashMap<>());
        List<Object> folded = folded(key);
        Net net = held.get(folded);
        if (net != null && !Arrays.deepEquals(net.key, key)) {
            // one folded key, two exact ones: what is held goes first, in its order
            drainTo(batch);
            held = tables.computeIfAbsent(table, t -> new HashMap<>());
            net = null;
        }
        if (net == null) {
            net = new Net(key, before != null);
            held.put(folded, net);
            rows++;
        }
        net.key = key;
        net.image = image;
        net.there = after != null;
        net.safe |= safe;
    }

    /** writes every row held to {@code batch}, per table its deletes, then its replaces, then its inserts */
    void drainTo(TargetBatch batch) throws SQLException {
        for (Map.Entry<RowStatements, Map<List<Object>, Net>> t : tables.entrySet()) {
            RowStatements table = t.getKey();
            List<Net> replaced = new ArrayList<>();
            List<Net> inserted = new ArrayList<>();
            for (Net net : t.getValue().values()) {
                boolean mayBeThere = net.existed || net.safe;
                if (!net.there) {
                    if (mayBeThere) {
                        add(batch, table.delete(net.image));
                    }
                } else if (mayBeThere) {
                    replaced.add(net);
                } else {
                    inserted.add(net);
                }
            }
            for (Net net : replaced) {
                add(batch, table.insert(net.image, true));
            }
            for (Net net : inserted) {
                add(batch, table.insert(net.image, false));
            }
        }
        clear();
    }

    /** forgets what is held (the worker rolls back) */
    void clear() {
        tables.clear();
        rows = 0;
    }

    boolean isEmpty() {
        return rows == 0;
    }

    private static void add(TargetBatch batch, List<SqlStatement> statements) throws SQLException {
        for (SqlStatement s : statements) {
            batch.add(s);
        }
    }

    private static boolean sameKey(RowStatements table, Object[] before, Object[] after) {
        return Arrays.deepEquals(key(table, before), key(table, after));
    }

    private static Object[] key(RowStatements table, Object[] row) {
        List<Integer> columns = table.schema().key();
        Object[] key = new Object[columns.size()];
        for (int j = 0; j < key.length; j++) {
            key[j] = row[columns.get(j)];
        }
        return key;
    }

    private static List<Object> folded(Object[] key) {
        Object[] f = new Object[key.length];
        for (int j = 0; j < key.length; j++) {
            f[j] = key[j] == null ? null : Causality.fold(key[j]);
        }
        return Arrays.asList(f);
    }
}
