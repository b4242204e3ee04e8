package io.tidemark.common.layout;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class DumpLayoutTest {
    @Test
    void namesFollowDumpling() {
        TableRef t = TableRef.of("shop", "orders");
        assertThat(DumpLayout.schemaCreateFile("shop")).isEqualTo("shop-schema-create.sql");
        assertThat(DumpLayout.tableSchemaFile(t)).isEqualTo("shop.orders-schema.sql");
        assertThat(DumpLayout.dataFile(t, 3, "sql")).isEqualTo("shop.orders.000000003.sql");
        assertThat(DumpLayout.parseDataFile("dir/shop.orders.000000003.sql"))
                .contains(new DumpLayout.DataFile(t, 3, "sql"));
        assertThat(DumpLayout.parseTableSchemaFile("shop.orders-schema.sql")).contains(t);
        assertThat(DumpLayout.parseSchemaCreateFile("shop-schema-create.sql")).contains("shop");
        assertThat(DumpLayout.parseDataFile("shop.orders-schema.sql")).isEmpty();
        assertThat(DumpLayout.parseDataFile("metadata")).isEmpty();
    }

    @Test
    void metadataReadsBackAsDumplingWritesIt() {
        DumpMetadata m = new DumpMetadata(LocalDateTime.of(2026, 11, 21, 10, 40, 19),
                BinlogPosition.of("mysql-bin.000001", 2251, "0-1-5"), LocalDateTime.of(2026, 11, 21, 10, 40, 20));
        String text = m.render();
        assertThat(text).contains("SHOW MASTER STATUS:\n\tLog: mysql-bin.000001\n\tPos: 2251\n\tGTID:0-1-5\n");
        assertThat(DumpMetadata.parsePosition(text)).contains(m.position());
    }

    @Test
    void aDumplingMetadataWithoutGtidParses() {
        String dumpling = "Started dump at: 2020-11-10 10:40:19\nSHOW MASTER STATUS:\n\tLog: mysql-bin.000004\n"
                + "\tPos: 109227\n\tGTID:\n\nFinished dump at: 2020-11-10 10:40:20\n";
        assertThat(DumpMetadata.parsePosition(dumpling))
                .contains(BinlogPosition.ofFilePosition("mysql-bin.000004", 109227));
    }
}
