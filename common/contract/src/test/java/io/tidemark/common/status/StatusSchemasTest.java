package io.tidemark.common.status;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.serde.MessageVersions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published schemas cannot drift from the records: every component is a property of the right JSON type (nested
 * records too), no property is extra, a non-nullable component is required, and each schema's example is exactly
 * what the codec writes for the event it reads.
 */
class StatusSchemasTest {
    private static final Set<String> ENVELOPE_ONLY = Set.of("schema", "type", "v");

    @Test
    void everyEventTypeHasASchemaMatchingItsRecord() {
        List<String> problems = new ArrayList<>();
        for (JsonSubTypes.Type t : StatusEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            JsonNode schema = read(t.name());
            assertThat(schema.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(schema.at("/properties/type/const").asString()).as(t.name()).isEqualTo(t.name());
            assertThat(schema.at("/properties/schema/const").asInt()).isEqualTo(MessageCodec.SCHEMA_VERSION);
            assertThat(schema.at("/properties/v/const").asInt()).as(t.name())
                    .isEqualTo(MessageVersions.CURRENT.type(t.name()).orElseThrow().current());
            compare(t.name(), schema, schema, t.value(), ENVELOPE_ONLY, problems);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void eachExampleIsWhatTheCodecWritesForIt() {
        for (String type : StatusSchemas.types()) {
            JsonNode schema = read(type);
            assertThat(schema.get("examples")).as(type).isNotEmpty();
            for (JsonNode example : schema.get("examples")) {
                byte[] bytes = MessageCodec.mapper().writeValueAsBytes(example);
                StatusEvent event = MessageCodec.read(bytes, StatusEvent.class);
                assertThat(StatusSchemas.types().get(indexOf(event.getClass()))).isEqualTo(type);
                assertThat(MessageCodec.mapper().readTree(MessageCodec.write(event))).as(type).isEqualTo(example);
            }
        }
    }

    @Test
    void theEnvelopeHoldsTheFieldsEveryEventHas() {
        JsonNode envelope = read(StatusSchemas.ENVELOPE);
        Set<String> common = new HashSet<>(ENVELOPE_ONLY);
        for (var m : StatusEvent.class.getDeclaredMethods()) {
            if (!m.isDefault() && !m.isSynthetic() && m.getParameterCount() == 0) {
                common.add(m.getName());
            }
        }
        assertThat(names(envelope.get("properties"))).containsExactlyInAnyOrderElementsOf(common);
        assertThat(names(envelope.get("required"))).containsExactlyInAnyOrderElementsOf(common);
    }

    @Test
    void theDirectoryHoldsNoSchemaOfATypeThatIsGone() throws Exception {
        Path dir = Path.of(StatusSchemas.class.getResource(StatusSchemas.DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString().replace(".schema.json", "")).toList();
            List<String> expected = new ArrayList<>(StatusSchemas.types());
            expected.add(StatusSchemas.ENVELOPE);
            assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(StatusSchemas.schema("no-such-type")).isEmpty();
    }

    private static int indexOf(Class<?> c) {
        JsonSubTypes.Type[] types = StatusEvent.class.getAnnotation(JsonSubTypes.class).value();
        for (int i = 0; i < types.length; i++) {
            if (types[i].value() == c) {
                return i;
            }
        }
        throw new AssertionError(c + " is not a status event type");
    }

    private static JsonNode read(String name) {
        return MessageCodec.mapper().readTree(StatusSchemas.schema(name).orElseThrow());
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asString()));
        } else {
            out.addAll(node.propertyNames());
        }
        return out;
    }

    /** the object schema {@code node} against record {@code type}; {@code extra} are properties no component has */
    private static void compare(String where, JsonNode root, JsonNode node, Class<?> type, Set<String> extra,
                                List<String> problems) {
        node = deref(root, node);
        JsonNode props = node.get("properties");
        Set<String> required = new HashSet<>(names(node.withArray("required")));
        Set<String> seen = new HashSet<>(extra);
        for (RecordComponent c : type.getRecordComponents()) {
            String at = where + "." + c.getName();
            seen.add(c.getName());
            JsonNode p = props == null ? null : props.get(c.getName());
            if (p == null) {
                problems.add(at + ": no property in the schema");
                continue;
            }
            boolean nullable = deref(root, p).path("type").isArray()
                    && names(deref(root, p).get("type")).contains("null");
            if (c.getType().isPrimitive() && !required.contains(c.getName())) {
                problems.add(at + ": a primitive is always written, so must be required");
            }
            if (!nullable && !required.contains(c.getName()) && !optionalWhenNull(type, c)) {
                problems.add(at + ": neither required nor nullable");
            }
            compareValue(at, root, p, c.getGenericType(), problems);
        }
        for (String name : names(props)) {
            if (!seen.contains(name)) {
                problems.add(where + "." + name + ": in the schema but not in " + type.getSimpleName());
            }
        }
    }

    /** a record written with NON_NULL leaves a null component out rather than writing null */
    private static boolean optionalWhenNull(Class<?> type, RecordComponent c) {
        var include = type.getAnnotation(com.fasterxml.jackson.annotation.JsonInclude.class);
        return include != null && include.value() == com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL
                && !c.getType().isPrimitive();
    }

    private static void compareValue(String at, JsonNode root, JsonNode p, Type javaType, List<String> problems) {
        p = deref(root, p);
        Class<?> raw = javaType instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) javaType;
        String expected;
        if (raw == String.class || raw == Instant.class || raw.isEnum()) {
            expected = "string";
        } else if (raw == long.class || raw == Long.class || raw == int.class || raw == Integer.class) {
            expected = "integer";
        } else if (raw == double.class || raw == Double.class) {
            expected = "number";
        } else if (raw == boolean.class || raw == Boolean.class) {
            expected = "boolean";
        } else if (List.class.isAssignableFrom(raw)) {
            expected = "array";
        } else if (raw.isRecord()) {
            expected = "object";
        } else {
            problems.add(at + ": no JSON type known for " + raw.getName());
            return;
        }
        JsonNode declared = p.get("type");
        List<String> types = declared == null ? List.of() : declared.isArray() ? names(declared)
                : List.of(declared.asString());
        if (!types.contains(expected)) {
            problems.add(at + ": schema says " + types + ", the record has " + raw.getSimpleName() + " (" + expected
                    + ")");
            return;
        }
        if (raw.isEnum()) {
            List<String> codes = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                codes.add(MessageCodec.mapper().valueToTree(constant).asString());
            }
            if (!names(p.withArray("enum")).equals(codes)) {
                problems.add(at + ": enum " + names(p.withArray("enum")) + " is not " + codes);
            }
        } else if (expected.equals("array")) {
            compareValue(at + "[]", root, p.get("items"), ((ParameterizedType) javaType).getActualTypeArguments()[0],
                    problems);
        } else if (raw.isRecord()) {
            compare(at, root, p, raw, Set.of(), problems);
        }
    }

    private static JsonNode deref(JsonNode root, JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : root.at(ref.asString().substring(1));
    }

}
