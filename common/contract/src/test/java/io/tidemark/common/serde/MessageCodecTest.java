package io.tidemark.common.serde;

import io.tidemark.common.command.Command;
import io.tidemark.common.command.CsvFormat;
import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.command.ImportRequest;
import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.command.SnapshotRequest;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.status.SnapshotCompleted;
import io.tidemark.common.status.StatusEvent;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {
    private final SecretBox box = SecretBox.fromBase64Key(SecretBox.generateKey());
    private final MigrationId id = MigrationId.of("shop-1a2b");
    private final DatabaseEndpoint source = new DatabaseEndpoint("src", 3306, "tidemark", box.seal("pw"));

    @Test
    void commandsRoundTripThroughTheirSealedHierarchy() {
        Command cmd = new ReplicationTask(ReplicationTask.idFor(id), id, 2, ReplicationTask.Desired.RUNNING, source,
                source, List.of("shop.*"), BinlogPosition.ofFilePosition("mysql-bin.000003", 1234),
                BinlogPosition.of("mysql-bin.000003", 9999, "0-1-7"), 1_000_123);
        byte[] bytes = MessageCodec.write(cmd);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"schema\":1,\"type\":\"replication-task\"");
        assertThat(MessageCodec.read(bytes, Command.class)).isEqualTo(cmd);
    }

    @Test
    void aReplicationTaskCarriesItsSafeModeAndReadsAnOlderRecordWithDmsDefault() {
        ReplicationTask task = new ReplicationTask(ReplicationTask.idFor(id), id, 2, ReplicationTask.Desired.RUNNING,
                source, source, List.of("shop.*"), null, null, 1_000_123).withSafeMode(new SafeMode(true, 1500));
        byte[] bytes = MessageCodec.write(task);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"safeMode\":{\"always\":true,\"durationMillis\":1500}");
        assertThat(MessageCodec.read(bytes, Command.class)).isEqualTo(task);

        // a task written before the field existed
        String old = new String(bytes, StandardCharsets.UTF_8).replaceAll(",\"safeMode\":\\{[^}]*\\}", "");
        assertThat(old).doesNotContain("\"safeMode\":");
        ReplicationTask read = (ReplicationTask) MessageCodec.read(old.getBytes(StandardCharsets.UTF_8), Command.class);
        assertThat(read.safeMode()).isEqualTo(SafeMode.DM_DEFAULT);
        assertThat(read.safeMode().afterStart()).hasSeconds(60);
    }

    @Test
    void aReplicationTaskCarriesEnableGtidAndReadsAnOlderRecordAsResumingByFileAndOffset() {
        ReplicationTask task = new ReplicationTask(ReplicationTask.idFor(id), id, 2, ReplicationTask.Desired.RUNNING,
                source, source, List.of("shop.*"), BinlogPosition.of("mysql-bin.000003", 1234, "0-1-7"), null,
                1_000_123).withEnableGtid(true);
        byte[] bytes = MessageCodec.write(task);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"enableGtid\":true");
        assertThat(MessageCodec.read(bytes, Command.class)).isEqualTo(task);

        // a task written before the field existed
        String old = new String(bytes, StandardCharsets.UTF_8).replace(",\"enableGtid\":true", "");
        assertThat(old).doesNotContain("enableGtid");
        ReplicationTask read = (ReplicationTask) MessageCodec.read(old.getBytes(StandardCharsets.UTF_8), Command.class);
        assertThat(read.enableGtid()).isFalse();
        assertThat(read.start().gtidSet()).isEqualTo("0-1-7");
    }

    @Test
    void importCommandsCarryTheirOptionsAndReadOlderRecordsWithTheDefaults() {
        ImportOptions options = new ImportOptions("s3://b/schema?region=r", false, ImportOptions.OnDuplicate.IGNORE,
                List.of(new ImportOptions.TableRoute(TableRef.of("shop_01", "orders"), TableRef.of("shop", "orders"))));
        Command request = new ImportRequest(ImportRequest.idFor(id, 1), id, 1, source, "s3://b/export",
                List.of(TableRef.of("shop_01", "orders")), options);
        assertThat(MessageCodec.read(MessageCodec.write(request), Command.class)).isEqualTo(request);
        Command chunk = new ImportChunk("c1", id, 1, source, "s3://b/export", TableRef.of("shop", "orders"),
                "e/shop_01/shop_01.orders/1/part-00000-x-c000.gz.parquet", 123, ImportOptions.OnDuplicate.ERROR);
        assertThat(MessageCodec.read(MessageCodec.write(chunk), Command.class)).isEqualTo(chunk);

        // a request and a chunk written before the fields existed
        String old = new String(MessageCodec.write(new ImportRequest(ImportRequest.idFor(id, 1), id, 1, source,
                "file:///d", List.of())), StandardCharsets.UTF_8)
                .replaceAll(",\"options\":\\{[^{}]*(\\{[^{}]*\\}[^{}]*)*\\}", "");
        assertThat(old).doesNotContain("options");
        assertThat(((ImportRequest) MessageCodec.read(old.getBytes(StandardCharsets.UTF_8), Command.class)).options())
                .isEqualTo(ImportOptions.defaults());
        String oldChunk = new String(MessageCodec.write(chunk), StandardCharsets.UTF_8)
                .replace(",\"onDuplicate\":\"error\"", "");
        assertThat(oldChunk).doesNotContain("onDuplicate");
        assertThat(((ImportChunk) MessageCodec.read(oldChunk.getBytes(StandardCharsets.UTF_8), Command.class))
                .onDuplicate()).isEqualTo(ImportOptions.OnDuplicate.REPLACE);
        // a CSV format other than Dumpling's travels with request and chunk; a chunk without one reads as Dumpling's
        CsvFormat pipes = new CsvFormat("|", "'", "\r\n", false, List.of("NULL"), false);
        Command piped = new ImportRequest(ImportRequest.idFor(id, 1), id, 1, source, "s3://b/export", List.of(),
                new ImportOptions(null, true, ImportOptions.OnDuplicate.REPLACE, List.of(), false, pipes));
        assertThat(MessageCodec.read(MessageCodec.write(piped), Command.class)).isEqualTo(piped);
        ImportChunk pipedChunk = new ImportChunk("c2", id, 1, source, "s3://b/export", TableRef.of("shop", "orders"),
                "shop.orders.000000000.csv", 12, null, null, null, pipes);
        assertThat(MessageCodec.read(MessageCodec.write(pipedChunk), Command.class)).isEqualTo(pipedChunk);
        assertThat(((ImportChunk) MessageCodec.read(oldChunk.replaceAll(",\"csv\":\\{[^}]*\\}", "")
                .getBytes(StandardCharsets.UTF_8), Command.class)).csv()).isEqualTo(CsvFormat.dumpling());
        assertThat(options.targetOf(TableRef.of("shop_01", "orders"))).isEqualTo(TableRef.of("shop", "orders"));
        assertThat(options.targetOf(TableRef.of("shop_02", "orders"))).isEqualTo(TableRef.of("shop_02", "orders"));
    }

    @Test
    void aCsvByteRangeChunkAndStrictFormatRoundTripAndOlderRecordsReadAsWholeFileAndNotStrict() {
        ImportOptions strict = new ImportOptions(null, true, ImportOptions.OnDuplicate.REPLACE, List.of(), true);
        Command request = new ImportRequest(ImportRequest.idFor(id, 1), id, 1, source, "s3://b/dump", List.of(),
                strict);
        assertThat(MessageCodec.read(MessageCodec.write(request), Command.class)).isEqualTo(request);
        ImportChunk.ByteRange range = new ImportChunk.ByteRange(4096, 8200);
        ImportChunk chunk = new ImportChunk(ImportChunk.idFor(id, 1, "shop.orders.000000000.csv", range), id, 1,
                source, "s3://b/dump", TableRef.of("shop", "orders"), "shop.orders.000000000.csv", range.length(),
                ImportOptions.OnDuplicate.REPLACE, null, range);
        assertThat(chunk.messageId()).endsWith("shop.orders.000000000.csv#bytes-4096-8199");
        assertThat(MessageCodec.read(MessageCodec.write(chunk), Command.class)).isEqualTo(chunk);

        String oldChunk = new String(MessageCodec.write(chunk), StandardCharsets.UTF_8)
                .replaceAll(",\"byteRange\":\\{[^}]*\\}", "");
        assertThat(oldChunk).doesNotContain("byteRange");
        assertThat(((ImportChunk) MessageCodec.read(oldChunk.getBytes(StandardCharsets.UTF_8), Command.class))
                .byteRange()).isNull();
        String oldRequest = new String(MessageCodec.write(request), StandardCharsets.UTF_8)
                .replace(",\"strictFormat\":true", "");
        assertThat(oldRequest).doesNotContain("strictFormat");
        assertThat(((ImportRequest) MessageCodec.read(oldRequest.getBytes(StandardCharsets.UTF_8), Command.class))
                .options().strictFormat()).isFalse();
    }

    @Test
    void statusEventsRoundTrip() {
        StatusEvent e = new SnapshotCompleted(SnapshotCompleted.idFor(id, 1), id, new WorkerId("snapshot@h:1"), 1,
                Instant.parse("2026-11-21T10:00:00.123456Z"), "file:///d/shop-1a2b/",
                BinlogPosition.ofFilePosition("mysql-bin.000001", 4), BinlogPosition.ofFilePosition("mysql-bin.000001", 900),
                List.of(TableRef.of("shop", "orders")));
        assertThat(MessageCodec.read(MessageCodec.write(e), StatusEvent.class)).isEqualTo(e);
    }

    @Test
    void anotherSchemaVersionIsRejectedLoudly() {
        byte[] v2 = "{\"schema\":2,\"type\":\"snapshot-request\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MessageCodec.read(v2, Command.class))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-50001")
                .hasMessageContaining("schema version 2, this service reads 1");
    }

    @Test
    void aMessageWithoutVersionOrOfAnUnknownTypeIsRejected() {
        assertThatThrownBy(() -> MessageCodec.read("{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8), Command.class))
                .hasMessageContaining("schema version (none)");
        assertThatThrownBy(() -> MessageCodec.read("{\"schema\":1,\"type\":\"nope\"}".getBytes(StandardCharsets.UTF_8),
                Command.class)).hasMessageContaining("TM-50002");
        assertThatThrownBy(() -> MessageCodec.read("not json".getBytes(StandardCharsets.UTF_8), Command.class))
                .hasMessageContaining("TM-50002");
    }

    @Test
    void deterministicIdsMakeRedeliveryRecognisable() {
        assertThat(SnapshotRequest.idFor(id, 1)).isEqualTo(SnapshotRequest.idFor(id, 1)).isEqualTo("shop-1a2b/snapshot/e1");
    }
}
