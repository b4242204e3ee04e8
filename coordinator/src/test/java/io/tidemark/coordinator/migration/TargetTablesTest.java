package io.tidemark.coordinator.migration;

import io.tidemark.common.command.ImportOptions;
import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.id.MigrationId;
import io.tidemark.common.migration.Mode;
import io.tidemark.common.secret.Secret;
import io.tidemark.common.table.TableRef;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * When a second migration would write target tables a first one holds: same target server ({@link TargetTables}),
 * and filters that may select a common table (the rule {@link io.tidemark.common.table.TableFilter#overlaps}
 * documents, tested here through the coordinator's use of it).
 */
class TargetTablesTest {
    private static final Secret PASSWORD = TestDatabases.secretBox().seal("pw");
    private static final DatabaseEndpoint SOURCE = new DatabaseEndpoint("10.0.0.1", 3306, "dm", PASSWORD);

    private static MigrationSpec spec(String targetHost, int targetPort, List<String> filter) {
        return new MigrationSpec("m", Mode.FULL, SOURCE, new DatabaseEndpoint(targetHost, targetPort, "root", PASSWORD),
                filter, "file:///tmp/dumps", null, null);
    }

    private static MigrationSpec spec(List<String> filter) {
        return spec("tidb.example", 4000, filter);
    }

    static Stream<Arguments> filters() {
        return Stream.of(
                collide("the same schema", List.of("shop.*"), List.of("shop.*"),
                        "rule `shop.*` and this spec's rule `shop.*` can select the same tables"),
                collide("a table the other's wildcard selects", List.of("shop.*", "!shop.big"), List.of("shop.orders"),
                        "rule `shop.*` and this spec's rule `shop.orders` both select shop.orders"),
                apart("a table the other excludes", List.of("shop.*", "!shop.big"), List.of("shop.big")),
                apart("an exact table the other's last rule excludes", List.of("shop.orders", "!shop.orders"),
                        List.of("shop.orders")),
                collide("names in other cases", List.of("Shop.Orders"), List.of("shop.orders"),
                        "both select Shop.Orders"),
                apart("other schemas", List.of("shop.*"), List.of("crm.*")),
                apart("schemas with other fixed beginnings", List.of("shop_eu*.*"), List.of("shop_us*.*")),
                apart("tables with other fixed endings", List.of("shop.*_log"), List.of("shop.*_data")),
                collide("everything and a part", List.of("*.*"), List.of("crm.x*"),
                        "rule `*.*` and this spec's rule `crm.x*` can select the same tables"),
                apart("a wildcard the other excludes whole", List.of("shop.*", "!shop.tmp_*"), List.of("shop.tmp_*")),
                apart("a schema the other excludes whole", List.of("*.*", "!shop.*"), List.of("shop.o*")),
                // exclusions narrower than the other rule are not weighed: in doubt, the tables collide
                collide("a narrower exclusion", List.of("shop.*", "!shop.tmp_1*"), List.of("shop.tmp_*"),
                        "rule `shop.*` and this spec's rule `shop.tmp_*` can select the same tables"),
                collide("a table re-included after an exclusion", List.of("shop.*", "!shop.tmp_*", "shop.tmp_keep"),
                        List.of("shop.tmp_*"), "rule `shop.tmp_keep` and this spec's rule `shop.tmp_*` both select"
                                + " shop.tmp_keep"),
                apart("a regex schema and another schema's table", List.of("/^shop/.*"), List.of("crm.orders")),
                collide("a regex schema meeting a name", List.of("/^sh.p$/.*"), List.of("shop.o*"),
                        "can select the same tables"),
                collide("quoted names with a dot", List.of("`my.db`.*"), List.of("`my.db`.t1"),
                        "both select my.db.t1"),
                apart("system schemas, never selected", List.of("mysql.*", "mysql.user"), List.of("mysql.*")));
    }

    private static Arguments collide(String why, List<String> held, List<String> wanted, String collision) {
        return Arguments.of(why, held, wanted, collision);
    }

    private static Arguments apart(String why, List<String> held, List<String> wanted) {
        return Arguments.of(why, held, wanted, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void filtersCollideWhenTheyMaySelectTheSameTable(String why, List<String> held, List<String> wanted,
                                                    String collision) {
        List<String> found = TargetTables.overlap(spec(held), spec(wanted)).stream()
                .map(c -> c.describe("its", "this spec's")).toList();
        if (collision == null) {
            assertThat(found).as(why).isEmpty();
        } else {
            assertThat(found).as(why).anySatisfy(line -> assertThat(line).contains(collision));
        }
    }

    @Test
    void onlyTheSameTargetServerCollides() {
        MigrationSpec held = spec("TiDB.Example", 4000, List.of("shop.*"));
        assertThat(TargetTables.overlap(held, spec("tidb.example", 4000, List.of("shop.*")))).hasSize(1);
        assertThat(TargetTables.overlap(held, spec("tidb.example", 4001, List.of("shop.*")))).isEmpty();
        assertThat(TargetTables.overlap(held, spec("tidb2.example", 4000, List.of("shop.*")))).isEmpty();
    }

    @Test
    void anImportHoldsTheRoutedTablesFoundInItsFilesNotWhatItsFilterSelects() {
        // an import of shop.orders (routed to shop_all.orders) and shop.items, found in its files under "shop.*"
        TableRef orders = TableRef.of("shop", "orders");
        TableRef items = TableRef.of("shop", "items");
        MigrationSpec imports = new MigrationSpec("i", Mode.IMPORT, null, new DatabaseEndpoint("tidb.example", 4000,
                "root", PASSWORD), List.of("shop.*"), "s3://b/export", null, null, null, new ImportSource(null, null,
                List.of(new ImportOptions.TableRoute(orders, TableRef.of("shop_all", "orders"))),
                List.of(orders, items), List.of()));

        assertThat(TargetTables.overlap(imports, spec(List.of("shop_all.*")))).singleElement()
                .satisfies(c -> assertThat(c.describe("its", "this spec's")).isEqualTo("its rule `shop_all.orders`"
                        + " and this spec's rule `shop_all.*` both select shop_all.orders"));
        assertThat(TargetTables.overlap(spec(List.of("shop.items")), imports)).hasSize(1);
        assertThat(TargetTables.overlap(imports, spec(List.of("shop.orders", "shop.big")))).isEmpty();
    }

    @Test
    void longListsOfExactTablesAreComparedWithoutAScanPerTable() {
        List<String> first = IntStream.range(0, 20_000).mapToObj(i -> "shop.a" + i).toList();
        List<String> second = IntStream.range(0, 20_000).mapToObj(i -> "shop.b" + i).toList();
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThat(TargetTables.overlap(spec(first), spec(second))).isEmpty();
            assertThat(TargetTables.overlap(spec(first), spec(List.of("shop.a19999")))).singleElement()
                    .satisfies(c -> assertThat(c.table()).isEqualTo("shop.a19999"));
        });
    }

    @Test
    void aMigrationHoldsItsTablesWhileItMayWriteThem() {
        Migration m = Migration.accepted(MigrationId.of("m-1"), spec(List.of("shop.*")), List.of(),
                Instant.now());
        assertThat(m.holdsTargetTables()).isTrue();
        assertThat(m.moveTo(new Phase.Snapshotting()).holdsTargetTables()).isTrue();
        assertThat(m.moveTo(new Phase.Importing()).holdsTargetTables()).isTrue();
        assertThat(m.moveTo(new Phase.Replicating()).holdsTargetTables()).isTrue();
        assertThat(m.moveTo(new Phase.Completed()).holdsTargetTables()).isFalse();
        assertThat(m.moveTo(new Phase.Stopped()).holdsTargetTables()).isFalse();
        assertThat(m.moveTo(new Phase.Failed()).holdsTargetTables()).isFalse();
    }
}
