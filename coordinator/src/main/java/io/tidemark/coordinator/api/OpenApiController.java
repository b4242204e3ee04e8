package io.tidemark.coordinator.api;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3 document of every {@code /api/v1} endpoint, hand-written beside this class ({@code openapi.yaml}):
 * the DM, Lightning and spec bodies are read raw, so a document generated from the handlers' signatures would describe
 * them wrongly. OpenApiIT holds the document and the mapped endpoints to each other.
 */
@RestController
class OpenApiController {
    static final String RESOURCE = "openapi.yaml";
    private static final MediaType YAML = MediaType.parseMediaType("application/yaml;charset=UTF-8");

    private final byte[] document;

    OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + OpenApiController.class.getName()
                        + " in the coordinator's jar");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the coordinator's jar", e);
        }
    }

    @GetMapping(path = "/api/v1/openapi.yaml")
    ResponseEntity<byte[]> document() {
        return ResponseEntity.ok().contentType(YAML).body(document);
    }
}
