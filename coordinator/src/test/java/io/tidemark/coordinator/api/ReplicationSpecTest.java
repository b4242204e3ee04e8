package io.tidemark.coordinator.api;

import io.tidemark.coordinator.config.GoDuration;

import io.tidemark.common.command.BinlogFilterRule;
import io.tidemark.common.command.RouteRule;
import io.tidemark.common.command.SafeMode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.migration.MigrationSpec;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The replication fields of a spec as the user writes them in JSON: DM's safe mode, binlog event filters and routes. */
class ReplicationSpecTest {
    private final SpecValidator validator = new SpecValidator(TestDatabases.secretBox());

    private MigrationSpec spec(String mode, String fields) {
        String storage = mode.equals("incremental") ? "" : ", \"storage\": \"file:///var/dumps\"";
        String source = mode.equals("import") ? "" : ", \"source\": {\"host\": \"10.0.0.1\", \"port\": 3306, \"user\": \"dm\"}";
        String json = "{\"name\": \"n\", \"mode\": \"" + mode + "\"" + source
                + ", \"target\": {\"host\": \"10.0.0.2\", \"port\": 4000, \"user\": \"root\"}" + storage
                + (fields.isEmpty() ? "" : ", " + fields) + "}";
        return validator.validate(SpecJson.read(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void safeModeDefaultsToDmsSixtySecondsAfterEveryStart() {
        assertThat(spec("incremental", "").safeMode()).isEqualTo(SafeMode.DM_DEFAULT);
        assertThat(spec("all", "").safeMode()).isEqualTo(new SafeMode(false, 60_000));
        assertThat(spec("full", "").safeMode()).as("mode full replicates nothing").isNull();
    }

    @Test
    void safeModeAndItsDurationAreTakenAsDmWritesThem() {
        assertThat(spec("incremental", "\"safeMode\": true").safeMode()).isEqualTo(new SafeMode(true, 60_000));
        assertThat(spec("all", "\"safeMode\": false, \"safeModeDuration\": \"1m30s\"").safeMode())
                .isEqualTo(new SafeMode(false, 90_000));
        assertThat(spec("incremental", "\"safeModeDuration\": \"0s\"").safeMode()).isEqualTo(new SafeMode(false, 0));
        assertThat(spec("incremental", "\"safeModeDuration\": \"\"").safeMode()).isEqualTo(SafeMode.DM_DEFAULT);
    }

    @Test
    void workerCountIsDmsSyncersWorkerCountLeftToTheServiceWhenAbsent() {
        assertThat(spec("incremental", "\"workerCount\": 8").workerCount()).isEqualTo(8);
        assertThat(spec("all", "\"workerCount\": 1").workerCount()).isEqualTo(1);
        assertThat(spec("incremental", "").workerCount()).isNull();
        assertThatThrownBy(() -> spec("incremental", "\"workerCount\": 0")).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-10001").hasMessageContaining("workerCount is 0; use 1 (every change on one"
                        + " session, in binlog order) to 64");
        assertThatThrownBy(() -> spec("full", "\"workerCount\": 4")).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("workerCount is only for modes incremental and all; mode full replicates"
                        + " nothing");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "full|\"safeMode\": true|safeMode is only for modes incremental and all, which replicate the binlog; mode full replicates nothing, so leave safeMode out",
            "import|\"safeModeDuration\": \"60s\"|safeModeDuration is only for modes incremental and all",
            "incremental|\"safeModeDuration\": \"60\"|safeModeDuration \"60\" is not a duration: a number and a unit of ns, us, ms, s, m or h was expected at \"60\"; write a duration as DM does, e.g. \"60s\" (the default), \"1m30s\" or \"0s\" (no safe mode after a start)",
            "incremental|\"safeModeDuration\": \"-5s\"|safeModeDuration \"-5s\" has a sign, but a duration here is never negative",
            "incremental|\"safeModeDuration\": [\"60s\"]|`safeModeDuration` must be a string",
            "incremental|\"safeMode\": \"yes\"|`safeMode` must be true or false",
            "incremental|\"safeModeDurations\": \"60s\"|`safeModeDurations` is not a field of the migration spec; did you mean `safeModeDuration`?"})
    void badSafeModeFieldsAreRefusedNamingTheField(String mode, String fields, String message) {
        assertThatThrownBy(() -> spec(mode, fields)).isInstanceOf(TidemarkException.class)
                .satisfies(e -> assertThat(((TidemarkException) e).error().code()).isEqualTo("TM-10001"))
                .hasMessageContaining(message);
    }

    @Test
    void binlogFiltersAreTakenAsDmWritesThemInOrder() {
        MigrationSpec spec = spec("all", "\"binlogFilters\": [{\"schemaPattern\": \"shop*\", \"tablePattern\": \"orders\","
                + " \"events\": [\"all dml\", \"drop table\"], \"action\": \"Ignore\"}, {\"schemaPattern\": \"shop*\","
                + " \"sqlPattern\": [\"^DROP\\\\s+TABLE\"], \"action\": \"Error\"}]");
        assertThat(spec.binlogFilters()).containsExactly(
                new BinlogFilterRule("shop*", "orders", List.of("all dml", "drop table"), null,
                        BinlogFilterRule.Action.IGNORE),
                new BinlogFilterRule("shop*", null, null, List.of("^DROP\\s+TABLE"), BinlogFilterRule.Action.ERROR));
        assertThat(spec("incremental", "").binlogFilters()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "full|\"binlogFilters\": []|binlogFilters is only for modes incremental and all",
            "all|\"binlogFilters\": [{\"schemaPattern\": \"s\", \"events\": [\"delete\", \"drop tables\"], \"action\": \"Ignore\"}]|binlogFilters[0].events[1] 'drop tables' is not a binlog event name; use 'all', 'none'",
            "all|\"binlogFilters\": [{\"schemaPattern\": \"s\", \"events\": [\"delete\"], \"action\": \"Skip\"}]|binlogFilters[0].action 'Skip' is not one of Ignore, Do, Error",
            "all|\"binlogFilters\": [{\"schemaPattern\": \"s\", \"events\": [\"delete\"]}]|binlogFilters[0].action is missing",
            "all|\"binlogFilters\": [{\"tablePattern\": \"t\", \"action\": \"Do\"}]|binlogFilters[0].schemaPattern is missing",
            "all|\"binlogFilters\": [{\"schemaPattern\": \"s\", \"sqlPattern\": [\"(\"], \"action\": \"Do\"}]|binlogFilters[0].sqlPattern[0] is not a regular expression",
            "all|\"binlogFilters\": [{\"schemaPattern\": \"s\", \"sqlPatterns\": [\"x\"], \"action\": \"Do\"}]|`binlogFilters[0].sqlPatterns` is not a field of binlogFilters[0]; did you mean `binlogFilters[0].sqlPattern`?"})
    void badBinlogFiltersAreRefusedNamingTheField(String mode, String fields, String message) {
        assertThatThrownBy(() -> spec(mode, fields)).isInstanceOf(TidemarkException.class)
                .satisfies(e -> assertThat(((TidemarkException) e).error().code()).isEqualTo("TM-10001"))
                .hasMessageContaining(message);
    }

    @Test
    void routesAreTakenInModeIncrementalAndTheirTargetsCountAsTheMigrationsTables() {
        MigrationSpec spec = spec("incremental", "\"filter\": [\"shop.*\"], \"routes\": [{\"schemaPattern\": \"shop\","
                + " \"tablePattern\": \"orders\", \"targetSchema\": \"sales\", \"targetTable\": \"orders_v2\"},"
                + " {\"schemaPattern\": \"shop*\", \"targetSchema\": \"shop_all\"}]");
        assertThat(spec.routes()).containsExactly(new RouteRule("shop", "orders", "sales", "orders_v2"),
                new RouteRule("shop*", null, "shop_all", null));
        assertThat(spec.targetFilter()).containsExactly("shop.*", "`sales`.`orders_v2`", "`shop_all`.*");
        assertThat(spec("incremental", "").routes()).isEmpty();
    }

    @Test
    void extractRulesAreTakenWithTheSourceTheirExtractSourceReads() {
        MigrationSpec spec = spec("all", "\"routes\": [{\"schemaPattern\": \"shop_*\", \"tablePattern\": \"t_*\","
                + " \"targetSchema\": \"m\", \"targetTable\": \"t\", \"extractTable\": {\"regexp\": \"t_(.*)\","
                + " \"targetColumn\": \"c_table\"}, \"extractSource\": {\"regexp\": \"(.*)\", \"targetColumn\":"
                + " \"c_source\"}, \"source\": \"mysql-01\"}]");
        assertThat(spec.routes()).containsExactly(new RouteRule("shop_*", "t_*", "m", "t",
                new RouteRule.Extract("t_(.*)", "c_table"), null, new RouteRule.Extract("(.*)", "c_source"),
                "mysql-01"));
        assertThat(spec.task()).as("only start-task says which task a spec is of").isNull();
    }

    @ParameterizedTest
    @CsvSource({"full", "all"})
    void routesAreTakenInModesThatSnapshotForTheImportAndReplicationAlike(String mode) {
        MigrationSpec spec = spec(mode, "\"filter\": [\"shop.*\"], \"routes\": [{\"schemaPattern\": \"shop\","
                + " \"tablePattern\": \"orders\", \"targetSchema\": \"sales\", \"targetTable\": \"orders_v2\"},"
                + " {\"schemaPattern\": \"shop\", \"targetSchema\": \"shop_new\"}]");
        assertThat(spec.routes()).containsExactly(new RouteRule("shop", "orders", "sales", "orders_v2"),
                new RouteRule("shop", null, "shop_new", null));
        assertThat(spec.targetFilter()).containsExactly("shop.*", "`sales`.`orders_v2`", "`shop_new`.*");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "import|\"routes\": []|routes are for modes incremental, full and all, which read a source; mode import imports files, whose TiDB Lightning configuration routes them",
            "incremental|\"routes\": [{\"schemaPattern\": \"s\", \"targetTable\": \"t\"}]|routes[0].targetSchema is missing",
            "incremental|\"routes\": [{\"schemaPattern\": \"s\", \"targetSchemas\": \"x\"}]|`routes[0].targetSchemas` is not a field of routes[0]; did you mean `routes[0].targetSchema`?",
            "incremental|\"routes\": [{\"schemaPattern\": \"s\", \"tablePattern\": \"t\", \"targetSchema\": \"x\", \"extractSource\": {\"regexp\": \"(.*)\", \"targetColumn\": \"c\"}}]|routes[0].extractSource needs source",
            "incremental|\"routes\": [{\"schemaPattern\": \"s\", \"tablePattern\": \"t\", \"targetSchema\": \"x\", \"extractTable\": {\"regexp\": \"(\", \"targetColumn\": \"c\"}}]|routes[0].the extract rule's regexp \"(\" is not a regular expression",
            "all|\"format\": \"parquet\", \"routes\": [{\"schemaPattern\": \"s\", \"tablePattern\": \"t\", \"targetSchema\": \"x\", \"extractTable\": {\"regexp\": \"(.*)\", \"targetColumn\": \"c\"}}]|which a Parquet snapshot (format parquet, engine aurora-export) does not write yet"})
    void badRoutesAreRefusedNamingTheField(String mode, String fields, String message) {
        assertThatThrownBy(() -> spec(mode, fields)).isInstanceOf(TidemarkException.class)
                .satisfies(e -> assertThat(((TidemarkException) e).error().code()).isEqualTo("TM-10001"))
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"60s,60000", "1m30s,90000", "1.5h,5400000", "250ms,250", "0,0", "0s,0", "2h45m0.5s,9900500",
            "1500us,1", "10µs,0"})
    void goDurationsReadAsGoReadsThem(String text, long millis) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis).plus(
                text.endsWith("us") ? Duration.ofNanos(500_000) : text.endsWith("µs") ? Duration.ofNanos(10_000)
                        : Duration.ZERO));
    }

    @ParameterizedTest
    @CsvSource({"60", "s", "1d", "1m 30s", "1.s.5"})
    void whatIsNoGoDurationIsRefused(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not a duration");
    }
}
