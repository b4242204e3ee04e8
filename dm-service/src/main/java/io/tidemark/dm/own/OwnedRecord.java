package io.tidemark.dm.own;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * What one record of a desired-state topic says about its key. The kit's consumers hand an unreadable value over as
 * null with the error in a header: it must not read as a tombstone, which would stop a running task or relay. Only
 * the deserializer's own header counts; a header of that name a producer wrote is ignored.
 */
sealed interface OwnedRecord<V> {
    /** the key's desired state */
    record Desired<V>(V value) implements OwnedRecord<V> {
    }

    /** a tombstone: the key was deleted */
    record Deleted<V>() implements OwnedRecord<V> {
    }

    /** nothing this worker can act on; the key keeps the desired state it had */
    record Skipped<V>(String why) implements OwnedRecord<V> {
    }

    /** @param type what the topic's values must be (a topic of commands carries tasks only, say) */
    static <V> OwnedRecord<V> of(ConsumerRecord<String, ?> r, Class<V> type) {
        if (r.key() == null) {
            return new Skipped<>("no key");
        }
        if (r.value() == null) {
            DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(r,
                    SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, new LogAccessor(OwnedRecord.class));
            return unreadable == null ? new Deleted<>() : new Skipped<>("unreadable: "
                    + (unreadable.getCause() == null ? unreadable.getMessage() : unreadable.getCause().getMessage()));
        }
        return type.isInstance(r.value()) ? new Desired<>(type.cast(r.value()))
                : new Skipped<>(r.value().getClass().getSimpleName() + " is not a " + type.getSimpleName());
    }
}
