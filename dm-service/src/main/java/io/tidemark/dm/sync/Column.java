package io.tidemark.dm.sync;

import io.tidemark.mysql.column.ColumnTypes;

import java.util.List;
import java.util.Locale;

/**
 * One column as the target's information_schema describes it: what turns a binlog cell into an exact value.
 *
 * @param dataType   lower-case DATA_TYPE (int, varchar, datetime, ...)
 * @param columnType lower-case COLUMN_TYPE (int(10) unsigned, enum('a','b'), bit(10), ...)
 * @param charset    CHARACTER_SET_NAME; null for numbers, temporals and binary strings
 * @param generated  a generated column: never written, never compared
 */
record Column(String name, String dataType, String columnType, String charset, boolean nullable, boolean generated) {
    Column {
        dataType = dataType.toLowerCase(Locale.ROOT);
        columnType = columnType.toLowerCase(Locale.ROOT);
    }

    boolean unsigned() {
        return columnType.contains("unsigned");
    }

    /** the storage width of an integer column (TINYINT 8 … BIGINT 64); 0 for every other type */
    int integerBits() {
        return switch (dataType) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            case "bigint" -> 64;
            default -> 0;
        };
    }

    /** the members of an ENUM or SET, in declaration order (index 0 is the first member) */
    List<String> members() {
        return ColumnTypes.members(columnType);
    }

    /** M of BIT(M) */
    int bitWidth() {
        int open = columnType.indexOf('(');
        int close = columnType.indexOf(')');
        return open < 0 ? 1 : Integer.parseInt(columnType.substring(open + 1, close).trim());
    }
}
