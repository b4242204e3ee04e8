package io.tidemark.common.serde;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for every Tidemark message, with two versions checked on read: {@code schema}, the envelope's (how a message
 * is framed; any other value is refused), and {@code v}, the message type's own version from
 * {@link MessageVersions}. A message of an older type version is rewritten by the registry's upcasters into the
 * current shape; one of a newer type version is refused loudly, never half-read. Fields unknown to this version are
 * ignored so a field can be added within a version. Thread-safe.
 */
public final class MessageCodec {
    /** the envelope version this build writes and reads; a message type's own version is {@link #VERSION_FIELD} */
    public static final int SCHEMA_VERSION = 1;
    static final String SCHEMA_FIELD = "schema";
    /** the message type's version (see {@link MessageVersions}); absent in messages written before it existed */
    public static final String VERSION_FIELD = "v";
    private static final String TYPE_FIELD = "type";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private MessageCodec() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object message) {
        return write(message, MessageVersions.CURRENT);
    }

    static byte[] write(Object message, MessageVersions versions) {
        MessageVersions.Versioned versioned = versions.of(message.getClass());
        JsonNode tree = MAPPER.valueToTree(message);
        if (!(tree instanceof ObjectNode object)) {
            throw new TidemarkException(ErrorCode.INTERNAL, "message " + message.getClass() + " is not a JSON object");
        }
        // envelope first, then the type and its version, so a reader (or a person) sees what it holds at once
        ObjectNode out = MAPPER.createObjectNode();
        out.put(SCHEMA_FIELD, SCHEMA_VERSION);
        if (object.has(TYPE_FIELD)) {
            out.set(TYPE_FIELD, object.remove(TYPE_FIELD));
        }
        out.put(VERSION_FIELD, versioned.current());
        out.setAll(object);
        return MAPPER.writeValueAsBytes(out);
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
        return read(bytes, type, MessageVersions.CURRENT);
    }

    static <T> T read(byte[] bytes, Class<T> type, MessageVersions versions) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE, e, "not JSON: " + e.getOriginalMessage());
        }
        if (!(tree instanceof ObjectNode object)) {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE, "not a JSON object");
        }
        JsonNode version = object.get(SCHEMA_FIELD);
        if (version == null || !version.isInt() || version.intValue() != SCHEMA_VERSION) {
            throw new TidemarkException(ErrorCode.UNSUPPORTED_MESSAGE_VERSION, type.getSimpleName(),
                    version == null ? "(none)" : version.toString(), SCHEMA_VERSION);
        }
        object.remove(SCHEMA_FIELD);
        object = upcast(object, type, versions);
        try {
            return MAPPER.treeToValue(object, type);
        } catch (JacksonException e) {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE, e,
                    type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE, e, type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * The message in its type's current shape. A type the registry does not know is left to the mapper, which
     * refuses an unknown discriminator as malformed.
     */
    private static ObjectNode upcast(ObjectNode object, Class<?> type, MessageVersions versions) {
        JsonNode version = object.remove(VERSION_FIELD);
        int v;
        if (version == null) {
            v = MessageVersions.FIRST;
        } else if (version.isInt() && version.intValue() >= MessageVersions.FIRST) {
            v = version.intValue();
        } else {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE,
                    type.getSimpleName() + ": \"" + VERSION_FIELD + "\" is " + version + ", not a version (1, 2, …)");
        }
        String name;
        if (MessageVersions.polymorphic(type)) {
            JsonNode discriminator = object.get(TYPE_FIELD);
            name = discriminator != null && discriminator.isString() ? discriminator.asString() : null;
        } else {
            name = MessageVersions.nameOf(type).orElse(null);
        }
        MessageVersions.Versioned versioned = name == null ? null : versions.type(name).orElse(null);
        if (versioned == null) {
            return object;
        }
        if (v > versioned.current()) {
            throw new TidemarkException(ErrorCode.MESSAGE_VERSION_TOO_NEW, name, v, versioned.current());
        }
        return versioned.upcast(object, v);
    }
}
