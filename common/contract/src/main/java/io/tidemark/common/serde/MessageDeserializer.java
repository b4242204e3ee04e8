package io.tidemark.common.serde;

import org.apache.kafka.common.serialization.Deserializer;

/** Kafka value deserializer for Tidemark messages; a tombstone reads as null. */
public final class MessageDeserializer<T> implements Deserializer<T> {
    private final Class<T> type;

    public MessageDeserializer(Class<T> type) {
        this.type = type;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        return data == null ? null : MessageCodec.read(data, type);
    }
}
