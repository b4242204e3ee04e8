package io.tidemark.common.serde;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for every Tidemark message, with an explicit schema version checked on read: a message of another version
 * is rejected loudly, never half-read. Fields unknown to this version are ignored so a field can be added within
 * a version. Thread-safe.
 */
public final class MessageCodec {
    /** the message schema version this build writes and reads */
    public static final int SCHEMA_VERSION = 1;
    static final String SCHEMA_FIELD = "schema";

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private MessageCodec() {
    }

    public static JsonMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object message) {
        JsonNode tree = MAPPER.valueToTree(message);
        if (!(tree instanceof ObjectNode object)) {
            throw new TidemarkException(ErrorCode.INTERNAL, "message " + message.getClass() + " is not a JSON object");
        }
        ObjectNode out = MAPPER.createObjectNode();
        out.put(SCHEMA_FIELD, SCHEMA_VERSION);
        out.setAll(object);
        return MAPPER.writeValueAsBytes(out);
    }

    public static <T> T read(byte[] bytes, Class<T> type) {
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
        try {
            return MAPPER.treeToValue(object, type);
        } catch (JacksonException e) {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE, e,
                    type.getSimpleName() + ": " + e.getOriginalMessage());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new TidemarkException(ErrorCode.MALFORMED_MESSAGE, e, type.getSimpleName() + ": " + e.getMessage());
        }
    }
}
