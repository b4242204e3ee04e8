package io.tidemark.lightning.parquet;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Locale;
import java.util.TimeZone;

/**
 * Spark before 3.0, and Spark 3 in LEGACY rebase mode, counted days and microseconds before 1582-10-15 in the Julian
 * calendar (Java's hybrid {@link GregorianCalendar}). MySQL's DATE and DATETIME are proleptic Gregorian, so such a
 * value is moved to the Gregorian day with the same year, month and day, as Spark's own rebase does when it reads.
 */
final class JulianDates {
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private JulianDates() {
    }

    static long toGregorianMicros(long julianMicros) {
        GregorianCalendar hybrid = new GregorianCalendar(UTC, Locale.ROOT);
        hybrid.setTimeInMillis(Math.floorDiv(julianMicros, 1000));
        int year = hybrid.get(Calendar.YEAR);
        if (hybrid.get(Calendar.ERA) == GregorianCalendar.BC) {
            year = 1 - year;
        }
        LocalDateTime fields = LocalDateTime.of(year, hybrid.get(Calendar.MONTH) + 1,
                hybrid.get(Calendar.DAY_OF_MONTH), hybrid.get(Calendar.HOUR_OF_DAY), hybrid.get(Calendar.MINUTE),
                hybrid.get(Calendar.SECOND));
        return fields.toEpochSecond(ZoneOffset.UTC) * 1_000_000 + Math.floorMod(julianMicros, 1_000_000);
    }

    static long toGregorianDay(long julianDay) {
        return Math.floorDiv(toGregorianMicros(julianDay * 86_400_000_000L), 86_400_000_000L);
    }
}
