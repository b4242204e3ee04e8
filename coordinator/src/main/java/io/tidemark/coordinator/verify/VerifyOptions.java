package io.tidemark.coordinator.verify;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a verification is asked: up to which source position replication must have applied before comparing, whether
 * the source tables are read-locked meanwhile, the chunk size and how long to wait for replication to catch up.
 *
 * @param at        the source position; null = the source's current one when the verification starts ("now")
 * @param lock      hold {@code LOCK TABLES … READ} on the source tables from reading the position to the last chunk
 * @param chunkRows rows per chunk (sampled from the source's key)
 * @param timeout   how long to wait for replication to reach {@code at} (and again before a re-check)
 */
public record VerifyOptions(BinlogPosition at, boolean lock, int chunkRows, Duration timeout) {
    public static final int DEFAULT_CHUNK_ROWS = 10_000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    private static final Set<String> PARAMETERS = Set.of("at", "lock", "chunkRows", "timeout");
    private static final Pattern FILE_POS = Pattern.compile("([^\\s:]+):(\\d+)");

    public VerifyOptions {
        if (chunkRows < 1) {
            throw invalid("chunkRows", "is " + chunkRows + ", at least 1");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw invalid("timeout", "is " + timeout + ", more than 0");
        }
    }

    /** the request's query parameters; an unknown one is an error, a missing one takes its default */
    public static VerifyOptions of(Map<String, String> parameters) {
        for (String name : parameters.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw invalid(name, "is not a parameter of verify");
            }
        }
        return new VerifyOptions(position(parameters.get("at")), bool(parameters.get("lock")),
                rows(parameters.get("chunkRows")), duration(parameters.get("timeout")));
    }

    private static BinlogPosition position(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("now")) {
            return null;
        }
        Matcher m = FILE_POS.matcher(text.strip());
        if (!m.matches()) {
            throw invalid("at", "'" + text + "' is neither now nor FILE:POS (e.g. mysql-bin.000004:1234)");
        }
        return BinlogPosition.ofFilePosition(m.group(1), Long.parseLong(m.group(2)));
    }

    private static boolean bool(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("lock", "'" + text + "' is neither true nor false");
        };
    }

    private static int rows(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_CHUNK_ROWS;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid("chunkRows", "'" + text + "' is not a whole number");
        }
    }

    private static Duration duration(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(t.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NumberFormatException e) {
            throw invalid("timeout", "'" + text + "' is not a duration (e.g. 30s, 5m, 1h)");
        }
    }

    private static TidemarkException invalid(String parameter, String why) {
        return new TidemarkException(ErrorCode.VERIFY_REQUEST_INVALID, parameter, why);
    }
}
