package io.tidemark.mysql.checksum;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text the server renders for a value once stored in a column, built in Java from the value as a file holds it.
 * Each method returns null when it cannot be sure what the server stores (a value the server would round across a
 * second, a TIME given in days, a number it would have to coerce): the row is then left out of the file's checksum and
 * the table verified by its row count only, never reported different when it is not.
 */
final class Canonical {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{0,9}))?)?");
    private static final Pattern TIME = Pattern.compile("(-)?(\\d{1,3}):(\\d{2}):(\\d{2})(?:\\.(\\d{0,9}))?");

    private Canonical() {
    }

    static byte[] text(DigestColumn column, String value) {
        return switch (column.kind()) {
            case INTEGER -> integer(value);
            case DECIMAL -> decimal(value, column.scale());
            case DATE -> date(value);
            case DATETIME -> dateTime(value, column.fsp());
            case TIME -> time(value, column.fsp());
            case YEAR -> year(value);
            case TEXT -> string(column, value);
            case BINARY -> binary(column, value.getBytes(StandardCharsets.UTF_8));
            case BIT -> integer(value);
            case UNCHECKED -> null;
        };
    }

    static byte[] bytes(DigestColumn column, byte[] value) {
        return switch (column.kind()) {
            case TEXT -> string(column, new String(value, column.charset()));
            case BINARY -> binary(column, value);
            case BIT -> ascii(new BigInteger(1, value).toString());
            case UNCHECKED -> null;
            default -> text(column, new String(value, StandardCharsets.ISO_8859_1));
        };
    }

    private static byte[] integer(String value) {
        String v = value.strip();
        return INTEGER.matcher(v).matches() ? ascii(new BigInteger(v).toString()) : null;
    }

    private static byte[] decimal(String value, int scale) {
        String v = value.strip();
        if (!DECIMAL.matcher(v).matches()) {
            return null;
        }
        BigDecimal d = new BigDecimal(v);
        // the server rounds half away from zero on insert, as HALF_UP does
        return ascii(d.setScale(scale, RoundingMode.HALF_UP).toPlainString());
    }

    private static byte[] date(String value) {
        Matcher m = DATE_TIME.matcher(value.strip());
        if (!m.matches() || (m.group(4) != null && !(isZero(m.group(4) + m.group(5) + m.group(6))
                && fractionZero(m.group(7), 0)))) {
            return null; // a time of day in a DATE column is cut or rounded depending on the server
        }
        return ascii(m.group(1) + '-' + m.group(2) + '-' + m.group(3));
    }

    private static byte[] dateTime(String value, int fsp) {
        Matcher m = DATE_TIME.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        StringBuilder out = new StringBuilder(26).append(m.group(1)).append('-').append(m.group(2)).append('-')
                .append(m.group(3)).append(' ');
        if (m.group(4) == null) {
            out.append("00:00:00");
        } else {
            out.append(m.group(4)).append(':').append(m.group(5)).append(':').append(m.group(6));
        }
        return fraction(out, m.group(7), fsp);
    }

    private static byte[] time(String value, int fsp) {
        Matcher m = TIME.matcher(value.strip());
        if (!m.matches()) {
            return null;
        }
        int hours = Integer.parseInt(m.group(2));
        boolean zero = hours == 0 && isZero(m.group(3) + m.group(4)) && fractionZero(m.group(5), 0);
        if (hours > 838 || (m.group(1) != null && zero)) {
            return null; // clipped, or a negative zero whose sign the servers treat differently
        }
        StringBuilder out = new StringBuilder(16);
        if (m.group(1) != null) {
            out.append('-');
        }
        if (hours < 10) {
            out.append('0');
        }
        out.append(hours).append(':').append(m.group(3)).append(':').append(m.group(4));
        return fraction(out, m.group(5), fsp);
    }

    /** appends {@code fsp} fractional digits; null when digits beyond them are not zero (cut by some, rounded by others) */
    private static byte[] fraction(StringBuilder out, String digits, int fsp) {
        String f = digits == null ? "" : digits;
        if (!fractionZero(f, fsp)) {
            return null;
        }
        if (fsp > 0) {
            out.append('.');
            for (int i = 0; i < fsp; i++) {
                out.append(i < f.length() ? f.charAt(i) : '0');
            }
        }
        return ascii(out.toString());
    }

    private static boolean fractionZero(String digits, int from) {
        if (digits == null) {
            return true;
        }
        for (int i = from; i < digits.length(); i++) {
            if (digits.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String digits) {
        return fractionZero(digits, 0);
    }

    private static byte[] year(String value) {
        String v = value.strip();
        if (v.length() == 4 && INTEGER.matcher(v).matches()) {
            return ascii(v);
        }
        return null; // "0" is 2000 as text and 0000 as a number; two digits depend on the century rule
    }

    private static byte[] string(DigestColumn column, String value) {
        String v = value;
        if (column.padded()) {
            int end = v.length();
            while (end > 0 && v.charAt(end - 1) == ' ') {
                end--;
            }
            v = v.substring(0, end);
        }
        if (!column.setMembers().isEmpty() && !v.isEmpty()) {
            v = setInDefinitionOrder(column, v);
            if (v == null) {
                return null;
            }
        }
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static String setInDefinitionOrder(DigestColumn column, String value) {
        Set<String> given = new LinkedHashSet<>(Arrays.asList(value.split(",", -1)));
        StringBuilder out = new StringBuilder(value.length());
        int found = 0;
        for (String member : column.setMembers()) {
            if (given.contains(member)) {
                if (!out.isEmpty()) {
                    out.append(',');
                }
                out.append(member);
                found++;
            }
        }
        return found == given.size() ? out.toString() : null; // a member the definition lacks: the server decides
    }

    private static byte[] binary(DigestColumn column, byte[] value) {
        if (column.length() > value.length) {
            return Arrays.copyOf(value, column.length()); // BINARY(n) pads with zero bytes
        }
        return value;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
