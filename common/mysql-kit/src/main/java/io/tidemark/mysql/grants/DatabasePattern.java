package io.tidemark.mysql.grants;

/**
 * The database name of a database-level grant, matched as the server matches it: {@code %} any run of characters,
 * {@code _} any one character, a backslash makes the next character literal ({@code `shop\_db`} is only
 * {@code shop_db}). When several of an account's grants match a database the server uses only the most specific one,
 * whose {@link #specificity()} is highest: MySQL, MariaDB and TiDB keep the first matching row of a list sorted that way
 * and do not add the others up.
 */
final class DatabasePattern {
    /** the specificity of a name without wildcards: above any position of a first wildcard */
    static final int EXACT = 128;

    private DatabasePattern() {
    }

    /**
     * @param literal    true when the server takes the name as written (MySQL with partial_revokes ON), escapes aside
     * @param ignoreCase true when the server compares database names without case (TiDB)
     */
    static boolean matches(String pattern, String database, boolean literal, boolean ignoreCase) {
        if (literal) {
            String name = unescape(pattern);
            return ignoreCase ? name.equalsIgnoreCase(database) : name.equals(database);
        }
        return matches(pattern, 0, database, 0, ignoreCase);
    }

    /**
     * How specific the name is, as the servers sort grants: a name without wildcards is the most specific, else the
     * one whose first wildcard comes later.
     */
    static int specificity(String pattern, boolean literal) {
        if (literal) {
            return EXACT;
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                i++;
            } else if (c == '%' || c == '_') {
                return Math.min(i + 1, EXACT - 1);
            }
        }
        return EXACT;
    }

    /** {@code database} as a grant names only it: its wildcard characters escaped */
    static String exactly(String database) {
        return database.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%");
    }

    private static String unescape(String pattern) {
        StringBuilder out = new StringBuilder(pattern.length());
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                c = pattern.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    private static boolean matches(String p, int pi, String s, int si, boolean ignoreCase) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '%') {
                for (int k = si; k <= s.length(); k++) {
                    if (matches(p, pi + 1, s, k, ignoreCase)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '_') {
                pi++;
                si++;
                continue;
            }
            if (c == '\\' && pi + 1 < p.length()) {
                c = p.charAt(++pi);
            }
            if (!same(c, s.charAt(si), ignoreCase)) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
    }
}
