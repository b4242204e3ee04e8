package io.tidemark.coordinator.config.lightning;

import org.tomlj.TomlArray;
import org.tomlj.TomlTable;

import java.util.Collection;
import java.util.stream.Collectors;

/** How values are shown in messages: the way TOML writes them, so the user recognises their own line. */
final class TomlValues {
    private static final int MAX = 120;

    private TomlValues() {
    }

    static String render(Object value) {
        return switch (value) {
            case null -> "(nothing)";
            case String s -> quote(s);
            case TomlArray a -> render(a.toList());
            case Collection<?> c -> c.stream().map(TomlValues::render).collect(Collectors.joining(", ", "[", "]"));
            case TomlTable t -> "{ " + String.join(", ", t.keySet()) + " }";
            default -> String.valueOf(value);
        };
    }

    /** what kind of TOML value it is, for "must be a number, not a string" */
    static String kind(Object value) {
        return switch (value) {
            case String s -> "a string";
            case Long l -> "a whole number";
            case Double d -> "a decimal number";
            case Boolean b -> "true or false";
            case TomlArray a -> !a.isEmpty() && allTables(a) ? "an array of tables" : "an array";
            case TomlTable t -> "a table";
            default -> "a date or time";
        };
    }

    static boolean allTables(TomlArray array) {
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof TomlTable)) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        String shown = s.length() > MAX ? s.substring(0, MAX) + "…" : s;
        if (shown.contains("\\") && !shown.contains("'")) {
            return "'" + shown + "'"; // a literal string, as regular expressions are usually written
        }
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                .replace("\t", "\\t") + '"';
    }
}
