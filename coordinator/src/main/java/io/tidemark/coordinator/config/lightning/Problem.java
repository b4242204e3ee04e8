package io.tidemark.coordinator.config.lightning;

import java.util.Comparator;

/**
 * One thing wrong with a TiDB Lightning file: the key (its full TOML path), where it is, the value as written (never a
 * secret), what is wrong and the fix.
 *
 * @param file     the file name as the user gave it
 * @param key      the key's full TOML path ({@code tidb.port}); for a file that does not parse, the key on the line
 *                 that failed, or the section when the line has none
 * @param position where the key is
 * @param value    the value as TOML writes it ({@code "abc"}, {@code 4000}), "(hidden)" for a secret, or null
 * @param what     what is wrong
 * @param fix      what to write instead
 */
public record Problem(String file, String key, Position position, String value, String what, String fix) {
    public static final Comparator<Problem> IN_FILE_ORDER = Comparator
            .comparingInt((Problem p) -> p.position().known() ? p.position().line() : Integer.MAX_VALUE)
            .thenComparingInt(p -> p.position().column());

    /** {@code tidb-lightning.toml line 5: `tidb.port` = 0 is not a TCP port; fix: write port = 4000} */
    @Override
    public String toString() {
        return (file.isEmpty() ? "" : file + " ") + describe();
    }

    /** as {@link #toString()} without the file's name: {@code line 5: `tidb.port` = 0 is not …; fix: …} */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(position.describe()).append(": ");
        if (key != null && !key.isEmpty()) {
            s.append('`').append(key).append('`');
            if (value != null) {
                s.append(" = ").append(value);
            }
            s.append(' ');
        }
        s.append(what);
        if (fix != null && !fix.isEmpty()) {
            s.append("; fix: ").append(fix);
        }
        return s.toString();
    }
}
