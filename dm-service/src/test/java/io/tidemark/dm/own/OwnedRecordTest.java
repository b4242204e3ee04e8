package io.tidemark.dm.own;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.serde.MessageSerializer;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.kafka.KafkaClients;
import io.tidemark.testkit.TestDatabases;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.support.serializer.SerializationUtils;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Records of the task topic as task ownership's consumer (the kit's, with its error-handling reader) hands them over. */
class OwnedRecordTest {
    private static final TopicCatalog TOPICS = TopicCatalog.DEFAULT;
    private static final Deserializer<Command> VALUES = new KafkaClients(new KafkaProperties(), "dm-service")
            .consumerFactory(TOPICS.replicationGroup(), Command.class, Map.of()).getValueDeserializer();
    private static final MigrationId ID = MigrationId.of("m1");

    @Test
    void aTaskIsTheKeysDesiredState() {
        DatabaseEndpoint db = new DatabaseEndpoint("db", 3306, "u", TestDatabases.secretBox().seal("pw"));
        ReplicationTask task = new ReplicationTask(ReplicationTask.idFor(ID) + "/e1", ID, 1,
                ReplicationTask.Desired.RUNNING, db, db, List.of("shop.*"), null, null, 7);

        assertThat(OwnedRecord.of(read(new MessageSerializer<Command>().serialize(TOPICS.replicationTasks(), task)),
                ReplicationTask.class)).isEqualTo(new OwnedRecord.Desired<>(task));
    }

    @Test
    void anUnreadableValueIsSkippedNotTakenForATombstone() {
        // given a value the contract cannot read, which the consumer hands over as null
        ConsumerRecord<String, Command> record = read("{\"type\":\"replication-task\",".getBytes(StandardCharsets.UTF_8));
        assertThat(record.value()).isNull();

        // then it is skipped, so a running task is not stopped by it
        assertThat(OwnedRecord.of(record, ReplicationTask.class)).isInstanceOfSatisfying(OwnedRecord.Skipped.class,
                s -> assertThat(s.why()).startsWith("unreadable: "));
    }

    @Test
    void aNullValueIsATombstoneEvenUnderAForgedErrorHeader() {
        assertThat(OwnedRecord.of(read(null), ReplicationTask.class)).isEqualTo(new OwnedRecord.Deleted<>());

        ConsumerRecord<String, Command> forged = read(null);
        forged.headers().add(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, new byte[]{1, 2, 3});
        assertThat(OwnedRecord.of(forged, ReplicationTask.class)).isEqualTo(new OwnedRecord.Deleted<>());
    }

    private static ConsumerRecord<String, Command> read(byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        Command command = VALUES.deserialize(TOPICS.replicationTasks(), headers, value);
        return new ConsumerRecord<>(TOPICS.replicationTasks(), 0, 0L, 0L, TimestampType.CREATE_TIME, -1,
                value == null ? -1 : value.length, ReplicationTask.idFor(ID), command, headers, Optional.empty());
    }
}
