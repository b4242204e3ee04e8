package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;

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
     * @param binlogType the column's type code in the binlog's table map (tells MySQL binary JSON from text)
     * @return a value for {@link java.sql.PreparedStatement#setObject}: null, Long, BigInteger, BigDecimal, Double, String, byte[]
     */
    static Object convert(Column column, int binlogType, Serializable raw) {
        if (raw == null) {
            return null;
        }
        return switch (column.dataType()) {
            case "tinyint" -> integer(raw, column.unsigned(), 8);
            case "smallint" -> integer(raw, column.unsigned(), 16);
            case "mediumint" -> integer(raw, column.unsigned(), 24);
            case "int", "integer" -> integer(raw, column.unsigned(), 32);
            case "bigint" -> bigint(raw, column.unsigned());
            case "year" -> ((Number) raw).longValue();
            case "decimal", "numeric" -> (BigDecimal) raw;
            // widening a float to double is exact, and the double's shortest text parses back to that very value
            case "float" -> ((Number) raw).doubleValue();
            case "double", "real" -> ((Number) raw).doubleValue();
            case "bit" -> bits((BitSet) raw, column.bitWidth());
            case "enum" -> enumValue(column, ((Number) raw).intValue());
            case "set" -> setValue(column, ((Number) raw).longValue());
            case "json" -> json(binlogType, raw);
            case "date", "datetime", "timestamp", "time" -> raw.toString();
            default -> stringOrBytes(column, binlogType, raw);
        };
    }

    static Long integer(Serializable raw, boolean unsigned, int bits) {
        long v = ((Number) raw).longValue();
        return unsigned ? v & ((1L << bits) - 1) : v;
    }

    static Object bigint(Serializable raw, boolean unsigned) {
        long v = ((Number) raw).longValue();
        if (unsigned && v < 0) {
            return BigInteger.valueOf(v).add(TWO_64);
        }
        return v;
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
