package io.tidemark.common.status;

import com.fasterxml.jackson.annotation.JsonSubTypes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The published JSON Schemas (draft 2020-12) of the {@code tidemark.status} topic: one per event type, named by the
 * type's discriminator, plus {@code envelope}, the fields every event carries. The type names come from
 * {@link StatusEvent}'s own {@link JsonSubTypes} so the list cannot miss a type; StatusSchemasTest holds each schema
 * to its record.
 */
public final class StatusSchemas {
    /** the schema every event matches besides its type's: the type discriminator and the common fields */
    public static final String ENVELOPE = "envelope";
    static final String DIRECTORY = "/schemas/status/";

    private StatusSchemas() {
    }

    /** the event type names, in the order {@link StatusEvent} declares them */
    public static List<String> types() {
        return Arrays.stream(StatusEvent.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::name).toList();
    }

    /** the schema document of an event type or of {@link #ENVELOPE}; empty for any other name */
    public static Optional<byte[]> schema(String name) {
        if (!ENVELOPE.equals(name) && !types().contains(name)) {
            return Optional.empty();
        }
        String resource = DIRECTORY + name + ".schema.json";
        try (InputStream in = StatusSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the tidemark-common jar");
            }
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
