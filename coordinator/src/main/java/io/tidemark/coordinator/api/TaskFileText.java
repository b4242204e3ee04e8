package io.tidemark.coordinator.api;

import io.tidemark.common.secret.SecretBox;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.StringReader;
import java.util.Optional;

/**
 * A DM file's text kept as the user wrote it but for one value: a plaintext password is replaced in place by its
 * sealed form, so the text may travel on Kafka and be exported ({@code config export}) without a plaintext secret,
 * and every other byte (comments, order, quoting) is the user's. Stateless.
 */
final class TaskFileText {
    /** where a DM task file keeps the one password it has */
    static final String[] TARGET_PASSWORD = {"target-database", "password"};
    /** where a DM source file keeps its password */
    static final String[] SOURCE_PASSWORD = {"from", "password"};
    /** the prefix of {@link SecretBox#seal} output, as {@code tidemark encrypt} prints it */
    static final String SEALED = "enc:v1:";

    private TaskFileText() {
    }

    /** the text with the task's target password sealed; unchanged when it has none or it is sealed already */
    static String sealed(String text, SecretBox secrets) {
        return scalar(text, TARGET_PASSWORD).filter(n -> !n.getValue().startsWith(SEALED))
                .map(n -> {
                    // SnakeYAML counts code points; String indexes count UTF-16 units
                    int start = text.offsetByCodePoints(0, n.getStartMark().getIndex());
                    int end = text.offsetByCodePoints(0, n.getEndMark().getIndex());
                    // a sealed value is base64 after its prefix: a double-quoted scalar needs no escape for it
                    return text.substring(0, start) + '"' + secrets.seal(n.getValue()).value() + '"'
                            + text.substring(end);
                }).orElse(text);
    }

    /** the value written at {@code path}, when it is a plain scalar there; empty for a text YAML cannot read */
    static Optional<String> value(String text, String... path) {
        return scalar(text, path).map(ScalarNode::getValue);
    }

    private static Optional<ScalarNode> scalar(String text, String... path) {
        Node node;
        try {
            node = new Yaml(new SafeConstructor(new LoaderOptions())).compose(new StringReader(text));
        } catch (YAMLException e) {
            return Optional.empty(); // the file's own parser reports it, with its line
        }
        for (String key : path) {
            if (!(node instanceof MappingNode map)) {
                return Optional.empty();
            }
            node = null;
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    node = t.getValueNode();
                }
            }
        }
        return node instanceof ScalarNode s ? Optional.of(s) : Optional.empty();
    }
}
