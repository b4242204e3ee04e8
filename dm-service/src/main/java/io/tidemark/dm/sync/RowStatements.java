package io.tidemark.dm.sync;

import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.List;

/**
 * The statements one table's row changes become, built once per table definition.
 * Normal mode: INSERT, UPDATE … WHERE key, DELETE … WHERE key. Safe mode (before the snapshot's end point, where the
 * target may already hold a change): INSERT → REPLACE, UPDATE → DELETE by the old key + REPLACE, DELETE stays, so
 * replaying a change twice leaves the same row. Without a primary or NOT NULL unique key every written column is the
 * key, compared with {@code <=>} (NULL-safe) and limited to one row.
 */
final class RowStatements {
    private final TableSchema schema;
    private final List<Integer> written;
    private final String insert;
    private final String replace;
    private final String update;
    private final String delete;
    /** the table's name for messages, written once: every row change carries it */
    private final String subject;
    /** the columns of the primary key and unique indexes: all {@link Causality} reads of a row */
    private final boolean[] keyColumns;

    RowStatements(TableSchema schema) {
        this.schema = schema;
        this.subject = schema.table().toString();
        this.written = new ArrayList<>();
        for (int i = 0; i < schema.columns().size(); i++) {
            if (!schema.columns().get(i).generated()) {
                written.add(i);
            }
        }
        this.keyColumns = new boolean[schema.columns().size()];
        schema.uniques().forEach(u -> u.forEach(i -> keyColumns[i] = true));
        String table = schema.table().quoted();
        String columns = String.join(", ", written.stream().map(i -> q(i)).toList());
        String marks = String.join(", ", written.stream().map(i -> "?").toList());
        this.insert = "INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")";
        this.replace = "REPLACE INTO " + table + " (" + columns + ") VALUES (" + marks + ")";
        String where = where();
        String limit = schema.keyKind() == TableSchema.KeyKind.ALL_COLUMNS ? " LIMIT 1" : "";
        this.update = "UPDATE " + table + " SET " + String.join(", ", written.stream().map(i -> q(i) + " = ?").toList())
                + " WHERE " + where + limit;
        this.delete = "DELETE FROM " + table + " WHERE " + where + limit;
    }

    TableSchema schema() {
        return schema;
    }

    /** shared, not to be written */
    boolean[] keyColumns() {
        return keyColumns;
    }

    List<SqlStatement> insert(Object[] row, boolean safeMode) {
        return List.of(new SqlStatement(subject(), safeMode ? replace : insert, values(row)));
    }

    List<SqlStatement> update(Object[] before, Object[] after, boolean safeMode) {
        if (safeMode) {
            return List.of(new SqlStatement(subject(), delete, keyValues(before)),
                    new SqlStatement(subject(), replace, values(after)));
        }
        List<Object> params = values(after);
        params.addAll(keyValues(before));
        return List.of(new SqlStatement(subject(), update, params));
    }

    List<SqlStatement> delete(Object[] before) {
        return List.of(new SqlStatement(subject(), delete, keyValues(before)));
    }

    private String where() {
        String op = schema.keyKind() == TableSchema.KeyKind.ALL_COLUMNS ? " <=> ?" : " = ?";
        return String.join(" AND ", schema.key().stream().map(i -> q(i) + op).toList());
    }

    private List<Object> values(Object[] row) {
        List<Object> out = new ArrayList<>(written.size());
        for (int i : written) {
            out.add(row[i]);
        }
        return out;
    }

    private List<Object> keyValues(Object[] row) {
        List<Object> out = new ArrayList<>(schema.key().size());
        for (int i : schema.key()) {
            out.add(row[i]);
        }
        return out;
    }

    private String q(int column) {
        return TableRef.quote(schema.columns().get(column).name());
    }

    private String subject() {
        return subject;
    }
}
