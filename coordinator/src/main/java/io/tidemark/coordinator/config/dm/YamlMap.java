package io.tidemark.coordinator.config.dm;

import io.tidemark.coordinator.config.NearestName;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import io.tidemark.coordinator.config.lightning.Position;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One YAML mapping of a DM file, read through SnakeYAML's node API so every key keeps its line. Each key is checked
 * against the keys its place takes ({@link #keys}): an unknown one is a problem naming its full path and the nearest
 * known key, a key of older DM versions that does nothing any more is a note. The getters record a problem and answer
 * null for a value of the wrong type, so a file's every problem is found in one read. JSON is YAML, so the same reader
 * takes a JSON body.
 */
final class YamlMap {
    private final String path;
    private final Node node;
    private final Findings findings;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    /** @param anchor where a problem of the whole mapping is shown: the key it is under, or the file's top */
    private YamlMap(String path, MappingNode node, Node anchor, Findings findings) {
        this.path = path;
        this.node = anchor;
        this.findings = findings;
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode key)) {
                findings.problem(path, t.getKeyNode(), null, "has a key that is not a plain name",
                        "write keys as plain names, e.g. source-id:");
                continue;
            }
            if (entries.putIfAbsent(key.getValue(), t) != null) {
                findings.problem(child(key.getValue()), key, null, "is given twice",
                        "keep one of the two; YAML files of DM take each key once");
            }
        }
    }

    /**
     * The file's top mapping, or null (with the problem recorded) when the text is not YAML or not a mapping.
     * Aliases are limited by SnakeYAML's defaults, so a crafted file cannot expand without bound.
     */
    static YamlMap root(String text, Findings findings) {
        Node root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            findings.problem("", e.getProblemMark() == null ? Position.UNKNOWN
                            : new Position(e.getProblemMark().getLine() + 1, e.getProblemMark().getColumn() + 1), null, "is not valid YAML: " + e.getProblem(),
                    "check the indentation and quoting at that line");
            return null;
        } catch (YAMLException e) {
            findings.problem("", Position.UNKNOWN, null, "is not valid YAML: " + e.getMessage(), "check the file's syntax");
            return null;
        }
        if (!(root instanceof MappingNode mapping)) {
            findings.problem("", root, null, "is not a mapping of keys to values", "write the file as key: value lines");
            return null;
        }
        return new YamlMap("", mapping, mapping, findings);
    }

    /**
     * Checks every key of this mapping.
     *
     * @param known    the keys Tidemark reads here
     * @param obsolete keys of older DM versions that do nothing any more, with what the note says
     */
    YamlMap keys(List<String> known, Map<String, String> obsolete) {
        for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
            String key = e.getKey();
            if (known.contains(key)) {
                continue;
            }
            if (obsolete.containsKey(key)) {
                findings.note(child(key), e.getValue().getKeyNode(), obsolete.get(key));
                continue;
            }
            findings.problem(child(key), e.getValue().getKeyNode(), null,
                    "is not a key " + (path.isEmpty() ? "of this file" : "under `" + path + "`")
                            + " that Tidemark knows or implements",
                    NearestName.of(key, known).map(n -> "did you mean `" + child(n) + "`?")
                            .orElse("remove it; the keys here are " + String.join(", ", known)));
        }
        return this;
    }

    String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String path() {
        return path;
    }

    /** where a problem of the whole mapping is shown (a missing key): its key, or its first line */
    Node node() {
        return node;
    }

    Set<String> names() {
        return entries.keySet();
    }

    boolean has(String key) {
        Node v = value(key);
        return v != null && !isNull(v);
    }

    /** the value's node (null when absent), for positions */
    Node value(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? node : t.getKeyNode();
    }

    String string(String key) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return null;
        }
        if (v instanceof ScalarNode s) {
            return s.getValue();
        }
        wrongType(key, v, "a string");
        return null;
    }

    Integer integer(String key, long min, long max) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return null;
        }
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
            try {
                long n = Long.parseLong(s.getValue().replace("_", ""));
                if (n >= min && n <= max) {
                    return (int) n;
                }
            } catch (NumberFormatException ignored) {
                // out of long's range: the same answer as out of the key's range
            }
            findings.problem(child(key), v, s.getValue(), "is not in " + min + ".." + max, "write a number in that range");
            return null;
        }
        wrongType(key, v, "a whole number");
        return null;
    }

    Boolean bool(String key) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return null;
        }
        if (v instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(s.getValue().toLowerCase(java.util.Locale.ROOT));
        }
        wrongType(key, v, "true or false");
        return null;
    }

    YamlMap map(String key) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return null;
        }
        if (v instanceof MappingNode m) {
            return new YamlMap(child(key), m, keyNode(key), findings);
        }
        wrongType(key, v, "a mapping of keys to values");
        return null;
    }

    /** the entries of a list, each with its path ({@code mysql-instances[0]}) */
    List<Map.Entry<String, Node>> list(String key) {
        Node v = value(key);
        List<Map.Entry<String, Node>> out = new ArrayList<>();
        if (v == null || isNull(v)) {
            return out;
        }
        if (!(v instanceof SequenceNode seq)) {
            wrongType(key, v, "a list");
            return out;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            out.add(Map.entry(child(key) + "[" + i + "]", seq.getValue().get(i)));
        }
        return out;
    }

    /** a list of strings; an entry that is not one is a problem */
    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : list(key)) {
            if (e.getValue() instanceof ScalarNode s && !isNull(s)) {
                out.add(s.getValue());
            } else {
                findings.problem(e.getKey(), e.getValue(), null, "must be a string", "write a name, e.g. - \"mydb\"");
            }
        }
        return out;
    }

    /** an entry of a list read as a mapping, or null with the problem recorded */
    static YamlMap entry(Map.Entry<String, Node> e, Findings findings) {
        if (e.getValue() instanceof MappingNode m) {
            return new YamlMap(e.getKey(), m, m, findings);
        }
        findings.problem(e.getKey(), e.getValue(), null, "must be a mapping of keys to values",
                "indent its keys under the list's dash");
        return null;
    }

    /** the sub-mappings of a mapping of named configurations ({@code mydumpers: {global: {...}}}) */
    Map<String, YamlMap> named(String key) {
        Map<String, YamlMap> out = new LinkedHashMap<>();
        YamlMap m = map(key);
        if (m == null) {
            return out;
        }
        for (String name : m.names()) {
            YamlMap one = m.map(name);
            if (one != null) {
                out.put(name, one);
            }
        }
        return out;
    }

    private void wrongType(String key, Node v, String wanted) {
        String shown = v instanceof ScalarNode s ? quote(s.getValue()) : null;
        findings.problem(child(key), v, key.contains("password") ? "(hidden)" : shown, "must be " + wanted,
                "write " + key + ": followed by " + wanted);
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    }

    private static boolean isNull(Node v) {
        return v instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }
}
