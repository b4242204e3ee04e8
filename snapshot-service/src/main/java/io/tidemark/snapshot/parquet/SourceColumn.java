package io.tidemark.snapshot.parquet;

import java.util.Locale;

/**
 * A column as {@code information_schema.COLUMNS} describes it: what decides its Parquet type, and what the export's
 * {@code schemaMetadata} reports of it.
 *
 * @param dataType           {@code DATA_TYPE}, e.g. {@code bigint}
 * @param columnType         {@code COLUMN_TYPE}, e.g. {@code bigint(20) unsigned}
 * @param precision          {@code NUMERIC_PRECISION}, 0 when the type has none
 * @param scale              {@code NUMERIC_SCALE}, 0 when the type has none
 * @param charMaxLength      {@code CHARACTER_MAXIMUM_LENGTH}, 0 when the type has none
 * @param datetimePrecision  {@code DATETIME_PRECISION}, 0 when the type has none
 */
public record SourceColumn(String name, String dataType, String columnType, long precision, long scale,
                           long charMaxLength, long datetimePrecision) {
    public SourceColumn {
        dataType = dataType.toLowerCase(Locale.ROOT);
        columnType = columnType == null ? dataType : columnType.toLowerCase(Locale.ROOT);
    }

    /** a column known by its name and data type only */
    public static SourceColumn of(String name, String dataType) {
        return new SourceColumn(name, dataType, dataType, 0, 0, 0, 0);
    }

    public boolean unsigned() {
        return columnType.contains("unsigned");
    }
}
