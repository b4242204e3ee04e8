package io.tidemark.lightning.parquet;

import io.tidemark.common.table.TableRef;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.function.LongUnaryOperator;

/**
 * How each Parquet column type becomes a SQL literal, covering what AWS's snapshot export writes for MySQL and MariaDB
 * (through Spark) and what Parquet itself defines for flat columns:
 * <ul>
 * <li>INT32 / INT64, plain or {@code INT(bits, signed)}: the integer (unsigned ones read as unsigned); BOOLEAN: 1 or 0;
 *     YEAR arrives as a plain INT32, TINYINT UNSIGNED as {@code INT(16, true)}, INT UNSIGNED as INT64</li>
 * <li>{@code DECIMAL(p, s)} on INT32, INT64, FIXED_LEN_BYTE_ARRAY or BINARY: the exact decimal; BIGINT UNSIGNED
 *     arrives as {@code FIXED_LEN_BYTE_ARRAY(9) DECIMAL(20,0)}, a DECIMAL wider than 38 digits as a STRING</li>
 * <li>{@code TIMESTAMP(unit, adjusted)} on INT64 (DATETIME and TIMESTAMP): the UTC wall clock, to the microsecond,
 *     which an import session (time_zone +00:00) stores unchanged in a DATETIME and as that instant in a TIMESTAMP;
 *     {@code DATE} on INT32 and {@code TIME(unit)}: their text (AWS writes DATE and TIME as strings)</li>
 * <li>FLOAT / DOUBLE (AWS widens FLOAT to DOUBLE): the shortest decimal that reads back to the same value</li>
 * <li>{@code STRING}, {@code ENUM}, {@code JSON} on BINARY: UTF-8 text ({@link SqlLiterals#text}); BINARY and
 *     FIXED_LEN_BYTE_ARRAY without annotation (BLOB, BINARY, BIT, CHAR, geometry): the bytes as they are;
 *     {@code UUID}: its text</li>
 * </ul>
 * INT96 (Spark's legacy timestamp), nested and repeated columns and the other annotations are refused by name.
 * <p>
 * One encoding is Tidemark's own ({@link #temporalText}): a DATETIME or TIMESTAMP column that its dump wrote as text
 * in a file, because the file holds a value TIMESTAMP(MICROS) cannot (a zero date, a zero month or day, February
 * 31st under ALLOW_INVALID_DATES), named in the file's footer. Its text goes in as it is, checked to be a MySQL date
 * and time, which the import session's sql_mode (no NO_ZERO_DATE, no NO_ZERO_IN_DATE) stores unchanged.
 */
final class ValueWriters {
    /** 1582-10-15T00:00Z: the first Gregorian day; Spark 2 and Spark 3's LEGACY mode wrote earlier values Julian */
    static final long GREGORIAN_START_MICROS = -12_219_292_800_000_000L;
    private static final long GREGORIAN_START_DAY = -141_427;

    private ValueWriters() {
    }

    /** writes the reader's current (non-null) value; {@code row} is its index in the file, for error messages */
    @FunctionalInterface
    interface ValueWriter {
        void write(ColumnReader reader, StringBuilder sql, long row);
    }

    /**
     * The writer for one top-level column of a file.
     *
     * @param julianBeforeGregorian whether the writer stored dates before 1582-10-15 in the Julian calendar (a
     *                              Spark 2 file, or one Spark 3 wrote in LEGACY rebase mode), to be moved to the
     *                              proleptic Gregorian calendar MySQL uses
     */
    static ValueWriter forColumn(Type field, String file, TableRef table, boolean julianBeforeGregorian) {
        String name = field.getName();
        if (!field.isPrimitive()) {
            throw ParquetErrors.unsupportedColumn(file, table, name, describe(field), "it is a nested group"
                    + " (struct, LIST or MAP); an export of a MySQL-family table has flat columns only");
        }
        if (field.isRepetition(Type.Repetition.REPEATED)) {
            throw ParquetErrors.unsupportedColumn(file, table, name, describe(field), "a repeated column holds a"
                    + " list of values per row; an export of a MySQL-family table has one value per column");
        }
        PrimitiveType type = field.asPrimitiveType();
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        ValueWriter writer = switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> logical == null ? (r, sql, row) -> sql.append(r.getBoolean() ? '1' : '0') : null;
            case INT32 -> int32(logical, julianBeforeGregorian);
            case INT64 -> int64(logical, julianBeforeGregorian);
            case FLOAT -> logical == null ? (r, sql, row) -> real(r.getFloat(), sql, file, table, name, row) : null;
            case DOUBLE -> logical == null ? (r, sql, row) -> real(r.getDouble(), sql, file, table, name, row) : null;
            case BINARY, FIXED_LEN_BYTE_ARRAY -> bytes(type, logical);
            case INT96 -> throw ParquetErrors.unsupportedColumn(file, table, name, describe(field), "INT96 is the"
                    + " legacy timestamp of Spark and Impala, in an encoding Tidemark does not guess at; write the"
                    + " file with INT64 timestamps (Spark: spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS)"
                    + " and import it again. AWS snapshot exports write TIMESTAMP(MICROS) and never INT96");
        };
        if (writer == null) {
            throw ParquetErrors.unsupportedColumn(file, table, name, describe(field), "Tidemark maps the types AWS"
                    + " snapshot exports write (integers, DECIMAL, TIMESTAMP, DATE, TIME, FLOAT, DOUBLE, STRING,"
                    + " ENUM, JSON, UUID and plain binary); write this column as one of them");
        }
        return writer;
    }

    /**
     * The writer of a column the footer names as a DATETIME or TIMESTAMP written as text: a BINARY column whose every
     * value is {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, written as that string literal.
     */
    static ValueWriter temporalText(Type field, String file, TableRef table) {
        String name = field.getName();
        if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)
                || field.asPrimitiveType().getPrimitiveTypeName() != PrimitiveTypeName.BINARY) {
            throw ParquetErrors.corrupt(file, table, "its footer names column `" + name + "` as a date and time"
                    + " written as text, but the column is " + describe(field), null);
        }
        return (r, sql, row) -> {
            Binary b = r.getBinary();
            if (!SqlLiterals.temporal(b.getBytesUnsafe(), 0, b.length(), sql)) {
                throw ParquetErrors.corrupt(file, table, "row " + row + ", column `" + name + "`: the footer names"
                        + " it a date and time written as text, but the value is not one (YYYY-MM-DD"
                        + " HH:MM:SS[.ffffff])", null);
            }
        };
    }

    /** {@code optional int64 created (TIMESTAMP(MICROS,true))}, as parquet-java prints a schema */
    static String describe(Type field) {
        return field.toString().strip().replaceAll("\\s+", " ");
    }

    private static ValueWriter int32(LogicalTypeAnnotation logical, boolean julian) {
        if (logical == null) {
            return (r, sql, row) -> sql.append(r.getInteger());
        }
        return switch (logical) {
            case IntLogicalTypeAnnotation i when i.isSigned() -> (r, sql, row) -> sql.append(r.getInteger());
            case IntLogicalTypeAnnotation i -> (r, sql, row) -> sql.append(Integer.toUnsignedString(r.getInteger()));
            case DecimalLogicalTypeAnnotation d -> (r, sql, row) ->
                    sql.append(BigDecimal.valueOf(r.getInteger(), d.getScale()).toPlainString());
            case LogicalTypeAnnotation.DateLogicalTypeAnnotation ignored -> (r, sql, row) ->
                    SqlLiterals.ascii(SqlLiterals.date(julian ? gregorianDay(r.getInteger()) : r.getInteger()), sql);
            case TimeLogicalTypeAnnotation t when t.getUnit() == TimeUnit.MILLIS -> (r, sql, row) ->
                    SqlLiterals.ascii(SqlLiterals.time(r.getInteger() * 1000L), sql);
            default -> null;
        };
    }

    private static ValueWriter int64(LogicalTypeAnnotation logical, boolean julian) {
        if (logical == null) {
            return (r, sql, row) -> sql.append(r.getLong());
        }
        return switch (logical) {
            case IntLogicalTypeAnnotation i when i.isSigned() -> (r, sql, row) -> sql.append(r.getLong());
            case IntLogicalTypeAnnotation i -> (r, sql, row) -> sql.append(Long.toUnsignedString(r.getLong()));
            case DecimalLogicalTypeAnnotation d -> (r, sql, row) ->
                    sql.append(BigDecimal.valueOf(r.getLong(), d.getScale()).toPlainString());
            case TimestampLogicalTypeAnnotation t -> timestamp(t.getUnit(), julian);
            case TimeLogicalTypeAnnotation t when t.getUnit() == TimeUnit.MICROS -> (r, sql, row) ->
                    SqlLiterals.ascii(SqlLiterals.time(r.getLong()), sql);
            case TimeLogicalTypeAnnotation t when t.getUnit() == TimeUnit.NANOS -> (r, sql, row) ->
                    SqlLiterals.ascii(SqlLiterals.time(micros(r.getLong(), 1000)), sql); // cut to the microsecond
            default -> null;
        };
    }

    /**
     * Whether the value is adjusted to UTC (Spark's TIMESTAMP, what AWS writes for DATETIME and TIMESTAMP) or not,
     * the number counts from 1970-01-01T00:00 on a UTC clock, so its UTC wall clock is the value. Nanoseconds are cut
     * to the microsecond: no MySQL-family column holds more (AWS writes microseconds).
     */
    private static ValueWriter timestamp(TimeUnit unit, boolean julian) {
        LongUnaryOperator toMicros = switch (unit) {
            case MILLIS -> v -> v * 1000;
            case MICROS -> v -> v;
            case NANOS -> v -> micros(v, 1000);
        };
        return (r, sql, row) ->
                SqlLiterals.ascii(SqlLiterals.dateTime(rebase(toMicros.applyAsLong(r.getLong()), julian)), sql);
    }

    private static long micros(long value, long perMicro) {
        return Math.floorDiv(value, perMicro);
    }

    private static ValueWriter bytes(PrimitiveType type, LogicalTypeAnnotation logical) {
        if (logical == null) {
            return (r, sql, row) -> {
                Binary b = r.getBinary();
                SqlLiterals.bytes(b.getBytesUnsafe(), 0, b.length(), sql);
            };
        }
        boolean binary = type.getPrimitiveTypeName() == PrimitiveTypeName.BINARY;
        return switch (logical) {
            case LogicalTypeAnnotation.StringLogicalTypeAnnotation ignored when binary -> ValueWriters::text;
            case LogicalTypeAnnotation.EnumLogicalTypeAnnotation ignored when binary -> ValueWriters::text;
            case LogicalTypeAnnotation.JsonLogicalTypeAnnotation ignored when binary -> ValueWriters::text;
            case DecimalLogicalTypeAnnotation d -> (r, sql, row) -> {
                byte[] unscaled = r.getBinary().getBytes();
                BigInteger value = unscaled.length == 0 ? BigInteger.ZERO : new BigInteger(unscaled);
                sql.append(new BigDecimal(value, d.getScale()).toPlainString());
            };
            case LogicalTypeAnnotation.UUIDLogicalTypeAnnotation ignored when type.getTypeLength() == 16 ->
                    (r, sql, row) -> {
                        byte[] u = r.getBinary().getBytes();
                        sql.append('\'');
                        SqlLiterals.hex(u, 0, 4, sql);
                        sql.append('-');
                        SqlLiterals.hex(u, 4, 6, sql);
                        sql.append('-');
                        SqlLiterals.hex(u, 6, 8, sql);
                        sql.append('-');
                        SqlLiterals.hex(u, 8, 10, sql);
                        sql.append('-');
                        SqlLiterals.hex(u, 10, 16, sql);
                        sql.append('\'');
                    };
            default -> null;
        };
    }

    private static void text(ColumnReader r, StringBuilder sql, long row) {
        Binary b = r.getBinary();
        SqlLiterals.text(b.getBytesUnsafe(), 0, b.length(), sql);
    }

    private static void real(double value, StringBuilder sql, String file, TableRef table, String column, long row) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw ParquetErrors.badValue(file, table, column, row, "the value is " + value + ", which no MySQL-family"
                    + " FLOAT or DOUBLE column holds; replace it in the source (e.g. with NULL) and export again");
        }
        sql.append(value);
    }

    private static void real(float value, StringBuilder sql, String file, TableRef table, String column, long row) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            throw ParquetErrors.badValue(file, table, column, row, "the value is " + value + ", which no MySQL-family"
                    + " FLOAT or DOUBLE column holds; replace it in the source (e.g. with NULL) and export again");
        }
        sql.append(value);
    }

    private static long rebase(long micros, boolean julian) {
        return julian && micros < GREGORIAN_START_MICROS ? JulianDates.toGregorianMicros(micros) : micros;
    }

    private static long gregorianDay(int day) {
        return day < GREGORIAN_START_DAY ? JulianDates.toGregorianDay(day) : day;
    }
}
