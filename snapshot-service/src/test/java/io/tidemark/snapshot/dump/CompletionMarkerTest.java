package io.tidemark.snapshot.dump;

import io.tidemark.common.id.MigrationId;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.position.TablePoint;
import io.tidemark.common.serde.MessageCodec;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CompletionMarkerTest {
    private static final TableRef KEYED = TableRef.of("shop", "orders");
    private static final TableRef KEYLESS = TableRef.of("shop", "events");
    private static final TableRef MYISAM = TableRef.of("shop", "legacy");
    private static final BinlogPosition START = BinlogPosition.of("mysql-bin.000003", 1200, "0-1-40");
    private static final BinlogPosition END = BinlogPosition.of("mysql-bin.000003", 9000, "0-1-55");

    @Test
    void theTablePointsSurviveTheMarker(@TempDir Path dir) {
        // given a dump whose InnoDB tables have points and whose MyISAM table has none
        Storage storage = Storages.open(dir.toString());
        BinlogPosition keyedPoint = BinlogPosition.ofFilePosition("mysql-bin.000003", 4100);
        BinlogPosition keylessPoint = BinlogPosition.of("mysql-bin.000003", 7700, "0-1-50");
        marker(List.of(
                new TableResult(KEYED, 10, 100, List.of("shop.orders.000000000.sql"), keyedPoint),
                new TableResult(KEYLESS, 3, 30, List.of("shop.events.000000000.sql"), keylessPoint),
                new TableResult(MYISAM, 1, 10, List.of("shop.legacy.000000000.sql"), null))).write(storage);

        // when a redelivered request reads its marker
        CompletionMarker read = CompletionMarker.read(storage).orElseThrow();

        // then it re-reports the same points
        assertThat(TableResult.points(read.results())).containsExactly(new TablePoint(KEYED, keyedPoint),
                new TablePoint(KEYLESS, keylessPoint));
    }

    @Test
    void aMarkerWrittenBeforePointsWereRecordedStillReads(@TempDir Path dir) throws Exception {
        // given a marker as an earlier version wrote it: results without a point
        Storage storage = Storages.open(dir.toString());
        marker(List.of(new TableResult(KEYED, 10, 100, List.of("shop.orders.000000000.sql"),
                BinlogPosition.ofFilePosition("mysql-bin.000003", 4100)))).write(storage);
        Path file = dir.resolve(CompletionMarker.FILE);
        JsonNode json = MessageCodec.mapper().readTree(Files.readAllBytes(file));
        json.get("results").forEach(r -> ((ObjectNode) r).remove("point"));
        Files.write(file, MessageCodec.mapper().writeValueAsBytes(json));
        assertThat(Files.readString(file)).doesNotContain("point").contains("\"rows\"");

        // when it is read
        CompletionMarker read = CompletionMarker.read(storage).orElseThrow();

        // then it still answers the request, with its results and no points
        assertThat(read.messageId()).isEqualTo("request-1");
        assertThat(read.results()).singleElement().satisfies(r -> {
            assertThat(r.rows()).isEqualTo(10);
            assertThat(r.point()).isNull();
        });
        assertThat(TableResult.points(read.results())).isEmpty();
    }

    private static CompletionMarker marker(List<TableResult> results) {
        return new CompletionMarker("request-1", MigrationId.of("shop"), 1, START, END,
                results.stream().map(TableResult::table).toList(), results, Instant.parse("2026-01-02T03:04:05Z"));
    }
}
