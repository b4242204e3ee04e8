package io.tidemark.coordinator.config.lightning;

import io.tidemark.coordinator.config.NearestName;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One table of a TiDB Lightning file, read key by key: each typed read checks the value's TOML type and that no seed
 * placeholder ({@code ${user_name}}) was left in it, and remembers the key as read. Whatever is left unread at the end
 * is a key Tidemark does not implement or does not know — faulted with its line and the nearest known key.
 */
final class TomlSection {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}\\s]*}");
    private static final Set<String> SECRET_KEYS = Set.of("password", "dsn");

    private final Findings findings;
    private final String path;
    private final TomlTable table;
    private final Position header;
    private final Set<String> read = new HashSet<>();

    private TomlSection(Findings findings, String path, TomlTable table, Position header) {
        this.findings = findings;
        this.path = path;
        this.table = table;
        this.header = header;
        findings.opened(this);
    }

    static TomlSection root(TomlTable document, Findings findings) {
        return new TomlSection(findings, KnownKeys.ROOT, document, Position.UNKNOWN);
    }

    String path() {
        return path;
    }

    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** whether the file has this section at all */
    boolean present() {
        return table != null;
    }

    boolean has(String key) {
        return table != null && table.contains(List.of(key));
    }

    Position header() {
        return header;
    }

    Position at(String key) {
        if (!has(key)) {
            return header;
        }
        return position(table.inputPositionOf(List.of(key)));
    }

    /** where the section and each of its keys are, for the record built from it */
    Origin origin() {
        Map<String, Position> keys = new HashMap<>();
        if (table != null) {
            for (String key : table.keySet()) {
                keys.put(key, position(table.inputPositionOf(List.of(key))));
            }
        }
        return new Origin(findings.file(), path, header, keys);
    }

    /** a sub-table, empty when the file does not have it */
    TomlSection section(String key) {
        Object value = take(key);
        if (value == null) {
            return new TomlSection(findings, path(key), null, header);
        }
        if (value instanceof TomlTable t) {
            return new TomlSection(findings, path(key), t, at(key));
        }
        wrongType(key, value, "a table ([" + path(key) + "] with its keys below it)");
        return new TomlSection(findings, path(key), null, at(key));
    }

    /** the tables of an array of tables ({@code [[mydumper.files]]}); their paths count from 1 */
    List<TomlSection> tables(String key) {
        Object value = take(key);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof TomlArray array) || !TomlValues.allTables(array)) {
            wrongType(key, value, "an array of tables, each written as [[" + path(key) + "]] with its keys below it");
            return List.of();
        }
        List<TomlSection> sections = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            sections.add(new TomlSection(findings, path(key) + "[" + (i + 1) + "]", array.getTable(i),
                    position(array.inputPositionOf(i))));
        }
        return sections;
    }

    /** the value as it is, whatever its type; marks the key read */
    Optional<Object> raw(String key) {
        return Optional.ofNullable(take(key));
    }

    Optional<String> string(String key) {
        return string(key, true);
    }

    /**
     * a string that may hold {@code ${name}} legitimately (a {@code [[mydumper.files]]} template): not checked for
     * seed placeholders
     */
    Optional<String> template(String key) {
        return string(key, false);
    }

    private Optional<String> string(String key, boolean placeholdersForbidden) {
        Object value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String s)) {
            wrongType(key, value, "a string in quotes");
            return Optional.empty();
        }
        if (placeholdersForbidden && placeholder(key, s)) {
            return Optional.empty();
        }
        return Optional.of(s);
    }

    Optional<Long> integer(String key) {
        Object value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Long l) {
            return Optional.of(l);
        }
        wrongType(key, value, "a whole number without quotes");
        return Optional.empty();
    }

    /** an integer that must fit an int, e.g. a port or a concurrency */
    Optional<Integer> smallInteger(String key) {
        Optional<Long> value = integer(key);
        if (value.isPresent() && (value.get() > Integer.MAX_VALUE || value.get() < Integer.MIN_VALUE)) {
            fail(key, value.get(), "is far too large", "write a number below " + Integer.MAX_VALUE);
            return Optional.empty();
        }
        return value.map(Long::intValue);
    }

    Optional<Boolean> bool(String key) {
        Object value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        wrongType(key, value, "true or false, without quotes");
        return Optional.empty();
    }

    /** an array of strings; with {@code oneAllowed}, a single string counts as an array of one */
    Optional<List<String>> strings(String key, boolean oneAllowed) {
        Object value = take(key);
        if (value == null) {
            return Optional.empty();
        }
        if (oneAllowed && value instanceof String s) {
            return placeholder(key, s) ? Optional.empty() : Optional.of(List.of(s));
        }
        if (!(value instanceof TomlArray array)) {
            wrongType(key, value, "an array of strings, e.g. " + key + " = ['mydb.*']");
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                wrongType(key, value, "an array of strings, each in quotes");
                return Optional.empty();
            }
            if (placeholder(key, s)) {
                return Optional.empty();
            }
            strings.add(s);
        }
        return Optional.of(strings);
    }

    /**
     * a key Tidemark accepts but does not use as TiDB Lightning does: noted with what Tidemark does instead. Its value
     * is still checked for a seed placeholder left in it.
     */
    void note(String key, String text) {
        Object value = take(key);
        if (value == null) {
            return;
        }
        if (value instanceof String s && placeholder(key, s)) {
            return;
        }
        findings.note(new Note(path(key), at(key).line(), text));
    }

    /** a problem with a key this section holds */
    void fail(String key, Object value, String what, String fix) {
        findings.problem(new Problem(findings.file(), path(key), at(key), value == null ? null : shown(key, value),
                what, fix));
    }

    /** the value as messages may show it: secrets hidden, the keys in a storage URI masked */
    private static String shown(String key, Object value) {
        if (SECRET_KEYS.contains(key)) {
            return "(hidden)";
        }
        if (key.equals("data-source-dir") && value instanceof String s) {
            return TomlValues.render(DataSourceDir.redact(s));
        }
        return TomlValues.render(value);
    }

    private boolean placeholder(String key, String value) {
        Matcher m = PLACEHOLDER.matcher(value);
        if (!m.find()) {
            return false;
        }
        fail(key, value, "still holds the seed's placeholder " + m.group(),
                "replace " + m.group() + ", the ${ and } included, with the real value");
        return true;
    }

    private void wrongType(String key, Object value, String expected) {
        if (value instanceof String s && placeholder(key, s)) {
            return; // "${port}" in quotes: the placeholder is the mistake, not the quotes
        }
        fail(key, value, "is " + TomlValues.kind(value) + "; it must be " + expected,
                "write " + key + " as " + expected);
    }

    private Object take(String key) {
        if (table == null) {
            return null;
        }
        read.add(key);
        return table.get(List.of(key));
    }

    /** faults every key no reader took, naming what TiDB Lightning uses it for or the key it most likely meant */
    void faultUnreadKeys() {
        if (table == null) {
            return;
        }
        Optional<KnownKeys.Section> catalog = KnownKeys.of(path);
        for (String key : table.keySet()) {
            if (read.contains(key)) {
                continue;
            }
            String unsupported = catalog.map(c -> c.unsupported().get(key)).orElse(null);
            String where = path.isEmpty() ? "the top level" : "[" + path.replaceAll("\\[\\d+]", "") + "]";
            if (unsupported != null) {
                findings.problem(new Problem(findings.file(), path(key), at(key), null,
                        "is a TiDB Lightning setting Tidemark does not implement: " + unsupported, "remove it"));
                continue;
            }
            List<String> known = new ArrayList<>(catalog.map(KnownKeys.Section::keys).orElse(List.of()));
            Optional<String> near = NearestName.of(key, known);
            List<String> holders = KnownKeys.sectionsHolding(key);
            String fix;
            if (near.isPresent()) {
                fix = "did you mean `" + path(near.get()) + "`?";
            } else if (!holders.isEmpty()) {
                fix = "move it under [" + String.join("] or [", holders) + "]";
            } else {
                fix = "remove it; the keys of " + where + " are " + String.join(", ", known);
            }
            findings.problem(new Problem(findings.file(), path(key), at(key), null,
                    "is not a key of " + where + " that Tidemark knows", fix));
        }
    }

    private static Position position(TomlPosition p) {
        return p == null ? Position.UNKNOWN : new Position(p.line(), p.column());
    }
}
