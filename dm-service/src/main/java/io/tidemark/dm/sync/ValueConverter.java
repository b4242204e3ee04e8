package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a binlog cell into the value bound to a target statement, exactly, by the target column's definition.
 * The binlog carries integers signed whatever the column says, ENUM as a 1-based index, SET as a bitmask, BIT as bits,
 * strings as bytes without their charset and MySQL JSON in its binary form; the column type says what they mean.
 * A cell of a kind the target column cannot hold (a string for an INT column: the two definitions differ) is a
 * catalog error naming table and column, never bound anyway. Stateless and thread-safe.
 */
final class ValueConverter {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    /** MySQL charsets whose bytes decode to Java text and encode back identically */
    private static final Map<String, Charset> LOSSLESS = Map.of(
            "utf8mb4", StandardCharsets.UTF_8,
            "utf8mb3", StandardCharsets.UTF_8,
            "utf8", StandardCharsets.UTF_8,
            "ascii", StandardCharsets.US_ASCII);

    private ValueConverter() {
    }

    /**
     * One binlog row as the values of a target statement, in the target table's column order; columns the row image
     * leaves out stay null.
     *
     * @param binlogTypes the table map's column type codes
     * @param included    which columns the row image carries; {@code raw} holds just those, in order
     * @throws TidemarkException TARGET_STATEMENT_FAILED naming the table, the column and what does not fit
     */
    static Object[] row(TableSchema schema, byte[] binlogTypes, BitSet included, Serializable[] raw) {
        List<Column> columns = schema.columns();
        Object[] out = new Object[columns.size()];
        int k = 0;
        for (int i = 0; i < binlogTypes.length && i < out.length; i++) {
            if (included.get(i)) {
                Column column = columns.get(i);
                try {
                    out[i] = convert(column, binlogTypes[i] & 0xFF, raw[k++]);
                } catch (Unfit e) {
                    throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, schema.table() + ", column "
                            + column.name(), e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * @param binlogType the column's type code in the binlog's table map (tells MySQL binary JSON from text)
     * @return a value for {@link java.sql.PreparedStatement#setObject}: null, Long, BigInteger, BigDecimal, Double, String, byte[]
     * @throws Unfit when the cell is of a kind the column cannot hold
     */
    static Object convert(Column column, int binlogType, Serializable raw) {
        if (raw == null) {
            return null;
        }
        return switch (column.dataType()) {
            case "tinyint" -> integer(integral(column, raw), column.unsigned(), 8);
            case "smallint" -> integer(integral(column, raw), column.unsigned(), 16);
            case "mediumint" -> integer(integral(column, raw), column.unsigned(), 24);
            case "int", "integer" -> integer(integral(column, raw), column.unsigned(), 32);
            case "bigint" -> bigint(integral(column, raw), column.unsigned());
            case "year" -> integral(column, raw).longValue();
            case "decimal", "numeric" -> as(BigDecimal.class, column, raw);
            // widening a float to double is exact, and the double's shortest text parses back to that very value
            case "float", "double", "real" -> number(column, raw).doubleValue();
            case "bit" -> bits(as(BitSet.class, column, raw), column.bitWidth());
            case "enum" -> enumValue(column, integral(column, raw).intValue());
            case "set" -> setValue(column, integral(column, raw).longValue());
            case "json" -> json(binlogType, raw);
            // temporal cells arrive as their exact text (ExactTemporals)
            case "date", "datetime", "timestamp", "time" -> as(String.class, column, raw);
            default -> stringOrBytes(column, binlogType, raw);
        };
    }

    static Long integer(Number raw, boolean unsigned, int bits) {
        long v = raw.longValue();
        return unsigned ? v & ((1L << bits) - 1) : v;
    }

    static Object bigint(Number raw, boolean unsigned) {
        long v = raw.longValue();
        if (unsigned && v < 0) {
            return BigInteger.valueOf(v).add(TWO_64);
        }
        return v;
    }

    private static Number number(Column column, Serializable raw) {
        return as(Number.class, column, raw);
    }

    /** a whole number: a decimal or floating-point cell would lose its fraction in an integer column */
    private static Number integral(Column column, Serializable raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return (Number) raw;
        }
        throw unfit(column, raw);
    }

    private static <T> T as(Class<T> kind, Column column, Serializable raw) {
        if (kind.isInstance(raw)) {
            return kind.cast(raw);
        }
        throw unfit(column, raw);
    }

    private static Unfit unfit(Column column, Serializable raw) {
        return new Unfit("the source sends " + kindOf(raw) + ", which the target column " + column.name() + " "
                + column.columnType() + " cannot hold; make the target column's type match the source's (compare"
                + " SHOW CREATE TABLE on both)");
    }

    /** what a binlog cell is, in words: the binlog names no source type for ENUM, SET and the string types */
    private static String kindOf(Serializable raw) {
        return switch (raw) {
            case byte[] ignored -> "a string";
            case String ignored -> "a date or time";
            case BigDecimal ignored -> "a decimal";
            case Float ignored -> "a floating-point number";
            case Double ignored -> "a floating-point number";
            case Number ignored -> "an integer";
            case BitSet ignored -> "a bit value";
            default -> "a " + raw.getClass().getSimpleName() + " value";
        };
    }

    /** a cell the target column cannot hold; {@link #row} names the table */
    static final class Unfit extends RuntimeException {
        Unfit(String message) {
            super(message, null, false, false);
        }
    }

    /** BIT(M) as M/8 rounded up big-endian bytes, which MySQL reads into a BIT column unchanged */
    static byte[] bits(BitSet bits, int width) {
        byte[] out = new byte[(width + 7) / 8];
        for (int i = bits.nextSetBit(0); i >= 0 && i < width; i = bits.nextSetBit(i + 1)) {
            out[out.length - 1 - i / 8] |= (byte) (1 << (i % 8));
        }
        return out;
    }

    /** index 0 is MySQL's '' error value; 1..n are the members */
    static String enumValue(Column column, int index) {
        List<String> members = column.members();
        if (index <= 0 || index > members.size()) {
            return "";
        }
        return members.get(index - 1);
    }

    static String setValue(Column column, long mask) {
        List<String> members = column.members();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < members.size() && i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                if (!out.isEmpty()) {
                    out.append(',');
                }
                out.append(members.get(i));
            }
        }
        return out.toString();
    }

    /** MySQL sends JSON in its binary form; MariaDB's JSON is LONGTEXT and arrives as text bytes */
    static String json(int binlogType, Serializable raw) {
        if (raw instanceof byte[] bytes) {
            if (binlogType == ColumnType.JSON.getCode()) {
                try {
                    return JsonBinary.parseAsString(bytes);
                } catch (IOException e) {
                    throw new UncheckedIOException("unreadable binary JSON cell", e);
                }
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return raw.toString();
    }

    /**
     * Text columns decode by their charset when the round trip is lossless; otherwise, and for binary columns, the
     * bytes are bound as they are (a binary string converts into any charset byte for byte).
     */
    static Object stringOrBytes(Column column, int binlogType, Serializable raw) {
        if (column.dataType().equals("longtext") && binlogType == ColumnType.JSON.getCode()) {
            return json(binlogType, raw);
        }
        if (!(raw instanceof byte[] bytes)) {
            return raw;
        }
        String charset = column.charset();
        if (charset == null) {
            return bytes;
        }
        Charset cs = LOSSLESS.get(charset.toLowerCase(Locale.ROOT));
        if (cs == null) {
            return bytes;
        }
        try {
            return cs.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            // bytes the charset cannot hold (e.g. written with checks off) still copy through unchanged
            return bytes;
        }
    }
}
