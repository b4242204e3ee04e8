package io.tidemark.snapshot.dump;

import java.util.Locale;

/**
 * How a column's value is written as a SQL literal, decided from {@code information_schema.COLUMNS.DATA_TYPE}.
 * Values are always read as the server's text (never through java.sql types), so zero dates, TIME beyond 24 hours
 * and unsigned extremes survive unchanged.
 */
enum ColumnKind {
    /** integers, DECIMAL, FLOAT/DOUBLE, YEAR: the server's text, unquoted (it parses back to the same value) */
    NUMBER,
    /** BIT(n): the raw big-endian bytes, as a bit-value literal b'...' */
    BIT,
    /** BINARY, VARBINARY, BLOBs, spatial types: hex 0x..., the empty value as '' */
    BYTES,
    /** character strings, ENUM, SET, JSON, temporal types and anything unknown: a quoted, escaped string */
    TEXT;

    static ColumnKind of(String dataType) {
        return switch (dataType.toLowerCase(Locale.ROOT)) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float",
                 "double", "real", "double precision", "year" -> NUMBER;
            case "bit" -> BIT;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point",
                 "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection",
                 "geomcollection" -> BYTES;
            default -> TEXT;
        };
    }
}
