package io.tidemark.coordinator.config.lightning;

import java.util.Locale;

/**
 * The {@code [post-restore]} section: whether the import is verified, and whether the tables are analyzed after.
 * TiDB Lightning's defaults: {@code checksum = "required"}, {@code analyze = "optional"}; {@code true} means required,
 * {@code false} off.
 */
public record PostRestore(Level checksum, Level analyze, Origin origin) {
    /** how much a post-import step matters */
    public enum Level {
        /** a failure fails the import */
        REQUIRED,
        /** a failure is a warning */
        OPTIONAL,
        /** the step does not run */
        OFF
    }

    public PostRestore {
        checksum = checksum == null ? Level.REQUIRED : checksum;
        analyze = analyze == null ? Level.OPTIONAL : analyze;
    }

    static PostRestore defaults() {
        return new PostRestore(Level.REQUIRED, Level.OPTIONAL, Origin.of("post-restore"));
    }

    static PostRestore read(TomlSection s) {
        return new PostRestore(level(s, "checksum", Level.REQUIRED), level(s, "analyze", Level.OPTIONAL), s.origin());
    }

    private static Level level(TomlSection s, String key, Level absent) {
        return s.raw(key).map(v -> switch (v) {
            case Boolean b -> b ? Level.REQUIRED : Level.OFF;
            case String w when w.equalsIgnoreCase("required") || w.equalsIgnoreCase("true") -> Level.REQUIRED;
            case String w when w.equalsIgnoreCase("optional") -> Level.OPTIONAL;
            case String w when w.equalsIgnoreCase("off") || w.equalsIgnoreCase("false") -> Level.OFF;
            default -> {
                s.fail(key, v, "is not one of \"required\", \"optional\", \"off\", true, false",
                        "write " + key + " = \"" + absent.name().toLowerCase(Locale.ROOT) + "\"");
                yield null;
            }
        }).orElse(absent);
    }
}
