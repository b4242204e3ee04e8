package io.tidemark.mysql.session;

import java.time.Duration;

/**
 * How long a session waits for the server, so that no step of a migration waits forever on a dead server or a
 * dropped connection. An immutable value, shared freely.
 *
 * <p>Every service binds them once, from {@code tidemark.db.connect-timeout}, {@code tidemark.db.read-timeout} and
 * {@code tidemark.db.long-operation-timeout} (the service kit); timeout messages name these keys.
 *
 * @param connect       the TCP connect and the whole login handshake (default 10 s): a server that accepts the
 *                      connection and never answers fails within it
 * @param read          the longest wait for any answer on an open session (default 120 s): a statement that runs
 *                      longer, or a server that went silent, fails with "no answer within 120 s"
 * @param longOperation the wait for one operation known to take long, such as a DDL on a big table or a checksum
 *                      (default 24 h), applied with {@link Sessions#withTimeout}
 */
public record Timeouts(Duration connect, Duration read, Duration longOperation) {
    public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ = Duration.ofSeconds(120);
    public static final Duration DEFAULT_LONG_OPERATION = Duration.ofHours(24);
    /** the driver counts in int milliseconds: a little under 25 days */
    private static final Duration MAX = Duration.ofMillis(Integer.MAX_VALUE);

    public Timeouts {
        connect = check("tidemark.db.connect-timeout", connect, DEFAULT_CONNECT);
        read = check("tidemark.db.read-timeout", read, DEFAULT_READ);
        longOperation = check("tidemark.db.long-operation-timeout", longOperation, DEFAULT_LONG_OPERATION);
        if (longOperation.compareTo(read) < 0) {
            throw new IllegalArgumentException("tidemark.db.long-operation-timeout is " + longOperation + ", shorter than"
                    + " tidemark.db.read-timeout " + read + "; set it at least as long as read-timeout (default 24h)");
        }
    }

    /** 10 s to connect and log in, 120 s for any answer, 24 h for an operation known to be long */
    public static Timeouts defaults() {
        return new Timeouts(DEFAULT_CONNECT, DEFAULT_READ, DEFAULT_LONG_OPERATION);
    }

    public Timeouts withConnect(Duration value) {
        return new Timeouts(value, read, longOperation);
    }

    public Timeouts withRead(Duration value) {
        return new Timeouts(connect, value, longOperation);
    }

    public Timeouts withLongOperation(Duration value) {
        return new Timeouts(connect, read, value);
    }

    static Duration check(String key, Duration value, Duration example) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " is " + value + "; it must be positive, e.g. "
                    + example.toString().substring(2).toLowerCase());
        }
        if (value.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(key + " is " + value + "; it can be at most " + MAX.toHours() + "h");
        }
        if (value.toMillis() == 0) {
            throw new IllegalArgumentException(key + " is " + value + "; it must be at least 1ms");
        }
        return value;
    }

    static int millis(Duration d) {
        return (int) d.toMillis();
    }
}
