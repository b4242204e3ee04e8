package io.tidemark.mysql.checksum;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * One target column as the value checksum sees it: how the server renders a stored value as text, so that the same
 * text can be built from a value read from a file.
 *
 * @param name       the column's name
 * @param kind       how its values are rendered
 * @param scale      DECIMAL: digits after the point
 * @param fsp        DATETIME, TIMESTAMP, TIME: fractional-second digits
 * @param length     BINARY: the fixed length its values are padded to with zero bytes; 0 for VARBINARY and BLOB
 * @param charset    TEXT: the column's character set, in which raw bytes given for it are decoded
 * @param padded     TEXT: a CHAR column, whose trailing spaces the server drops when it reads the value
 * @param setMembers TEXT: a SET column's members in definition order (the server stores members in this order)
 */
public record DigestColumn(String name, Kind kind, int scale, int fsp, int length, Charset charset, boolean padded,
                           List<String> setMembers) {
    public DigestColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        setMembers = setMembers == null ? List.of() : List.copyOf(setMembers);
    }

    /** how the server renders a column's values, each with a text form a file's value is canonicalised to */
    public enum Kind {
        /** TINYINT … BIGINT, signed or not: the decimal digits */
        INTEGER,
        /** DECIMAL(p, s): the digits with exactly {@code scale} after the point */
        DECIMAL,
        /** DATE: {@code YYYY-MM-DD} */
        DATE,
        /** DATETIME(fsp), TIMESTAMP(fsp) in a UTC session: {@code YYYY-MM-DD HH:MM:SS[.f…]} */
        DATETIME,
        /** TIME(fsp): {@code [-]HH:MM:SS[.f…]}, hours up to 838 */
        TIME,
        /** YEAR: four digits */
        YEAR,
        /** CHAR, VARCHAR, TEXT, ENUM, SET (and MariaDB's JSON, a LONGTEXT): the text as UTF-8 */
        TEXT,
        /** BINARY, VARBINARY, BLOB: the bytes */
        BINARY,
        /** BIT(n): the unsigned number */
        BIT,
        /**
         * FLOAT, DOUBLE (whose text form differs between servers and from Java's), MySQL's and TiDB's JSON (stored
         * normalised), spatial types and anything else: counted by whether the value is NULL only
         */
        UNCHECKED
    }
}
