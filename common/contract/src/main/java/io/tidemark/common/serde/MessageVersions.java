package io.tidemark.common.serde;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tidemark.common.command.Command;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.status.StatusEvent;
import tools.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The one registry of message versions: for every type that goes on Kafka (commands, status events, the
 * coordinator's persisted records) its current version, and how a message of an older version is read. Services are
 * upgraded one at a time, so a reader meets the version before its own (read through the type's upcasters) and, while
 * it is not yet upgraded, the version after (refused with {@link ErrorCode#MESSAGE_VERSION_TOO_NEW}, never read half).
 *
 * <p>How to change a type: adding a field whose absence reads as the old meaning (a default in the compact
 * constructor) needs no new version. Renaming, removing or changing the meaning of a field does: raise the type's
 * version here and register an upcaster from the previous version that rewrites the old JSON into the new shape. A
 * version without an upcaster reads as it is. Immutable and thread-safe.
 */
public final class MessageVersions {
    /** a message written before types had their own version carries none: it is of version 1 */
    public static final int FIRST = 1;

    /** what this build writes and reads; every type a service writes to Kafka must be here */
    public static final MessageVersions CURRENT = builder()
            // commands (desired state), on the command topics and, for replication tasks, the compacted task topic
            .type("snapshot-request", 1)
            .type("import-request", 1)
            .type("import-chunk", 1)
            .type("replication-task", 1)
            // status events, on tidemark.status
            .type("snapshot-started", 1)
            .type("table-dumped", 1)
            .type("snapshot-completed", 1)
            .type("snapshot-stopped", 1)
            .type("export-progressed", 1)
            .type("import-planned", 1)
            .type("chunk-imported", 1)
            .type("replication-progressed", 1)
            .type("work-failed", 1)
            .type("migration-progressed", 1)
            // persisted records on the coordinator's compacted topics
            // 2: its import chunks moved out of the record to the migration-chunk records (a reader of version 1
            // would take a record without chunks for an import with none left to do); version 1 reads as it is
            .type("migration", 2)
            .type("migration-chunk", 1)
            .type("dm-config", 1)
            .type("desired-relay", 1)
            .type("coordinator-leader", 1)
            .build();

    /** one type: its current version and, by the version they read, the upcasters to the next version */
    public record Versioned(String name, int current, Map<Integer, UnaryOperator<ObjectNode>> upcasters) {
        public Versioned {
            if (current < FIRST) {
                throw new IllegalArgumentException(name + ": a version starts at " + FIRST + ", was " + current);
            }
            for (int from : upcasters.keySet()) {
                if (from < FIRST || from >= current) {
                    throw new IllegalArgumentException(name + ": an upcaster from version " + from
                            + " must read a version before the current " + current);
                }
            }
            upcasters = Map.copyOf(upcasters);
        }

        /** {@code message} of {@code version} ({@code ≤ current}) rewritten, step by step, into the current shape */
        ObjectNode upcast(ObjectNode message, int version) {
            ObjectNode out = message;
            for (int v = version; v < current; v++) {
                UnaryOperator<ObjectNode> step = upcasters.get(v);
                if (step != null) {
                    out = step.apply(out);
                }
            }
            return out;
        }
    }

    private final Map<String, Versioned> types;
    private final ClassValue<Optional<String>> names = new ClassValue<>() {
        @Override
        protected Optional<String> computeValue(Class<?> type) {
            return nameOf(type);
        }
    };

    private MessageVersions(Map<String, Versioned> types) {
        this.types = Map.copyOf(types);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** the registered type of that name, if any */
    public Optional<Versioned> type(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** every registered type name */
    public List<String> names() {
        return types.keySet().stream().sorted().toList();
    }

    /** the registered type of messages of class {@code type}; refuses a class this registry does not know */
    Versioned of(Class<?> type) {
        return names.get(type).flatMap(this::type).orElseThrow(() -> new TidemarkException(
                ErrorCode.MESSAGE_TYPE_UNVERSIONED, type.getName()));
    }

    /**
     * Whether {@code type} is read through a type discriminator (the {@code type} field names the message type), as
     * the sealed command and status hierarchies are, rather than being one message type itself.
     */
    static boolean polymorphic(Class<?> type) {
        return type.isAnnotationPresent(JsonTypeInfo.class)
                || Arrays.stream(type.getInterfaces()).anyMatch(MessageVersions::polymorphic);
    }

    /** the name of a concrete message class: its {@link MessageType}, or its discriminator in its sealed parent */
    static Optional<String> nameOf(Class<?> type) {
        MessageType named = type.getAnnotation(MessageType.class);
        if (named != null) {
            return Optional.of(named.value());
        }
        for (Class<?> parent : List.of(Command.class, StatusEvent.class)) {
            if (parent.isAssignableFrom(type)) {
                return Arrays.stream(parent.getAnnotation(JsonSubTypes.class).value())
                        .filter(t -> t.value() == type).map(JsonSubTypes.Type::name).findFirst();
            }
        }
        return Optional.empty();
    }

    public static final class Builder {
        private final Map<String, Integer> current = new LinkedHashMap<>();
        private final Map<String, Map<Integer, UnaryOperator<ObjectNode>>> upcasters = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder type(String name, int version) {
            if (current.putIfAbsent(name, version) != null) {
                throw new IllegalArgumentException(name + " is registered twice");
            }
            return this;
        }

        /** how a message of {@code name} written at version {@code from} becomes one of version {@code from + 1} */
        public Builder upcaster(String name, int from, UnaryOperator<ObjectNode> toNext) {
            upcasters.computeIfAbsent(name, n -> new TreeMap<>()).put(from, toNext);
            return this;
        }

        public MessageVersions build() {
            for (String name : upcasters.keySet()) {
                if (!current.containsKey(name)) {
                    throw new IllegalArgumentException("an upcaster for " + name + ", which is not registered");
                }
            }
            Map<String, Versioned> types = new LinkedHashMap<>();
            current.forEach((name, v) -> types.put(name, new Versioned(name, v, upcasters.getOrDefault(name,
                    Map.of()))));
            return new MessageVersions(types);
        }
    }
}
