package io.tidemark.dm.task;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

/**
 * What one record of the task topic says about its key. The kit's consumers hand an unreadable value over as null
 * with the error in a header: it must not read as a tombstone, which would stop a running task. Only the
 * deserializer's own header counts; a header of that name a producer wrote is ignored.
 */
sealed interface TaskRecord {
    /** the key's desired state */
    record Desired(ReplicationTask task) implements TaskRecord {
    }

    /** a tombstone: the task was deleted */
    record Deleted() implements TaskRecord {
    }

    /** nothing this worker can act on; the key keeps the desired state it had */
    record Skipped(String why) implements TaskRecord {
    }

    static TaskRecord of(ConsumerRecord<String, Command> r) {
        if (r.key() == null) {
            return new Skipped("no key");
        }
        if (r.value() == null) {
            DeserializationException unreadable = SerializationUtils.getExceptionFromHeader(r,
                    SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, new LogAccessor(TaskRecord.class));
            return unreadable == null ? new Deleted() : new Skipped("unreadable: "
                    + (unreadable.getCause() == null ? unreadable.getMessage() : unreadable.getCause().getMessage()));
        }
        return r.value() instanceof ReplicationTask t ? new Desired(t)
                : new Skipped(r.value().getClass().getSimpleName() + " is not a replication task");
    }
}
