package io.tidemark.coordinator.precheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Column types as {@code information_schema.COLUMNS.COLUMN_TYPE} writes them, compared the way the source's values
 * would go into the target. The character set is not compared (the column type does not carry it; Tidemark's
 * sessions are utf8mb4 end to end).
 */
final class ColumnTypes {
    private static final List<String> INTEGERS = List.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final List<String> TEXTS = List.of("tinytext", "text", "mediumtext", "longtext");
    private static final List<String> BLOBS = List.of("tinyblob", "blob", "mediumblob", "longblob");
    /** bytes each text type holds; a character takes up to 4 of them in utf8mb4 */
    private static final long[] TEXT_BYTES = {255, 65_535, 16_777_215, 4_294_967_295L};
    private static final Pattern DISPLAY_WIDTH = Pattern.compile("^(tinyint|smallint|mediumint|int|bigint)\\(\\d+\\)");
    private static final Pattern PARSED = Pattern.compile("^([a-z]+)(?:\\(([^)]*)\\))?\\s*(.*)$");

    private ColumnTypes() {
    }

    /**
     * The type with what does not change its values taken out: case, spacing, and an integer's display width
     * ({@code int(11)} on MariaDB and TiDB is {@code int} on MySQL 8).
     */
    static String normalize(String columnType) {
        String t = columnType.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        t = t.replaceFirst("^integer\\b", "int").replaceFirst("^(bool|boolean)\\b", "tinyint(1)");
        return DISPLAY_WIDTH.matcher(t).replaceFirst("$1");
    }

    /**
     * Whether every value of the source type fits the target type unchanged: the same type, or a wider one of its
     * family (a larger integer of a signedness that holds it, a longer string, more digits on both sides of a
     * decimal point, a finer fraction of a second). Anything else must be the same type.
     */
    static boolean fits(String sourceType, String targetType) {
        String s = normalize(sourceType);
        String t = normalize(targetType);
        if (s.equals(t)) {
            return true;
        }
        Parsed from = Parsed.of(s);
        Parsed to = Parsed.of(t);
        if (from == null || to == null) {
            return false;
        }
        if (INTEGERS.contains(from.base) && INTEGERS.contains(to.base)) {
            int wider = INTEGERS.indexOf(to.base) - INTEGERS.indexOf(from.base);
            return from.unsigned == to.unsigned ? wider >= 0 : from.unsigned && wider > 0;
        }
        if (from.base.equals("decimal") && to.base.equals("decimal") && (to.unsigned == from.unsigned || !to.unsigned)) {
            long fromScale = from.param(1, 0);
            long toScale = to.param(1, 0);
            return toScale >= fromScale && to.param(0, 10) - toScale >= from.param(0, 10) - fromScale;
        }
        if (from.base.equals("float") && to.base.equals("double")) {
            return !to.unsigned || from.unsigned;
        }
        if (isString(from.base) && isString(to.base)) {
            return to.param(0, 1) >= from.param(0, 1) && (to.base.equals("varchar") || from.base.equals("char"));
        }
        if (isString(from.base) && TEXTS.contains(to.base)) {
            return from.param(0, 1) * 4 <= TEXT_BYTES[TEXTS.indexOf(to.base)];
        }
        if (TEXTS.contains(from.base) && TEXTS.contains(to.base)) {
            return TEXTS.indexOf(to.base) >= TEXTS.indexOf(from.base);
        }
        if (isBinary(from.base) && isBinary(to.base)) {
            return to.param(0, 1) >= from.param(0, 1) && (to.base.equals("varbinary") || from.base.equals("binary"));
        }
        if ((isBinary(from.base) || BLOBS.contains(from.base)) && BLOBS.contains(to.base)) {
            return BLOBS.contains(from.base) ? BLOBS.indexOf(to.base) >= BLOBS.indexOf(from.base)
                    : from.param(0, 1) <= TEXT_BYTES[BLOBS.indexOf(to.base)];
        }
        if (List.of("datetime", "timestamp", "time").contains(from.base) && from.base.equals(to.base)) {
            return to.param(0, 0) >= from.param(0, 0);
        }
        return false;
    }

    private static boolean isString(String base) {
        return base.equals("char") || base.equals("varchar");
    }

    private static boolean isBinary(String base) {
        return base.equals("binary") || base.equals("varbinary");
    }

    /** {@code decimal(10,2) unsigned} as base {@code decimal}, parameters 10 and 2, unsigned */
    private record Parsed(String base, List<Long> params, boolean unsigned) {
        static Parsed of(String type) {
            Matcher m = PARSED.matcher(type);
            if (!m.matches()) {
                return null;
            }
            List<Long> params = new ArrayList<>();
            if (m.group(2) != null && !m.group(1).equals("enum") && !m.group(1).equals("set")) {
                for (String p : m.group(2).split(",")) {
                    try {
                        params.add(Long.parseLong(p.strip()));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            return new Parsed(m.group(1), params, m.group(3).contains("unsigned"));
        }

        long param(int index, long otherwise) {
            return index < params.size() ? params.get(index) : otherwise;
        }
    }
}
