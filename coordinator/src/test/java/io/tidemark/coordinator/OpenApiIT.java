package io.tidemark.coordinator;

import io.tidemark.common.status.StatusSchemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document the coordinator serves against the endpoints it maps: every {@code /api/v1} endpoint is in it,
 * nothing it names is missing from the coordinator, and it is an OpenAPI 3 document whose references all resolve.
 */
class OpenApiIT {
    private static final Set<String> OPERATIONS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @RegisterExtension
    static final CoordinatorOnKafka ENV = new CoordinatorOnKafka();

    private static Harness h() {
        return ENV.h();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> served() {
        Harness.Response r = h().get("/api/v1/openapi.yaml");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/yaml"));
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(r.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentNamesExactlyTheEndpointsTheCoordinatorMaps() {
        Set<String> mapped = new TreeSet<>();
        RequestMappingHandlerMapping mapping = h().bean("requestMappingHandlerMapping",
                RequestMappingHandlerMapping.class);
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String path : info.getPatternValues()) {
                if (path.startsWith("/api/")) {
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    assertThat(methods).as(path + " answers every method: name the one it takes").isNotEmpty();
                    methods.forEach(m -> mapped.add(m.name() + " " + path));
                }
            }
        }
        Set<String> documented = new TreeSet<>();
        Map<String, Object> paths = (Map<String, Object>) served().get("paths");
        paths.forEach((path, item) -> ((Map<String, Object>) item).keySet().stream().filter(OPERATIONS::contains)
                .forEach(op -> documented.add(op.toUpperCase(java.util.Locale.ROOT) + " " + path)));

        assertThat(mapped).as("mapped endpoints").contains("POST /api/v1/config/import", "GET /api/v1/openapi.yaml");
        assertThat(documented).as("endpoints in openapi.yaml but not mapped (drop them from the document)")
                .isSubsetOf(mapped);
        assertThat(mapped).as("mapped endpoints missing from openapi.yaml (describe them there)")
                .isSubsetOf(documented);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentIsOpenApi3AndEveryReferenceResolves() {
        Map<String, Object> doc = served();
        assertThat(String.valueOf(doc.get("openapi"))).startsWith("3.");
        assertThat((Map<String, Object>) doc.get("info")).containsKeys("title", "version");
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/");
            Object at = doc;
            for (String part : ref.substring(2).split("/")) {
                assertThat(at).as(ref).isInstanceOf(Map.class);
                at = ((Map<String, Object>) at).get(part);
            }
            assertThat(at).as(ref + " resolves").isNotNull();
        }
        ((Map<String, Object>) doc.get("paths")).forEach((path, item) -> ((Map<String, Object>) item).forEach(
                (op, operation) -> {
                    if (OPERATIONS.contains(op)) {
                        assertThat((Map<String, Object>) operation).as(op + " " + path).containsKeys("responses",
                                "operationId", "summary");
                    }
                }));
    }

    /** the status topic's contract is served as published: the index, each type's schema, and a clear 404 */
    @Test
    void theStatusTopicSchemasAreServed() {
        Harness.Response index = h().get("/api/v1/schemas/status");
        assertThat(index.status()).as(index.body()).isEqualTo(200);
        assertThat(index.json().get("topic").asString()).isEqualTo("tidemark.status");
        assertThat(index.json().get("types").propertyNames()).containsExactlyElementsOf(StatusSchemas.types());
        for (String type : StatusSchemas.types()) {
            Harness.Response r = h().get(index.json().get("types").get(type).asString());
            assertThat(r.status()).as(type).isEqualTo(200);
            assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                    assertThat(t).startsWith("application/schema+json"));
            assertThat(r.json().at("/properties/type/const").asString()).isEqualTo(type);
        }
        Harness.Response envelope = h().get(index.json().get("envelope").asString());
        assertThat(envelope.json().get("required").toString()).contains("\"migrationId\"", "\"type\"");

        Harness.Response unknown = h().get("/api/v1/schemas/status/chunk-exploded");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asString()).contains("'chunk-exploded'", "chunk-imported");
    }

    @SuppressWarnings("unchecked")
    private static void collectRefs(Object node, List<String> refs) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if ("$ref".equals(k)) {
                    refs.add((String) v);
                } else {
                    collectRefs(v, refs);
                }
            });
        } else if (node instanceof List<?> list) {
            list.forEach(e -> collectRefs(e, refs));
        }
    }
}
