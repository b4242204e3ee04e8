package io.tidemark.coordinator.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration written as DM writes them (Go's {@code time.ParseDuration}): one or more decimal numbers each with a
 * unit, {@code ns us µs ms s m h}, e.g. {@code "60s"}, {@code "1m30s"}, {@code "1.5h"}, {@code "0"}. A sign is refused:
 * no duration in a spec may be negative. The one reader of Go durations for DM task files, the JSON spec and TiDB
 * Lightning files.
 */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /** the duration, or empty when the text is not one */
    public static Optional<Duration> find(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** @throws IllegalArgumentException saying what is wrong, to follow the value in a message */
    public static Duration parse(String text) {
        String s = text.strip();
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        if (s.startsWith("-") || s.startsWith("+")) {
            throw new IllegalArgumentException("has a sign, but a duration here is never negative");
        }
        Matcher m = PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException("is not a duration: a number and a unit of ns, us, ms, s, m or h"
                        + " was expected at \"" + s.substring(at) + "\"");
            }
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            at = m.end();
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("is empty");
        }
        try {
            return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("is longer than 292 years");
        }
    }
}
