package io.tidemark.common.serde;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.DesiredRelay;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.status.StatusSchemas;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A rolling upgrade: messages recorded as the codec wrote them before types had their own version (in
 * {@code messages/v1/}) read into the same records; a newer version is refused naming type, versions and fix; an
 * older one is rewritten by its type's upcasters.
 */
class MessageVersionsTest {
    /** what lives in another module: the coordinator's own records are recorded and read in its tests */
    private static final List<String> RECORDED_ELSEWHERE = List.of("migration", "migration-chunk", "dm-config",
            "coordinator-leader");

    @Test
    void everyRecordedPreviousVersionMessageReadsIntoTheSameRecord() {
        List<String> read = new ArrayList<>();
        for (String name : MessageVersions.CURRENT.names()) {
            if (RECORDED_ELSEWHERE.contains(name)) {
                continue;
            }
            byte[] recorded = recorded(name);
            Class<?> as = StatusSchemas.types().contains(name) ? StatusEvent.class
                    : name.equals("desired-relay") ? DesiredRelay.class : Command.class;
            Object message = MessageCodec.read(recorded, as);
            assertThat(MessageVersions.nameOf(message.getClass())).as(name).contains(name);
            // written again, it is the recorded message plus its version: no field was lost or changed in reading
            ObjectNode expected = (ObjectNode) MessageCodec.mapper().readTree(recorded);
            assertThat(expected.has(MessageCodec.VERSION_FIELD)).isFalse();
            expected.put(MessageCodec.VERSION_FIELD, 1);
            assertThat(MessageCodec.mapper().readTree(MessageCodec.write(message))).as(name).isEqualTo(expected);
            read.add(name);
        }
        assertThat(read).hasSize(MessageVersions.CURRENT.names().size() - RECORDED_ELSEWHERE.size());
    }

    @Test
    void theVersionIsWrittenAfterTheEnvelopeAndTheType() {
        String json = new String(MessageCodec.write(MessageCodec.read(recorded("snapshot-request"), Command.class)),
                StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"schema\":1,\"type\":\"snapshot-request\",\"v\":1,\"messageId\":");
        String relay = new String(MessageCodec.write(MessageCodec.read(recorded("desired-relay"), DesiredRelay.class)),
                StandardCharsets.UTF_8);
        assertThat(relay).startsWith("{\"schema\":1,\"v\":1,\"sourceId\":");
    }

    @Test
    void aNewerVersionIsRefusedNamingTheTypeBothVersionsAndTheFix() {
        ObjectNode newer = tree(recorded("chunk-imported"));
        newer.put(MessageCodec.VERSION_FIELD, 2);
        assertThatThrownBy(() -> MessageCodec.read(bytes(newer), StatusEvent.class))
                .isInstanceOfSatisfying(TidemarkException.class, e -> assertThat(e.retriable()).isTrue())
                .hasMessageContaining("TM-50010")
                .hasMessageContaining("message chunk-imported is of version 2, this service reads it up to version 1")
                .hasMessageContaining("upgrade this service to the release its producer runs");
        ObjectNode relay = tree(recorded("desired-relay"));
        relay.put(MessageCodec.VERSION_FIELD, 7);
        assertThatThrownBy(() -> MessageCodec.read(bytes(relay), DesiredRelay.class))
                .hasMessageContaining("message desired-relay is of version 7, this service reads it up to version 1");
    }

    @Test
    void aVersionThatIsNoVersionIsMalformed() {
        ObjectNode bad = tree(recorded("snapshot-request"));
        bad.put(MessageCodec.VERSION_FIELD, "two");
        assertThatThrownBy(() -> MessageCodec.read(bytes(bad), Command.class))
                .hasMessageContaining("TM-50002").hasMessageContaining("\"v\" is \"two\"");
        bad.put(MessageCodec.VERSION_FIELD, 0);
        assertThatThrownBy(() -> MessageCodec.read(bytes(bad), Command.class)).hasMessageContaining("TM-50002");
    }

    @Test
    void anOlderVersionIsRewrittenByItsUpcastersStepByStep() {
        // a release where snapshot-request's "location" was once "dir" (v1), then "path" (v2), and is "location"
        // since v3; snapshot-started only gained fields (v2), so its v1 reads as it is
        MessageVersions later = MessageVersions.builder()
                .type("snapshot-request", 3)
                .upcaster("snapshot-request", 1, m -> rename(m, "dir", "path"))
                .upcaster("snapshot-request", 2, m -> rename(m, "path", "location"))
                .type("snapshot-started", 2)
                .build();
        SnapshotRequest now = (SnapshotRequest) MessageCodec.read(recorded("snapshot-request"), Command.class);
        ObjectNode v1 = rename(tree(recorded("snapshot-request")), "location", "dir");
        assertThat(MessageCodec.read(bytes(v1), Command.class, later)).isEqualTo(now);
        ObjectNode v2 = rename(tree(recorded("snapshot-request")), "location", "path");
        v2.put(MessageCodec.VERSION_FIELD, 2);
        assertThat(MessageCodec.read(bytes(v2), Command.class, later)).isEqualTo(now);
        byte[] v3 = MessageCodec.write(now, later);
        assertThat(tree(v3).get(MessageCodec.VERSION_FIELD).intValue()).isEqualTo(3);
        assertThat(MessageCodec.read(v3, Command.class, later)).isEqualTo(now);
        // and the release before it refuses what this one writes, rather than reading "location" as missing
        assertThatThrownBy(() -> MessageCodec.read(v3, Command.class))
                .hasMessageContaining("message snapshot-request is of version 3, this service reads it up to version 1");

        assertThat(MessageCodec.read(recorded("snapshot-started"), StatusEvent.class, later))
                .isEqualTo(MessageCodec.read(recorded("snapshot-started"), StatusEvent.class));
    }

    @Test
    void aTypeWithoutAVersionIsNeverWritten() {
        record Unregistered(String name) {
        }
        assertThatThrownBy(() -> MessageCodec.write(new Unregistered("x")))
                .hasMessageContaining("TM-50011")
                .hasMessageContaining("Unregistered has no version in the message registry");
        assertThatThrownBy(() -> MessageVersions.builder().type("a", 1).upcaster("a", 1, m -> m).build())
                .hasMessageContaining("an upcaster from version 1 must read a version before the current 1");
    }

    @Test
    void everyCommandAndStatusTypeHasAVersion() {
        List<String> expected = new ArrayList<>(StatusSchemas.types());
        for (var t : Command.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value()) {
            expected.add(t.name());
        }
        assertThat(MessageVersions.CURRENT.names()).containsAll(expected);
        assertThat(MessageVersions.nameOf(SnapshotRequest.class)).contains("snapshot-request");
        assertThat(MessageVersions.nameOf(TableRef.class)).isEmpty();
    }

    private static ObjectNode rename(ObjectNode m, String from, String to) {
        Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
        m.properties().forEach(e -> fields.put(e.getKey().equals(from) ? to : e.getKey(), e.getValue()));
        m.removeAll();
        fields.forEach(m::set);
        return m;
    }

    static byte[] recorded(String name) {
        String resource = "/messages/v1/" + name + ".json";
        try (InputStream in = MessageVersionsTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode tree(byte[] json) {
        return (ObjectNode) MessageCodec.mapper().readTree(json);
    }

    private static byte[] bytes(JsonNode node) {
        return MessageCodec.mapper().writeValueAsBytes(node);
    }
}
