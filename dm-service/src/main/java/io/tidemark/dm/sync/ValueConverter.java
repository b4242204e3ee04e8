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
 * Turns a binlog cell into the value bound to a target statement, exactly. The cell is read by the SOURCE column's
 * type, which wrote it: an integer by the table map's width and the source's signedness ({@link SourceTypes}), never
 * by the target's, so an INT UNSIGNED cell stays 4294967295 in a BIGINT UNSIGNED target. The target column then takes
 * the value: an integer that falls outside the target column's range is refused, as is a cell of a kind the column
 * cannot hold (a string for an INT column: the two definitions differ) — a catalog error naming table and column,
 * never bound anyway. The binlog carries ENUM as a 1-based index, SET as a bitmask, BIT as bits, strings as bytes
 * without their charset and MySQL JSON in its binary form; the target column type says what they mean.
 * Stateless and thread-safe.
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
     * @param source   the source's column types and signedness, from the table map
     * @param included which columns the row image carries; {@code raw} holds just those, in order
     * @throws TidemarkException TARGET_STATEMENT_FAILED naming the table, the column and what does not fit
     */
    static Object[] row(TableSchema schema, SourceTypes source, BitSet included, Serializable[] raw) {
        return row(schema, source, included, raw, null);
    }

    /**
     * {@link #row(TableSchema, SourceTypes, BitSet, Serializable[])} of just the columns {@code only} marks (all when
     * null); the others stay null. The sync session reads only the key columns to route a row, and lets the apply
     * worker convert the whole row.
     */
    static Object[] row(TableSchema schema, SourceTypes source, BitSet included, Serializable[] raw, boolean[] only) {
        List<Column> columns = schema.columns();
        Object[] out = new Object[columns.size()];
        int k = 0;
        for (int i = 0; i < source.codes().length && i < out.length; i++) {
            if (included.get(i)) {
                Serializable cell = raw[k++];
                if (only != null && !only[i]) {
                    continue;
                }
                Column column = columns.get(i);
                try {
                    out[i] = convert(column, source.code(i), source.sign(i), cell);
                } catch (Unfit e) {
                    throw new TidemarkException(ErrorCode.TARGET_STATEMENT_FAILED, schema.table() + ", column "
                            + column.name(), e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * @param binlogType the source column's type code in the table map (an integer's width; MySQL binary JSON)
     * @param sign       whether the source column is UNSIGNED; only read for integer type codes
     * @return a value for {@link java.sql.PreparedStatement#setObject}: null, Long, BigInteger, BigDecimal, Double, String, byte[]
     * @throws Unfit when the value is of a kind, or out of the range, the target column cannot hold
     */
    static Object convert(Column column, int binlogType, SourceTypes.Sign sign, Serializable raw) {
        if (raw == null) {
            return null;
        }
        int sourceBits = SourceTypes.integerBits(binlogType);
        if (sourceBits > 0) {
            return intoColumn(column, sourceInteger(column, raw, sourceBits, sign), raw);
        }
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year" ->
                    intoColumn(column, integral(column, raw).longValue(), raw);
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

    /**
     * The integer a source cell of {@code bits} bits holds: its bits read unsigned or two's complement as the source
     * column is declared. The binlog library sign-extends every cell, so the bits are taken afresh.
     *
     * @return a Long, or a BigInteger above Long.MAX_VALUE (BIGINT UNSIGNED)
     */
    static Number sourceInteger(Column column, Serializable raw, int bits, SourceTypes.Sign sign) {
        long v = integral(column, raw).longValue();
        boolean topBit;
        long unsigned;
        if (bits == 64) {
            topBit = v < 0;
            unsigned = v;
        } else {
            unsigned = v & ((1L << bits) - 1);
            topBit = (unsigned >>> (bits - 1)) != 0;
        }
        if (!topBit) {
            return unsigned;
        }
        return switch (sign) {
            case UNSIGNED -> bits == 64 ? BigInteger.valueOf(v).add(TWO_64) : (Number) unsigned;
            case SIGNED -> bits == 64 ? v : unsigned | -(1L << bits);
            case UNKNOWN -> throw unknownSign(column, bits, unsigned, v);
        };
    }

    /** an integer as the target column takes it: in its range, or refused */
    private static Object intoColumn(Column column, Number value, Serializable raw) {
        return switch (column.dataType()) {
            case "tinyint", "smallint", "mediumint", "int", "integer", "bigint" -> inRange(column, value);
            case "year" -> value.longValue();
            case "decimal", "numeric" -> value instanceof BigInteger b ? new BigDecimal(b) : BigDecimal.valueOf(
                    value.longValue());
            case "float", "double", "real" -> value.doubleValue();
            case "enum" -> enumValue(column, value.intValue());
            case "set" -> setValue(column, value.longValue());
            case "bit", "date", "datetime", "timestamp", "time", "json" -> throw unfit(column, raw);
            default -> value;
        };
    }

    private static Number inRange(Column column, Number value) {
        int bits = column.integerBits();
        if (value instanceof Long l && bits < 64) {
            // the common case without BigInteger: every bound of a column narrower than 64 bits fits a long
            long v = l;
            long min = column.unsigned() ? 0 : -(1L << (bits - 1));
            long max = column.unsigned() ? (1L << bits) - 1 : (1L << (bits - 1)) - 1;
            if (v >= min && v <= max) {
                return value;
            }
        } else if (value instanceof Long l && (!column.unsigned() || l >= 0)) {
            return value; // a 64-bit column holds every long, an unsigned one every long not below 0
        }
        BigInteger min = column.unsigned() ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = (column.unsigned() ? BigInteger.ONE.shiftLeft(bits) : BigInteger.ONE.shiftLeft(bits - 1))
                .subtract(BigInteger.ONE);
        BigInteger v = value instanceof BigInteger b ? b : BigInteger.valueOf(value.longValue());
        if (v.compareTo(min) < 0 || v.compareTo(max) > 0) {
            throw new Unfit("the source sends " + v + ", which the target column " + column.name() + " "
                    + column.columnType() + " cannot hold (" + min + " to " + max + "); make the target column's type"
                    + " match the source's (compare SHOW CREATE TABLE on both)");
        }
        return value;
    }

    private static Unfit unknownSign(Column column, int bits, long unsigned, long v) {
        String type = SourceTypes.integerName(bits);
        long signed = bits == 64 ? v : unsigned | -(1L << bits);
        String asUnsigned = bits == 64 ? BigInteger.valueOf(v).add(TWO_64).toString() : Long.toString(unsigned);
        return new Unfit("the source's " + type + " cell reads " + signed + " if the source column is signed and "
                + asUnsigned + " if it is UNSIGNED, and neither the binlog nor a definition of the same widths (the"
                + " source's, the target's " + column.columnType() + ") says which; set binlog_row_metadata=MINIMAL"
                + " on the source (MySQL 8, MariaDB 10.5 and later) so the binlog says it, or make the target column's"
                + " type match the source's (compare SHOW CREATE TABLE on both)");
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
        if (cs == StandardCharsets.UTF_8) {
            // the JDK's bulk decoding; a malformed sequence would become U+FFFD, so only text holding one is checked
            // strictly below (it may also be a real U+FFFD)
            String fast = new String(bytes, StandardCharsets.UTF_8);
            if (fast.indexOf('\uFFFD') < 0) {
                return fast;
            }
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
