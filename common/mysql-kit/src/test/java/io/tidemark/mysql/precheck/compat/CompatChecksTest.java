package io.tidemark.mysql.precheck.compat;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.CheckResult.State;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.compat.CompatFacts.Column;
import io.tidemark.mysql.precheck.compat.CompatFacts.Index;
import io.tidemark.mysql.precheck.compat.CompatFacts.RowProbe;
import io.tidemark.mysql.precheck.compat.CompatFacts.SchemaObjects;
import io.tidemark.mysql.precheck.compat.CompatFacts.TableStats;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each compatibility item's decision on recorded facts. */
class CompatChecksTest {
    private static final TableRef ORDERS = TableRef.of("shop", "orders");
    private static final TableRef PLACES = TableRef.of("shop", "places");
    private static final String TARGET = "root@tidb:4000";

    /** facts of a source that uses nothing TiDB lacks, on a target with utf8mb4's collations */
    private static Facts clean() {
        return new Facts();
    }

    private static final class Facts {
        List<TableRef> selected = List.of(ORDERS);
        Fact<SchemaObjects> objects = Fact.of(new SchemaObjects(List.of(), List.of(), List.of(), List.of()));
        Fact<List<Index>> indexes = Fact.of(List.of());
        Fact<List<Column>> columns = Fact.of(List.of(
                new Column(ORDERS, "id", "bigint", null, null),
                new Column(ORDERS, "note", "varchar", "utf8mb4", "utf8mb4_general_ci")));
        Fact<List<TableStats>> tables = Fact.of(List.of(new TableStats(ORDERS, "utf8mb4_general_ci", 100, 120, 16384)));
        Fact<List<RowProbe>> probes = Fact.of(List.of());
        Fact<Integer> sourceLower = Fact.of(0);
        Fact<Integer> targetLower = Fact.of(0);
        Fact<Set<String>> collations = Fact.of(Set.of("utf8mb4_bin", "utf8mb4_general_ci", "binary"));
        Fact<Set<String>> charsets = Fact.of(Set.of("utf8mb4", "binary"));

        CompatFacts build() {
            return new CompatFacts(TARGET, selected, objects, indexes, columns, tables, probes, sourceLower,
                    targetLower, collations, charsets);
        }

        CheckResult run(io.tidemark.mysql.precheck.Precheck<CompatFacts> check) {
            return check.check(build());
        }
    }

    @Test
    void aCleanSourcePassesEveryItem() {
        CompatFacts facts = clean().build();
        for (var check : CompatChecks.all()) {
            assertThat(check.check(facts).state()).as(check.name()).isEqualTo(State.PASS);
        }
        assertThat(CompatChecks.all()).extracting(c -> c.name()).containsExactly("triggers", "routines", "events",
                "views", "spatial_types", "fulltext_indexes", "target_collations", "lower_case_table_names",
                "row_size");
    }

    @Test
    void triggersRoutinesEventsAndViewsWarnNamingEachWithWhatToDo() {
        Facts f = clean();
        f.objects = Fact.of(new SchemaObjects(List.of("shop.audit (on shop.orders)"),
                List.of("shop.price (function)", "shop.restock (procedure)"), List.of("shop.nightly"),
                List.of(TableRef.of("shop", "open_orders"))));

        CheckResult triggers = f.run(CompatChecks.triggers());
        assertThat(triggers.state()).isEqualTo(State.WARN);
        assertThat(triggers.message()).startsWith("trigger not migrated: shop.audit (on shop.orders); TiDB has no"
                + " triggers");
        assertThat(f.run(CompatChecks.routines()).message()).startsWith("2 stored procedure or functions not"
                + " migrated: shop.price (function), shop.restock (procedure)");
        assertThat(f.run(CompatChecks.events()).message()).startsWith("event not migrated: shop.nightly");
        CheckResult views = f.run(CompatChecks.views());
        assertThat(views.state()).isEqualTo(State.WARN);
        assertThat(views.message()).startsWith("view not migrated: shop.open_orders; Tidemark copies rows, not"
                + " views");
        assertThat(views.instruction()).contains("after the import, create them on the target");
    }

    @Test
    void spatialColumnsAndIndexesFailNamingEach() {
        Facts f = clean();
        f.selected = List.of(ORDERS, PLACES);
        f.columns = Fact.of(List.of(new Column(PLACES, "pos", "point", null, null)));
        f.indexes = Fact.of(List.of(new Index(PLACES, "sp_pos", "SPATIAL"), new Index(ORDERS, "ft", "FULLTEXT")));

        CheckResult result = f.run(CompatChecks.spatial());

        assertThat(result.state()).isEqualTo(State.FAIL);
        assertThat(result.error().error()).isEqualTo(ErrorCode.TIDB_SPATIAL_UNSUPPORTED);
        assertThat(result.message()).isEqualTo("the selected tables use spatial types or indexes, which TiDB does not"
                + " have: shop.places.pos (point), shop.places index sp_pos (SPATIAL)");
        assertThat(result.instruction()).contains("'!db.table' filter rule");
    }

    @Test
    void fulltextIndexesWarnThatTiDbDoesNotBuildThem() {
        Facts f = clean();
        f.indexes = Fact.of(List.of(new Index(ORDERS, "ft_note", "FULLTEXT")));

        CheckResult result = f.run(CompatChecks.fulltext());

        assertThat(result.state()).isEqualTo(State.WARN);
        assertThat(result.message()).startsWith("FULLTEXT index shop.orders index ft_note: TiDB accepts the FULLTEXT"
                + " syntax but builds no such index");
    }

    @Test
    void aCollationTheTargetLacksFailsNamingTheColumnAndCollation() {
        Facts f = clean();
        f.columns = Fact.of(List.of(
                new Column(ORDERS, "note", "varchar", "utf8mb4", "utf8mb4_uca1400_ai_ci"),
                new Column(ORDERS, "code", "char", "ucs2", "ucs2_general_ci"),
                new Column(ORDERS, "ok", "varchar", "utf8mb4", "UTF8MB4_BIN")));
        f.tables = Fact.of(List.of(new TableStats(ORDERS, "utf8mb4_uca1400_ai_ci", 1, 10, 16384)));

        CheckResult result = f.run(CompatChecks.collations());

        assertThat(result.state()).isEqualTo(State.FAIL);
        assertThat(result.error().error()).isEqualTo(ErrorCode.TARGET_COLLATION_MISSING);
        assertThat(result.message()).isEqualTo("target root@tidb:4000 lacks collations the selected tables use:"
                + " shop.orders (table default utf8mb4_uca1400_ai_ci), shop.orders.note (utf8mb4_uca1400_ai_ci),"
                + " shop.orders.code (ucs2_general_ci, character set ucs2 missing too)");
        assertThat(result.instruction()).contains("COLLATE utf8mb4_bin");
    }

    @Test
    void namesThatClashOnlyByCaseFailWhenTheTargetFoldsAndTheSourceDoesNot() {
        Facts f = clean();
        f.selected = List.of(TableRef.of("shop", "Orders"), ORDERS, PLACES);
        f.targetLower = Fact.of(2);

        CheckResult result = f.run(CompatChecks.lowerCase());

        assertThat(result.state()).isEqualTo(State.FAIL);
        assertThat(result.error().error()).isEqualTo(ErrorCode.TABLE_NAME_CASE_CONFLICT);
        assertThat(result.message()).isEqualTo("target root@tidb:4000 compares table names without letter case"
                + " (lower_case_table_names=2), and the selected names clash there: shop.Orders and shop.orders");
    }

    @Test
    void upperCaseNamesOnAFoldingTargetWarnAndFoldingSourceOnACaseSensitiveTargetWarns() {
        Facts f = clean();
        f.selected = List.of(TableRef.of("shop", "Orders"));
        f.targetLower = Fact.of(1);
        CheckResult upper = f.run(CompatChecks.lowerCase());
        assertThat(upper.state()).isEqualTo(State.WARN);
        assertThat(upper.message()).isEqualTo("source lower_case_table_names=0, target 1: the target matches table"
                + " names without letter case and stores them in lower case; selected names with upper case:"
                + " shop.Orders");

        f.sourceLower = Fact.of(1);
        f.targetLower = Fact.of(0);
        CheckResult reverse = f.run(CompatChecks.lowerCase());
        assertThat(reverse.state()).isEqualTo(State.WARN);
        assertThat(reverse.instruction()).contains("TiDB supports only 2");

        f.targetLower = Fact.of(2);
        assertThat(f.run(CompatChecks.lowerCase()).state()).isEqualTo(State.PASS);
    }

    @Test
    void rowsAboveTheEntryLimitWarnWithTheSettingAndAboveItsMaximumFail() {
        Facts f = clean();
        f.columns = Fact.of(List.of(new Column(ORDERS, "doc", "longblob", null, null)));
        f.probes = Fact.of(List.of(new RowProbe(ORDERS, 7L << 20)));

        CheckResult over = f.run(CompatChecks.rowSize());
        assertThat(over.state()).isEqualTo(State.WARN);
        assertThat(over.message()).isEqualTo("rows above TiDB's default entry size limit (txn-entry-size-limit,"
                + " 6.0 MiB): shop.orders (largest row 7.0 MiB)");
        assertThat(over.instruction()).startsWith("on TiDB set performance.txn-entry-size-limit (tidb.toml) to at"
                + " least 7.0 MiB");

        f.probes = Fact.of(List.of(new RowProbe(ORDERS, 1024)));
        assertThat(f.run(CompatChecks.rowSize()).state()).isEqualTo(State.PASS);

        f.probes = Fact.of(List.of());
        CheckResult unmeasured = f.run(CompatChecks.rowSize());
        assertThat(unmeasured.state()).isEqualTo(State.WARN);
        assertThat(unmeasured.message()).contains("too large to measure").endsWith(": shop.orders");

        f.tables = Fact.of(List.of(new TableStats(ORDERS, null, 5, 121L << 20, 605L << 20)));
        CheckResult tooLarge = f.run(CompatChecks.rowSize());
        assertThat(tooLarge.state()).isEqualTo(State.FAIL);
        assertThat(tooLarge.error().error()).isEqualTo(ErrorCode.ROW_TOO_LARGE);
        assertThat(tooLarge.message()).endsWith(": shop.orders (121.0 MiB)");
    }

    @Test
    void anItemThatCouldNotBeReadWarnsNamingWhyNeverPasses() {
        TidemarkException denied = new TidemarkException(ErrorCode.SOURCE_QUERY_FAILED, "dm@db:3306", "denied");
        CompatFacts facts = CompatFacts.unread(TARGET, denied);
        for (var check : CompatChecks.all()) {
            CheckResult r = check.check(facts);
            assertThat(r.state()).as(check.name()).isEqualTo(State.WARN);
            assertThat(r.message()).as(check.name()).startsWith("cannot read ").contains(denied.detail());
        }
    }
}
