package io.tidemark.common.serde;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for Tidemark messages; null stays null (a tombstone on compacted topics). */
public final class MessageSerializer<T> implements Serializer<T> {
    @Override
    public byte[] serialize(String topic, T data) {
        return data == null ? null : MessageCodec.write(data);
    }
}
