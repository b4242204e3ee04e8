package io.tidemark.mysql.grants;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * One line of SHOW GRANTS that gives or takes privileges, or gives roles. Lines are split at their top-level keywords,
 * outside quotes and parentheses, so a schema or column named {@code `a TO b`} does not cut a line short. Other lines
 * ({@code SET DEFAULT ROLE ...}) are not grant lines. An immutable value.
 *
 * @param kind       what the line does
 * @param privileges distinct, upper-case, single-spaced, column lists dropped; {@code ALL PRIVILEGES} as {@code ALL}; for a
 *                   role line, the roles as the server quotes them
 * @param on         what the privileges are on; null for a role line
 * @param grantee    the account, role or {@code PUBLIC} the line is for, as the server quotes it
 */
record GrantLine(Kind kind, List<String> privileges, On on, String grantee) {
    enum Kind { GRANT, REVOKE, ROLES }

    /** {@code *.*}, {@code `db`.*}, or anything narrower (a table, a routine, a proxy), which no check here reads */
    sealed interface On {
        record Global() implements On {
        }

        /** @param pattern the name as granted, quotes removed: may hold the wildcards {@code %} and {@code _} */
        record Database(String pattern) implements On {
        }

        record Narrower(String text) implements On {
        }
    }

    GrantLine {
        privileges = List.copyOf(privileges);
    }

    static Optional<GrantLine> parse(String line) {
        String s = line.strip();
        if (startsWithWord(s, "GRANT")) {
            String rest = s.substring("GRANT".length());
            int on = keyword(rest, "ON", 0);
            int to = keyword(rest, "TO", on < 0 ? 0 : on);
            if (to < 0) {
                return Optional.empty();
            }
            if (on < 0) {
                List<String> roles = split(rest.substring(0, to)).stream().map(String::strip).distinct().toList();
                return Optional.of(new GrantLine(Kind.ROLES, roles, null, firstToken(rest, to + 2)));
            }
            return Optional.of(new GrantLine(Kind.GRANT, privileges(rest.substring(0, on)),
                    object(rest.substring(on + 2, to)), firstToken(rest, to + 2)));
        }
        if (startsWithWord(s, "REVOKE")) {
            // MySQL 8 with partial_revokes: REVOKE INSERT ON `shop`.* FROM u, a hole in a global grant
            String rest = s.substring("REVOKE".length());
            int on = keyword(rest, "ON", 0);
            int from = keyword(rest, "FROM", Math.max(on, 0));
            if (on < 0 || from < 0) {
                return Optional.empty();
            }
            return Optional.of(new GrantLine(Kind.REVOKE, privileges(rest.substring(0, on)),
                    object(rest.substring(on + 2, from)), firstToken(rest, from + 4)));
        }
        return Optional.empty();
    }

    private static List<String> privileges(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String item : split(list)) {
            int paren = item.indexOf('(');
            String p = (paren < 0 ? item : item.substring(0, paren)).strip().replaceAll("\\s+", " ")
                    .toUpperCase(Locale.ROOT);
            if (!p.isEmpty()) {
                out.add(p.equals("ALL PRIVILEGES") ? "ALL" : p);
            }
        }
        return List.copyOf(out);
    }

    private static On object(String text) {
        String t = text.strip();
        if (t.equals("*.*")) {
            return new On.Global();
        }
        if (!t.endsWith(".*")) {
            return new On.Narrower(t);
        }
        String name = t.substring(0, t.length() - 2);
        if (name.length() >= 2 && name.startsWith("`") && name.endsWith("`")) {
            String inner = name.substring(1, name.length() - 1);
            return inner.replace("``", "").contains("`") ? new On.Narrower(t)
                    : new On.Database(inner.replace("``", "`"));
        }
        // unquoted; a keyword in front (TABLE, FUNCTION, PROCEDURE, PACKAGE) means it is no database
        return name.isEmpty() || name.equals("*") || name.contains(" ") || name.contains("`") ? new On.Narrower(t)
                : new On.Database(name);
    }

    /** the first top-level whitespace-free token at or after {@code from}: the grantee before IDENTIFIED, WITH, ... */
    private static String firstToken(String s, int from) {
        int i = from;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        char quote = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '`' || c == '\'' || c == '"') {
                quote = c;
            } else if (Character.isWhitespace(c)) {
                break;
            }
        }
        return s.substring(start, i);
    }

    /** where {@code word} stands alone, outside quotes and parentheses, at or after {@code from}; -1 when nowhere */
    private static int keyword(String s, String word, int from) {
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote; // a doubled quote closes and reopens: the same state after it
                continue;
            }
            switch (c) {
                case '`', '\'', '"' -> quote = c;
                case '(' -> depth++;
                case ')' -> depth--;
                default -> {
                    if (i >= from && depth == 0 && i > 0 && Character.isWhitespace(s.charAt(i - 1))
                            && s.regionMatches(true, i, word, 0, word.length())
                            && (i + word.length() == s.length()
                            || Character.isWhitespace(s.charAt(i + word.length())))) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** {@code list} cut at its top-level commas */
    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        char quote = 0;
        int depth = 0;
        int start = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '`' || c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(list.substring(start, i));
                start = i + 1;
            }
        }
        out.add(list.substring(start));
        return out;
    }

    private static boolean startsWithWord(String s, String word) {
        return s.regionMatches(true, 0, word, 0, word.length())
                && s.length() > word.length() && Character.isWhitespace(s.charAt(word.length()));
    }
}
