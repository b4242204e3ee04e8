package io.tidemark.dm.sync;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.ExtractedColumn;
import io.tidemark.common.table.TableRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of one source table going into a target table with columns its route fills (DM's extract-table,
 * extract-schema, extract-source): the binlog's row has the source's columns, the target's has those plus the filled
 * ones, wherever they stand. The binlog row is read against {@link #sourceSchema()} (the target's columns less the
 * filled ones, in order) and {@link #widen}ed to the target's shape with the source table's values in the filled
 * columns, so statements set them and find rows by them where they are part of the key. Immutable.
 */
final class ExtractedRows {
    private final TableSchema sourceSchema;
    private final int[] targetOrdinal;
    private final Object[] template;

    private ExtractedRows(TableSchema sourceSchema, int[] targetOrdinal, Object[] template) {
        this.sourceSchema = sourceSchema;
        this.targetOrdinal = targetOrdinal;
        this.template = template;
    }

    /**
     * @throws TidemarkException TARGET_STATEMENT_FAILED when the target table lacks a filled column
     */
    static ExtractedRows of(TableSchema target, TableRef source, List<ExtractedColumn> filled) {
        Object[] template = new Object[target.columns().size()];
        boolean[] isFilled = new boolean[template.length];
        for (ExtractedColumn e : filled) {
            int at = -1;
            for (int i = 0; i < target.columns().size(); i++) {
                if (target.columns().get(i).name().toLowerCase(Locale.ROOT)
                        .equals(e.column().toLowerCase(Locale.ROOT))) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, target.table(), "the route of "
                        + source + " fills column `" + e.column() + "` (extract-table/-schema/-source), which the"
                        + " target table lacks; add it there (e.g. ALTER TABLE " + target.table().quoted()
                        + " ADD COLUMN " + e.quotedColumn() + " VARCHAR(255)) and resume");
            }
            template[at] = e.value();
            isFilled[at] = true;
        }
        List<Column> columns = new ArrayList<>();
        List<Integer> ordinals = new ArrayList<>();
        for (int i = 0; i < template.length; i++) {
            if (!isFilled[i]) {
                columns.add(target.columns().get(i));
                ordinals.add(i);
            }
        }
        // the key is only read from the target's shape, after widening; the source's view needs none of it
        TableSchema shape = new TableSchema(target.table(), columns, List.of(), target.keyKind());
        return new ExtractedRows(shape, ordinals.stream().mapToInt(Integer::intValue).toArray(), template);
    }

    /** the target's columns that the binlog row holds, in order */
    TableSchema sourceSchema() {
        return sourceSchema;
    }

    /** {@code targetColumns} (a mark per target column) as marks per column of {@link #sourceSchema()} */
    boolean[] sourceColumns(boolean[] targetColumns) {
        boolean[] out = new boolean[targetOrdinal.length];
        for (int i = 0; i < targetOrdinal.length; i++) {
            out[i] = targetColumns[targetOrdinal[i]];
        }
        return out;
    }

    /** the binlog row (read against {@link #sourceSchema()}) in the target's shape, the filled columns set */
    Object[] widen(Object[] sourceRow) {
        Object[] out = template.clone();
        for (int i = 0; i < targetOrdinal.length && i < sourceRow.length; i++) {
            out[targetOrdinal[i]] = sourceRow[i];
        }
        return out;
    }
}
