package io.tidemark.coordinator.api;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.NearestName;
import org.springframework.util.unit.DataSize;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The JSON binding of the migration spec, configured here and nowhere else. It is stricter than the service's other
 * JSON (Kafka messages skip fields a newer version added, actuator answers are Spring's), because a spec field the
 * user misspelt must never fall back to a default: {@code "filters"} for {@code "filter"} would migrate every table.
 * So a field the spec does not have, at any depth, is refused naming its path and the nearest known name; so are a
 * field given twice, a fraction where a whole number belongs, and anything after the object. Every message speaks
 * JSON's terms (a number, a string, a list), never Java's.
 */
final class SpecJson {
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // checked below, to say so in the user's terms
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build()
            .readerFor(CreateMigrationRequest.class);
    private static final String SPEC = "the migration spec";

    private SpecJson() {
    }

    /**
     * Reads a request body of at most {@code max} bytes; a larger one is refused as soon as that is known
     * ({@link RequestBodies#read}).
     *
     * @param declaredLength the request's Content-Length, -1 when it has none
     */
    static CreateMigrationRequest read(InputStream body, long declaredLength, DataSize max) throws IOException {
        return read(RequestBodies.read(body, declaredLength, max));
    }

    /** the request as written, or null for an empty body; a catalog error naming the field when it does not fit */
    static CreateMigrationRequest read(byte[] json) {
        if (new String(json, StandardCharsets.UTF_8).isBlank()) {
            return null;
        }
        try (JsonParser parser = READER.createParser(json)) {
            CreateMigrationRequest request = READER.readValue(parser);
            if (parser.nextToken() != null) {
                throw invalid("the request body goes on after the spec's closing brace" + at(parser.currentLocation())
                        + "; send one JSON object");
            }
            return request;
        } catch (UnrecognizedPropertyException e) {
            throw invalid(unknownField(e));
        } catch (MismatchedInputException e) {
            throw invalid(wrongType(e));
        } catch (InputCoercionException e) {
            throw invalid("`" + path(e.getPath(), e.getPath().size()) + "` is a number out of range");
        } catch (JacksonException e) {
            throw invalid(notJson(e));
        }
    }

    private static String unknownField(UnrecognizedPropertyException e) {
        List<JacksonException.Reference> path = e.getPath();
        String parent = path(path, path.size() - 1);
        List<String> known = fieldsOf(e.getReferringClass(), e.getKnownPropertyIds());
        String prefix = parent.isEmpty() ? "" : parent + ".";
        return "`" + prefix + e.getPropertyName() + "` is not a field of " + (parent.isEmpty() ? SPEC : parent)
                + NearestName.of(e.getPropertyName(), known)
                .map(near -> "; did you mean `" + prefix + near + "`?")
                .orElse("; its fields are " + String.join(", ", known));
    }

    private static String wrongType(MismatchedInputException e) {
        String path = path(e.getPath(), e.getPath().size());
        if (path.isEmpty()) {
            return "the request body must be a JSON object with the fields "
                    + String.join(", ", fieldsOf(CreateMigrationRequest.class, List.of()));
        }
        Class<?> type = e.getTargetType();
        String given = "";
        if (e instanceof InvalidFormatException f && f.getValue() != null) {
            given = f.getValue() instanceof String s ? ", not \"" + abbreviate(s) + "\"" : ", not " + f.getValue();
            if (f.getValue() instanceof Number && isWholeNumber(type)) {
                return "`" + path + "` must be a whole number" + given;
            }
        }
        return "`" + path + "` must be " + inJsonTerms(type) + given;
    }

    private static String notJson(JacksonException e) {
        return "the request body is not valid JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage();
    }

    private static String at(TokenStreamLocation location) {
        return location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** what a Java type is called in JSON */
    private static String inJsonTerms(Class<?> type) {
        if (type == null) {
            return "of another kind";
        }
        if (isWholeNumber(type) || Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type.isRecord()) {
            return "an object with the fields " + String.join(", ", fieldsOf(type, List.of()));
        }
        return "of another kind";
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == java.math.BigInteger.class;
    }

    /** a record's fields in the order they are declared, else what Jackson knows of the type */
    private static List<String> fieldsOf(Class<?> type, Collection<Object> known) {
        if (type != null && type.isRecord()) {
            return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
        }
        return known.stream().map(String::valueOf).toList();
    }

    /** {@code source.port}, {@code filter[2]}: the first {@code length} steps of the path */
    private static String path(List<JacksonException.Reference> path, int length) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : path.subList(0, Math.max(0, length))) {
            if (ref.getPropertyName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static TidemarkException invalid(String detail) {
        return new TidemarkException(ErrorCode.INVALID_SPEC, detail);
    }
}
