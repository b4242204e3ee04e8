package io.tidemark.lightning.sql;

/**
 * One value of an {@code INSERT ... VALUES} tuple, read as the literal a dump writes ({@link InsertValues}): what the
 * server receives, before it converts the value into its column.
 */
public sealed interface SqlValue {

    /** {@code NULL} */
    record Null() implements SqlValue {
    }

    /** {@code TRUE} or {@code FALSE}: the numbers 1 and 0 */
    record Bool(boolean value) implements SqlValue {
    }

    /**
     * A number as written: {@code -12}, {@code 3.50}, {@code 1e-3}.
     *
     * @param text the literal's characters (ASCII)
     */
    record Number(String text) implements SqlValue {
        /** digits only, with an optional leading '-' */
        public boolean integer() {
            return text.indexOf('.') < 0 && !exponent();
        }

        /** written with an exponent: an approximate (DOUBLE) literal, not an exact one */
        public boolean exponent() {
            return text.indexOf('e') >= 0 || text.indexOf('E') >= 0;
        }
    }

    /**
     * A quoted string, unescaped.
     *
     * @param bytes      the string's bytes as the server reads them
     * @param introducer the character set the literal names itself; {@link Introducer#NONE} for the session's
     */
    record Text(byte[] bytes, Introducer introducer) implements SqlValue {
    }

    /** {@code 0x41}, {@code x'41'} (with or without {@code _binary}): a binary string of these bytes */
    record Hex(byte[] bytes) implements SqlValue {
    }

    /** {@code b'101'}, {@code 0b101}: a binary string of these bytes (whole bytes, zero bits on the left) */
    record Bits(byte[] bytes) implements SqlValue {
    }

    /** the character set a string literal names: {@code _binary'…'}, {@code _utf8mb4'…'}, or none */
    enum Introducer {
        NONE, BINARY, UTF8
    }
}
