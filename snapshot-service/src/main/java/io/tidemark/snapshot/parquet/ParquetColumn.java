package io.tidemark.snapshot.parquet;

import io.tidemark.common.table.TableRef;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;

/**
 * How one source column is written, with the Parquet types AWS documents for its Aurora / RDS snapshot export of
 * MySQL and MariaDB ("Data conversion when exporting to an Amazon S3 bucket"):
 * <ul>
 * <li>TINYINT, SMALLINT, MEDIUMINT, INT, SMALLINT UNSIGNED, YEAR: INT32; TINYINT UNSIGNED: INT32 {@code INT(16,true)};
 *     BIGINT, MEDIUMINT UNSIGNED, INT UNSIGNED: INT64; BIGINT UNSIGNED: FIXED_LEN_BYTE_ARRAY(9) DECIMAL(20,0)</li>
 * <li>DECIMAL(p,s): INT32 up to 9 digits, INT64 up to 18, FIXED_LEN_BYTE_ARRAY(n) up to 38 (n as Spark sizes it),
 *     and past 38 digits, which Parquet's DECIMAL does not take, its text as STRING</li>
 * <li>FLOAT and DOUBLE: DOUBLE (a FLOAT is read widened to double, every bit of it kept)</li>
 * <li>DATETIME and TIMESTAMP: INT64 {@code TIMESTAMP(MICROS,true)}, the UTC wall clock (the session reads TIMESTAMP at
 *     +00:00, so that is its instant); DATE and TIME: their text as STRING, as AWS writes them</li>
 * <li>CHAR, BINARY, VARBINARY, the BLOBs, BIT and the spatial types: BYTE_ARRAY without annotation, the stored bytes;
 *     VARCHAR, the TEXTs, ENUM, SET, JSON and anything else: STRING, converted to UTF-8 by the server</li>
 * </ul>
 * Every column is {@code optional}, as Spark writes them. One value AWS's types cannot hold is a DATETIME or TIMESTAMP
 * whose date is zero, or zero in part, or not in the calendar ({@code 0000-00-00 00:00:00}, {@code 2024-00-10},
 * {@code 2023-02-31} under ALLOW_INVALID_DATES): a file meeting one writes that column as its text from then on
 * ({@link #asText}), and names it in the footer ({@link ParquetTable#TEMPORAL_TEXT}). Not thread-safe for writing:
 * one table's thread.
 */
final class ParquetColumn {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final int MAX_LONG_DIGITS = 18;
    private static final int MAX_INT_DIGITS = 9;
    private static final int MAX_DECIMAL_DIGITS = 38;

    enum Encoding {
        INT32, TINY_UNSIGNED, INT64, BIGINT_UNSIGNED, DECIMAL_INT32, DECIMAL_INT64, DECIMAL_FIXED, DOUBLE,
        /** text the server sends as UTF-8 (or ASCII: DATE, TIME, a DECIMAL past 38 digits) */
        STRING,
        BYTES, TIMESTAMP,
        /** Tidemark's own: a DATETIME or TIMESTAMP column's text, in a file that names the column in its footer */
        TIMESTAMP_TEXT
    }

    private final SourceColumn source;
    private final Encoding encoding;
    private final PrimitiveType type;
    private final String select;
    private final int scale;
    private final int fixedLength;

    private ParquetColumn(SourceColumn source, Encoding encoding, PrimitiveType type, String select, int scale,
                          int fixedLength) {
        this.source = source;
        this.encoding = encoding;
        this.type = type;
        this.select = select;
        this.scale = scale;
        this.fixedLength = fixedLength;
    }

    static ParquetColumn of(SourceColumn c) {
        String name = c.name();
        String column = TableRef.quote(name);
        return switch (c.dataType()) {
            case "tinyint" -> c.unsigned()
                    ? plain(c, Encoding.TINY_UNSIGNED, Types.optional(PrimitiveTypeName.INT32)
                    .as(LogicalTypeAnnotation.intType(16, true)).named(name))
                    : plain(c, Encoding.INT32, Types.optional(PrimitiveTypeName.INT32).named(name));
            case "smallint", "year" -> plain(c, Encoding.INT32, Types.optional(PrimitiveTypeName.INT32).named(name));
            case "mediumint", "int", "integer" -> c.unsigned()
                    ? plain(c, Encoding.INT64, Types.optional(PrimitiveTypeName.INT64).named(name))
                    : plain(c, Encoding.INT32, Types.optional(PrimitiveTypeName.INT32).named(name));
            case "bigint" -> c.unsigned()
                    ? new ParquetColumn(c, Encoding.BIGINT_UNSIGNED, Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                    .length(9).as(LogicalTypeAnnotation.decimalType(0, 20)).named(name), column, 0, 9)
                    : plain(c, Encoding.INT64, Types.optional(PrimitiveTypeName.INT64).named(name));
            case "decimal", "numeric", "fixed", "dec" -> decimal(c, column);
            case "float", "real" -> new ParquetColumn(c, Encoding.DOUBLE,
                    Types.optional(PrimitiveTypeName.DOUBLE).named(name), "(" + column + " + 0e0)", 0, 0);
            case "double", "double precision" ->
                    plain(c, Encoding.DOUBLE, Types.optional(PrimitiveTypeName.DOUBLE).named(name));
            case "datetime", "timestamp" -> plain(c, Encoding.TIMESTAMP, Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name));
            case "date", "time" -> plain(c, Encoding.STRING, string(name));
            case "char", "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "bit", "geometry",
                 "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" ->
                    plain(c, Encoding.BYTES, Types.optional(PrimitiveTypeName.BINARY).named(name));
            default -> new ParquetColumn(c, Encoding.STRING, string(name),
                    "CONVERT(" + column + " USING utf8mb4)", 0, 0);
        };
    }

    private static ParquetColumn plain(SourceColumn c, Encoding encoding, PrimitiveType type) {
        return new ParquetColumn(c, encoding, type, TableRef.quote(c.name()), 0, 0);
    }

    private static PrimitiveType string(String name) {
        return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
    }

    private static ParquetColumn decimal(SourceColumn c, String column) {
        int p = (int) c.precision();
        int s = (int) c.scale();
        String name = c.name();
        if (p < 1 || p > MAX_DECIMAL_DIGITS) {
            // Parquet's DECIMAL stops at 38 digits: AWS writes wider ones as their text
            return new ParquetColumn(c, Encoding.STRING, string(name), column, s, 0);
        }
        LogicalTypeAnnotation decimal = LogicalTypeAnnotation.decimalType(s, p);
        if (p <= MAX_INT_DIGITS) {
            return new ParquetColumn(c, Encoding.DECIMAL_INT32, Types.optional(PrimitiveTypeName.INT32)
                    .as(decimal).named(name), column, s, 0);
        }
        if (p <= MAX_LONG_DIGITS) {
            return new ParquetColumn(c, Encoding.DECIMAL_INT64, Types.optional(PrimitiveTypeName.INT64)
                    .as(decimal).named(name), column, s, 0);
        }
        int bytes = bytesFor(p);
        return new ParquetColumn(c, Encoding.DECIMAL_FIXED, Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
                .length(bytes).as(decimal).named(name), column, s, bytes);
    }

    /** the fewest bytes whose two's complement holds every unscaled value of {@code precision} digits (Spark's) */
    static int bytesFor(int precision) {
        BigInteger limit = BigInteger.TEN.pow(precision);
        int n = 1;
        while (BigInteger.ONE.shiftLeft(8 * n - 1).compareTo(limit) < 0) {
            n++;
        }
        return n;
    }

    String name() {
        return source.name();
    }

    SourceColumn source() {
        return source;
    }

    Encoding encoding() {
        return encoding;
    }

    PrimitiveType type() {
        return type;
    }

    /** the SELECT expression that reads the column in the form {@link #write} takes */
    String select() {
        return select;
    }

    /** the type as the export's {@code schemaMetadata} names it, e.g. {@code int64 (TIMESTAMP(MICROS,true))} */
    String exportedType() {
        String primitive = type.getPrimitiveTypeName().name().toLowerCase(Locale.ROOT)
                + (fixedLength > 0 ? "(" + fixedLength + ")" : "");
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        return logical == null ? primitive : primitive + " (" + logical + ")";
    }

    /** the same column written as its text, for a file that meets a value its type cannot hold */
    ParquetColumn asText() {
        if (encoding != Encoding.TIMESTAMP) {
            throw new IllegalStateException(name() + " is not a DATETIME or TIMESTAMP column");
        }
        return new ParquetColumn(source, Encoding.TIMESTAMP_TEXT, string(name()), select, 0, 0);
    }

    /** whether the value fits the column's type: only a TIMESTAMP column refuses some (dates not in the calendar) */
    boolean holds(byte[] raw) {
        return encoding != Encoding.TIMESTAMP || raw == null || micros(raw) != null;
    }

    /**
     * Adds the value, the bytes of the server's text form of a non-NULL value ({@link #holds} it).
     *
     * @throws NumberFormatException the text is not the number the column's type promises (never from a server)
     */
    void write(RecordConsumer out, byte[] raw) {
        switch (encoding) {
            case INT32, TINY_UNSIGNED -> out.addInteger(Integer.parseInt(ascii(raw)));
            case INT64 -> out.addLong(Long.parseLong(ascii(raw)));
            case BIGINT_UNSIGNED, DECIMAL_FIXED -> out.addBinary(Binary.fromConstantByteArray(
                    twosComplement(unscaled(raw), fixedLength)));
            case DECIMAL_INT32 -> out.addInteger(unscaled(raw).intValueExact());
            case DECIMAL_INT64 -> out.addLong(unscaled(raw).longValueExact());
            case DOUBLE -> out.addDouble(Double.parseDouble(ascii(raw)));
            case STRING, BYTES, TIMESTAMP_TEXT -> out.addBinary(Binary.fromConstantByteArray(raw));
            case TIMESTAMP -> {
                Long micros = micros(raw);
                if (micros == null) {
                    throw new IllegalArgumentException(name() + " cannot hold " + ascii(raw) + " as a TIMESTAMP");
                }
                out.addLong(micros);
            }
        }
    }

    private BigInteger unscaled(byte[] raw) {
        return new BigDecimal(ascii(raw)).setScale(scale).unscaledValue();
    }

    /** big-endian two's complement in exactly {@code width} bytes, sign-extended */
    static byte[] twosComplement(BigInteger value, int width) {
        byte[] minimal = value.toByteArray();
        if (minimal.length > width) {
            throw new ArithmeticException(value + " does not fit " + width + " bytes");
        }
        byte[] out = new byte[width];
        Arrays.fill(out, 0, width - minimal.length, value.signum() < 0 ? (byte) 0xff : 0);
        System.arraycopy(minimal, 0, out, width - minimal.length, minimal.length);
        return out;
    }

    /**
     * Microseconds from 1970-01-01T00:00 of a {@code YYYY-MM-DD HH:MM:SS[.ffffff]} wall clock read as UTC, in the
     * proleptic Gregorian calendar MySQL uses; null when the date is not a day of that calendar (a zero date, a zero
     * month or day, February 31st).
     */
    static Long micros(byte[] raw) {
        String t = ascii(raw);
        if (t.length() < 19 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != ' '
                || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        try {
            LocalDate day = LocalDate.of(digits(t, 0, 4), digits(t, 5, 7), digits(t, 8, 10));
            long seconds = digits(t, 11, 13) * 3600L + digits(t, 14, 16) * 60L + digits(t, 17, 19);
            long fraction = 0;
            if (t.length() > 19) {
                String f = t.substring(20);
                if (t.charAt(19) != '.' || f.isEmpty() || f.length() > 6) {
                    return null;
                }
                fraction = digits(f + "000000".substring(f.length()), 0, 6);
            }
            return Math.addExact(Math.multiplyExact(day.toEpochDay(), MICROS_PER_DAY),
                    seconds * MICROS_PER_SECOND + fraction);
        } catch (DateTimeException | NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String ascii(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return name() + " " + source.columnType() + " as " + exportedType();
    }
}
