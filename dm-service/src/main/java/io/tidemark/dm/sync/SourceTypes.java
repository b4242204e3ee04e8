package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;

import java.util.BitSet;

/**
 * What a row image says of the SOURCE's columns, which typed its cells: each column's type code from the table map
 * (for an integer, its width) and, for integer columns, whether the source column is UNSIGNED — which the cells do not
 * say themselves: four bytes of ones are -1 in an INT and 4294967295 in an INT UNSIGNED. The target's column only
 * takes the value afterwards, and may be wider or differently signed.
 *
 * @param codes    the table map's column type codes
 * @param unsigned integer columns UNSIGNED on the source
 * @param unknown  integer columns whose signedness nothing tells ({@link SourceSignedness}); a cell of theirs whose top
 *                 bit is set is refused, not guessed
 * @param from     where the signedness was read, for messages
 */
record SourceTypes(byte[] codes, BitSet unsigned, BitSet unknown, String from) {
    enum Sign { SIGNED, UNSIGNED, UNKNOWN }

    int code(int column) {
        return codes[column] & 0xFF;
    }

    Sign sign(int column) {
        if (unknown.get(column)) {
            return Sign.UNKNOWN;
        }
        return unsigned.get(column) ? Sign.UNSIGNED : Sign.SIGNED;
    }

    /** true when some column is an integer, whose signedness then matters */
    boolean hasIntegers() {
        for (int i = 0; i < codes.length; i++) {
            if (integerBits(code(i)) > 0) {
                return true;
            }
        }
        return false;
    }

    /** the width of an integer column type code (TINY 8 … LONGLONG 64); 0 for every other type */
    static int integerBits(int code) {
        if (code == ColumnType.TINY.getCode()) {
            return 8;
        }
        if (code == ColumnType.SHORT.getCode()) {
            return 16;
        }
        if (code == ColumnType.INT24.getCode()) {
            return 24;
        }
        if (code == ColumnType.LONG.getCode()) {
            return 32;
        }
        if (code == ColumnType.LONGLONG.getCode()) {
            return 64;
        }
        return 0;
    }

    /** the SQL name of an integer of that width, for messages */
    static String integerName(int bits) {
        return switch (bits) {
            case 8 -> "TINYINT";
            case 16 -> "SMALLINT";
            case 24 -> "MEDIUMINT";
            case 32 -> "INT";
            default -> "BIGINT";
        };
    }
}
