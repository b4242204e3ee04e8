package io.tidemark.coordinator.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name a misspelt one most likely meant, for "did you mean `filter`?". Near means few edits (a typed,
 * missed, changed or swapped letter; case ignored), at most one per three letters, or one name beginning with the
 * other ({@code position} for {@code pos}). Nothing is suggested when no name is near: a wrong guess misleads more
 * than the list of names does. Used wherever a user-written name is checked: the API's JSON fields, the keys of a
 * TiDB Lightning TOML file.
 */
public final class NearestName {
    private NearestName() {
    }

    public static Optional<String> of(String unknown, List<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : known) {
            String k = name.toLowerCase(Locale.ROOT);
            int distance = edits(u, k);
            boolean near = distance <= Math.max(1, u.length() / 3)
                    || (Math.min(u.length(), k.length()) >= 3 && (u.startsWith(k) || k.startsWith(u)));
            if (near && distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    /** edits that turn {@code a} into {@code b}: insert, delete, replace, or swap two neighbouring letters */
    static int edits(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
