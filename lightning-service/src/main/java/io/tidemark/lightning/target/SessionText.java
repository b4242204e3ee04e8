package io.tidemark.lightning.target;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Text as an import session carries it. A dump holds each column's stored bytes (latin1, utf8mb4, binary ...) under
 * {@code SET NAMES binary}, so, like the mariadb client, a session must send a file's bytes exactly as they are.
 * {@link TargetSessions} runs Connector/J with {@code characterEncoding=ISO-8859-1}, which maps each char
 * U+0000..U+00FF to that one byte and back, and the server reads with {@code character_set_client=binary}. A file
 * statement is therefore held as the ISO-8859-1 view of its bytes, and every string Tidemark composes must go
 * through {@link #utf8} (or {@link #bind}) so the server receives its UTF-8 bytes, never a '?' for a char past
 * U+00FF.
 */
public final class SessionText {
    private SessionText() {
    }

    /** the session view of {@code composed}'s UTF-8 bytes: SQL text Tidemark writes (identifiers, literals) */
    public static String utf8(String composed) {
        return new String(composed.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** the session view of raw bytes, one char per byte; never fails, whatever the charset of the bytes */
    public static String ofBytes(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    /** a session view as a person reads it: its bytes as UTF-8, any byte that is not UTF-8 shown as U+FFFD */
    public static String readable(String sessionView) {
        return new String(sessionView.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    /**
     * Binds a string parameter as its UTF-8 bytes. Connector/J sends bytes as a {@code _binary'...'} literal, which
     * the server reads as those bytes under any character_set_client, so the checkpoint rows stay right even after a
     * dump's own {@code SET NAMES} changed the session; a utf8mb4 column stores them unchanged.
     */
    public static void bind(PreparedStatement ps, int index, String value) throws SQLException {
        ps.setBytes(index, value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The text of a {@code LOAD DATA} statement. Connector/J sends that one statement in the JVM's default charset
     * rather than its characterEncoding, so it must be the plain string, and the default must be UTF-8 (it is since
     * JDK 18, unless {@code -Dfile.encoding} overrides it) for a non-ASCII table name to arrive intact.
     */
    public static String loadData(String composed) {
        if (!Charset.defaultCharset().equals(StandardCharsets.UTF_8)
                && !StandardCharsets.US_ASCII.newEncoder().canEncode(composed)) {
            throw new TidemarkException(ErrorCode.INTERNAL, "the JVM's default charset is " + Charset.defaultCharset()
                    + ", so the driver would garble the LOAD DATA statement naming a non-ASCII table; run the"
                    + " service without -Dfile.encoding (or with -Dfile.encoding=UTF-8)");
        }
        return composed;
    }
}
