package io.tidemark.dm.sync;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Decodes the binlog's temporal cells into the literal text MySQL reads back unchanged. The client library's own
 * decoding goes through epoch milliseconds, which loses zero dates ('0000-00-00', '2024-00-00'), the sign of TIME,
 * YEAR 0000 and dates before 1582; text does not. Sessions run in UTC, so TIMESTAMP text is UTC.
 * Formats as in MySQL's {@code my_time.cc} (packed DATETIME2/TIME2/TIMESTAMP2).
 */
final class ExactTemporals {
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;
    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;

    private ExactTemporals() {
    }

    /** DATE: 3 bytes little-endian, day | month << 5 | year << 9 */
    static String date(int packed) {
        int day = packed & 31;
        int month = (packed >>> 5) & 15;
        int year = packed >>> 9;
        return ymd(new StringBuilder(10), year, month, day).toString();
    }

    /** DATETIME2: 5 bytes big-endian plus {@code (fsp+1)/2} fraction bytes */
    static String datetime2(byte[] intPart, byte[] fraction, int fsp) {
        long intpart = bigEndian(intPart) - DATETIMEF_INT_OFS;
        long ymd = intpart >> 17;
        long ym = ymd >> 5;
        long hms = intpart % (1 << 17);
        StringBuilder out = new StringBuilder(26);
        hms(ymd(out, ym / 13, ym % 13, ymd % 32).append(' '), hms >> 12, (hms >> 6) % 64, hms % 64);
        return fraction(out, unsignedMicros(fraction), fsp).toString();
    }

    /** TIMESTAMP2: seconds since the epoch (big-endian) plus fraction; 0 is the zero timestamp */
    static String timestamp2(byte[] seconds, byte[] fraction, int fsp) {
        long epochSeconds = bigEndian(seconds);
        long micros = unsignedMicros(fraction);
        if (epochSeconds == 0 && micros == 0) {
            return "0000-00-00 00:00:00" + fractionText(0, fsp);
        }
        return timestampText(epochSeconds) + fractionText(micros, fsp);
    }

    /** TIME2: signed, up to ±838:59:59.999999 */
    static String time2(byte[] intPart, byte[] fraction, int fsp) {
        long intpart = bigEndian(intPart) - TIMEF_INT_OFS;
        long packed;
        switch (fraction.length) {
            case 0 -> packed = intpart << 24;
            case 1 -> {
                long frac = fraction[0] & 0xFF;
                if (intpart < 0 && frac != 0) {
                    intpart++;
                    frac -= 0x100;
                }
                packed = (intpart << 24) + frac * 10000;
            }
            case 2 -> {
                long frac = bigEndian(fraction);
                if (intpart < 0 && frac != 0) {
                    intpart++;
                    frac -= 0x10000;
                }
                packed = (intpart << 24) + frac * 100;
            }
            default -> packed = ((bigEndian(intPart) << 24) | bigEndian(fraction)) - TIMEF_OFS;
        }
        boolean negative = packed < 0;
        long abs = Math.abs(packed);
        long hms = abs >> 24;
        long micros = abs % (1L << 24);
        StringBuilder out = new StringBuilder(17).append(negative ? "-" : "");
        return fraction(hms(out, (hms >> 12) % 1024, (hms >> 6) % 64, hms % 64), micros, fsp).toString();
    }

    /** old TIMESTAMP: seconds since the epoch */
    static String timestamp(long epochSeconds) {
        return epochSeconds == 0 ? "0000-00-00 00:00:00" : timestampText(epochSeconds);
    }

    /** old DATETIME: the decimal number YYYYMMDDhhmmss */
    static String datetime(long packed) {
        long date = packed / 1000000;
        long time = packed % 1000000;
        StringBuilder out = new StringBuilder(19);
        return hms(ymd(out, date / 10000, (date / 100) % 100, date % 100).append(' '), time / 10000,
                (time / 100) % 100, time % 100).toString();
    }

    /** old TIME: the signed decimal number hhmmss */
    static String time(int packed) {
        int v = (packed << 8) >> 8;
        int abs = Math.abs(v);
        return hms(new StringBuilder(9).append(v < 0 ? "-" : ""), abs / 10000, (abs / 100) % 100, abs % 100)
                .toString();
    }

    /** YEAR: one byte, 0 is the year 0000, otherwise 1900 + value */
    static int year(int stored) {
        return stored == 0 ? 0 : 1900 + stored;
    }

    private static String timestampText(long epochSeconds) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSeconds, 0, ZoneOffset.UTC);
        StringBuilder out = new StringBuilder(19);
        return hms(ymd(out, t.getYear(), t.getMonthValue(), t.getDayOfMonth()).append(' '), t.getHour(),
                t.getMinute(), t.getSecond()).toString();
    }

    /** the stored fraction in microseconds: 1, 2 or 3 big-endian bytes in units of 10^-2, 10^-4, 10^-6 s */
    private static long unsignedMicros(byte[] fraction) {
        return switch (fraction.length) {
            case 0 -> 0;
            case 1 -> (fraction[0] & 0xFF) * 10000L;
            case 2 -> bigEndian(fraction) * 100L;
            default -> bigEndian(fraction);
        };
    }

    static String fractionText(long micros, int fsp) {
        return fraction(new StringBuilder(7), micros, fsp).toString();
    }

    // Text written digit by digit: String.format parsed its pattern for every cell, a fifth of the applier's CPU in a
    // profile of a DATETIME(6) table, and its digits follow the default locale.

    private static StringBuilder fraction(StringBuilder out, long micros, int fsp) {
        if (fsp <= 0) {
            return out;
        }
        int at = out.append('.').length();
        pad(out, micros, 6);
        out.setLength(at + Math.min(6, fsp)); // the first digits, as MySQL cuts the fraction to the column's fsp
        return out;
    }

    private static StringBuilder ymd(StringBuilder out, long year, long month, long day) {
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        return pad(out, day, 2);
    }

    private static StringBuilder hms(StringBuilder out, long hour, long minute, long second) {
        pad(out, hour, 2).append(':');
        pad(out, minute, 2).append(':');
        return pad(out, second, 2);
    }

    /** as {@code %0<width>d}: zeros in front up to the width, never cut */
    static StringBuilder pad(StringBuilder out, long v, int width) {
        if (v < 0) {
            return out.append('-').append(pad(new StringBuilder(), -v, width - 1));
        }
        String digits = Long.toString(v);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    static long bigEndian(byte[] bytes) {
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }
}
