package io.tidemark.mysql.precheck.source;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads SHOW GRANTS lines: which privileges an account holds on {@code *.*}, and how the server names the account. */
final class Grants {
    /** {@code GRANT <privileges> ON <what> TO <account> ...}; role grants ({@code GRANT `r` TO u}) do not match */
    private static final Pattern GRANT = Pattern.compile("^\\s*GRANT\\s+(.+?)\\s+ON\\s+(.+?)\\s+TO\\s+(\\S+)",
            Pattern.CASE_INSENSITIVE);

    private Grants() {
    }

    /** the privileges granted ON *.*, upper-case; {@code ALL PRIVILEGES} appears as {@code ALL} */
    static Set<String> global(List<String> lines) {
        Set<String> out = new HashSet<>();
        for (String line : lines) {
            Matcher m = GRANT.matcher(line);
            if (!m.find() || !m.group(2).strip().equals("*.*")) {
                continue;
            }
            for (String privilege : m.group(1).split(",")) {
                String p = privilege.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
                out.add(p.equals("ALL PRIVILEGES") ? "ALL" : p);
            }
        }
        return out;
    }

    /** the account a grant line is for, as the server quotes it ({@code `repl`@`%`}); null for other lines */
    static String account(String line) {
        Matcher m = GRANT.matcher(line);
        return m.find() ? m.group(3) : null;
    }
}
