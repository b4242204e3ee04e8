package io.tidemark.coordinator.api;

import io.tidemark.common.status.StatusSchemas;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON Schemas of the public {@code tidemark.status} topic, as {@link StatusSchemas} publishes them, so a consumer
 * can fetch the contract of the coordinator it talks to.
 */
@RestController
@RequestMapping("/api/v1/schemas/status")
class StatusSchemaController {
    static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");
    private static final String BASE = "/api/v1/schemas/status/";

    /** the envelope and the event types, each with where its schema is */
    @GetMapping
    Map<String, Object> index() {
        Map<String, String> types = new LinkedHashMap<>();
        StatusSchemas.types().forEach(t -> types.put(t, BASE + t));
        return Map.of("topic", "tidemark.status", "envelope", BASE + StatusSchemas.ENVELOPE, "types", types);
    }

    @GetMapping("/{type}")
    ResponseEntity<?> schema(@PathVariable String type) {
        return StatusSchemas.schema(type).<ResponseEntity<?>>map(s -> ResponseEntity.ok().contentType(SCHEMA_JSON)
                        .body(s))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
                        .body(new ApiError(null, "no status event type '" + type + "'; the types are "
                                + String.join(", ", StatusSchemas.types()) + " (and " + StatusSchemas.ENVELOPE + ")",
                                "GET " + BASE.substring(0, BASE.length() - 1) + " lists them", null, null, null,
                                null)));
    }
}
