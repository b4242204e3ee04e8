package io.tidemark.coordinator.config.lightning;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A duration the way TiDB Lightning's files write it, Go's syntax: {@code "5m"}, {@code "1h30m"}, {@code "60s"}. */
final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|μs|ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {
    }

    /** the duration, or empty when the text is not one ({@code "0"} alone is zero, as in Go) */
    static Optional<Duration> parse(String text) {
        String t = text.strip();
        if (t.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (!WHOLE.matcher(t).matches()) {
            return Optional.empty();
        }
        BigDecimal nanos = BigDecimal.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            nanos = nanos.add(new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1))
                    .multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
        }
        return Optional.of(Duration.ofNanos(nanos.longValue()));
    }
}
