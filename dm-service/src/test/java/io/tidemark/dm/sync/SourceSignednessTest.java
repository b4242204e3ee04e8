package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SourceSignednessTest {
    private static final TableRef T = TableRef.of("app", "t");

    /** a table map of (id INT, n TINYINT, label VARCHAR), as the source logged it */
    private static TableMapEventData map(BitSet metadataUnsigned) {
        TableMapEventData map = new TableMapEventData();
        map.setDatabase("app");
        map.setTable("t");
        map.setColumnTypes(new byte[] {(byte) ColumnType.LONG.getCode(), (byte) ColumnType.TINY.getCode(),
                (byte) ColumnType.VARCHAR.getCode()});
        if (metadataUnsigned != null) {
            TableMapEventMetadata metadata = new TableMapEventMetadata();
            metadata.setSignedness(metadataUnsigned);
            map.setEventMetadata(metadata);
        }
        return map;
    }

    private static List<Column> columns(String id, String n) {
        return List.of(column("id", id), column("n", n), new Column("label", "varchar", "varchar(10)", "utf8mb4", true,
                false));
    }

    private static Column column(String name, String columnType) {
        return new Column(name, columnType.replaceAll("\\(.*", "").strip(), columnType, null, true, false);
    }

    private static TableSchema target(String id, String n) {
        return new TableSchema(T, columns(id, n), List.of(0), TableSchema.KeyKind.PRIMARY);
    }

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    @Test
    void theTableMapsMetadataWinsAndTheSourceIsNotAsked() {
        List<TableRef> asked = new ArrayList<>();
        SourceSignedness s = new SourceSignedness(t -> {
            asked.add(t);
            return Optional.empty();
        });

        SourceTypes types = s.of(map(bits(1)), target("bigint(20) unsigned", "int(11)"));

        assertThat(types.sign(0)).isEqualTo(SourceTypes.Sign.SIGNED);
        assertThat(types.sign(1)).isEqualTo(SourceTypes.Sign.UNSIGNED);
        assertThat(types.from()).isEqualTo("the binlog's table map");
        assertThat(asked).isEmpty();
    }

    @Test
    void withoutMetadataTheSourcesDefinitionDecidesOverATargetCreatedOtherwise() {
        List<TableRef> asked = new ArrayList<>();
        SourceSignedness s = new SourceSignedness(t -> {
            asked.add(t);
            return Optional.of(columns("int(10) unsigned", "tinyint(3) unsigned"));
        });
        // the target was created by hand: same widths, other signedness
        TableSchema target = target("int(11)", "tinyint(4)");

        SourceTypes types = s.of(map(null), target);
        s.of(map(null), target);

        assertThat(types.sign(0)).isEqualTo(SourceTypes.Sign.UNSIGNED);
        assertThat(types.sign(1)).isEqualTo(SourceTypes.Sign.UNSIGNED);
        assertThat(types.from()).isEqualTo("the source's definition");
        assertThat(asked).as("read once until the next DDL").containsExactly(T);
        s.invalidateAll();
        s.of(map(null), target);
        assertThat(asked).containsExactly(T, T);
    }

    @Test
    void aSourceDefinitionOfOtherWidthsIsNotTheRowsAndTheTrackedTargetIsUsed() {
        // the source's table changed since the row was written (n is a SMALLINT now)
        SourceSignedness s = new SourceSignedness(t -> Optional.of(columns("int(11)", "smallint(6)")));

        SourceTypes types = s.of(map(null), target("int(10) unsigned", "tinyint(4)"));

        assertThat(types.sign(0)).isEqualTo(SourceTypes.Sign.UNSIGNED);
        assertThat(types.sign(1)).isEqualTo(SourceTypes.Sign.SIGNED);
        assertThat(types.from()).isEqualTo("the target's definition");
    }

    @Test
    void whenNoDefinitionHasTheRowsWidthsTheIntegersAreUnknown() {
        SourceSignedness s = new SourceSignedness(t -> Optional.empty());

        SourceTypes types = s.of(map(null), target("bigint(20) unsigned", "int(11)"));

        assertThat(types.sign(0)).isEqualTo(SourceTypes.Sign.UNKNOWN);
        assertThat(types.sign(1)).isEqualTo(SourceTypes.Sign.UNKNOWN);
        assertThat(types.unknown().get(2)).as("a string column has no sign").isFalse();
    }
}
