package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;

import java.util.OptionalLong;

/**
 * Reads the coordinator's JSON leniently: a field that is absent or null reads as absent, and where the API names a
 * thing in more than one way (a problem's {@code what} or {@code cause}) the first name present wins. The client then
 * shows what the coordinator sends, and a field the coordinator adds later does not break it.
 */
final class Fields {
    private Fields() {
    }

    /** the first of {@code names} that {@code node} holds as a non-null value, as text; null when none */
    static String text(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.path(name);
            if (!v.isMissingNode() && !v.isNull() && !v.isContainer()) {
                String s = v.asString();
                if (!s.isEmpty()) {
                    return s;
                }
            }
        }
        return null;
    }

    /** the first of {@code names} that {@code node} holds as a number */
    static OptionalLong number(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode v = node.path(name);
            if (v.isNumber()) {
                return OptionalLong.of(v.asLong());
            }
        }
        return OptionalLong.empty();
    }

    static boolean isTrue(JsonNode node, String name) {
        return node.path(name).isBoolean() && node.path(name).booleanValue();
    }

    static boolean isFalse(JsonNode node, String name) {
        return node.path(name).isBoolean() && !node.path(name).booleanValue();
    }
}
