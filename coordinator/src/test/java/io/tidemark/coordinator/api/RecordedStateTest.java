package io.tidemark.coordinator.api;

import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.table.TableRef;
import io.tidemark.coordinator.migration.Migration;
import io.tidemark.coordinator.migration.Phase;
import io.tidemark.coordinator.migration.Progress;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The coordinator's persisted records as an earlier release wrote them (recorded in {@code messages/v1/}, before
 * types had their own version) are read by this one into the same records, so a coordinator upgraded in place
 * rebuilds its state from the compacted topics; a record of a newer version stops it, naming type and versions.
 */
class RecordedStateTest {
    @Test
    void aMigrationRecordedBeforePerTypeVersionsReadsIntoTheSameRecord() {
        Migration m = MessageCodec.read(recorded("migration"), Migration.class);
        assertThat(m.phase()).isEqualTo(new Phase.Replicating());
        assertThat(m.progress().chunks()).allSatisfy((id, chunk) -> assertThat(chunk.imported()).isTrue());
        assertThat(m.progress().tables()).containsKey(Progress.key(TableRef.of("shop", "orders")));
        assertThat(m.spec().source().password().value()).startsWith("enc:v1:");
        // written again at version 2, it is the record without its chunks, which are records of their own now
        ObjectNode expected = (ObjectNode) MessageCodec.mapper().readTree(recorded("migration"));
        expected.put(MessageCodec.VERSION_FIELD, 2);
        ((ObjectNode) expected.get("progress")).remove("chunks");
        assertThat(MessageCodec.mapper().readTree(MessageCodec.write(m))).isEqualTo(expected);
    }

    @Test
    void dmSourcesAndTasksRecordedBeforePerTypeVersionsReadIntoTheSameRecords() {
        DmStore.Entry source = MessageCodec.read(recorded("dm-config-source"), DmStore.Entry.class);
        assertThat(source.task()).isNull();
        assertThat(source.source().sourceId()).isEqualTo("mysql-replica-01");
        assertThat(source.source().purge().expiresHours()).isEqualTo(72);
        assertRewrittenAsRecordedPlusVersion("dm-config-source", source);
        DmStore.Entry task = MessageCodec.read(recorded("dm-config"), DmStore.Entry.class);
        assertThat(task.source()).isNull();
        assertThat(task.task().instances()).extracting(DmStore.TaskInstance::migrationId)
                .containsExactly("shop-mysql-replica-01");
        assertRewrittenAsRecordedPlusVersion("dm-config", task);
    }

    @Test
    void aMigrationOfANewerVersionIsRefusedNotHalfRead() {
        ObjectNode newer = (ObjectNode) MessageCodec.mapper().readTree(recorded("migration"));
        newer.put(MessageCodec.VERSION_FIELD, 3);
        assertThatThrownBy(() -> MessageCodec.read(MessageCodec.mapper().writeValueAsBytes(newer), Migration.class))
                .hasMessageContaining("TM-50010")
                .hasMessageContaining("message migration is of version 3, this service reads it up to version 2")
                .hasMessageContaining("upgrade this service");
    }

    /** written again, the record is what was recorded plus its version: reading lost or changed nothing */
    private static void assertRewrittenAsRecordedPlusVersion(String name, Object read) {
        ObjectNode expected = (ObjectNode) MessageCodec.mapper().readTree(recorded(name));
        assertThat(expected.has(MessageCodec.VERSION_FIELD)).isFalse();
        expected.put(MessageCodec.VERSION_FIELD, 1);
        assertThat(MessageCodec.mapper().readTree(MessageCodec.write(read))).as(name).isEqualTo(expected);
    }

    private static byte[] recorded(String name) {
        String resource = "/messages/v1/" + name + ".json";
        try (InputStream in = RecordedStateTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
