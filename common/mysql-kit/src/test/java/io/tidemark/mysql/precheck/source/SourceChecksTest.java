package io.tidemark.mysql.precheck.source;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableFilter;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.PrecheckReport;
import io.tidemark.mysql.precheck.Prechecks;
import io.tidemark.mysql.precheck.source.SourceFacts.BinaryLog;
import io.tidemark.mysql.precheck.source.SourceFacts.BinlogSettings;
import io.tidemark.mysql.precheck.source.SourceFacts.Tables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The source checks on recorded facts: what each server answers, what each check makes of it. */
class SourceChecksTest {
    static final Flavor MARIADB = Flavor.fromAnswers("10.11.6-MariaDB-log", "Debian 12", Map.of());
    static final Flavor MYSQL = Flavor.fromAnswers("8.0.36", "MySQL Community Server - GPL", Map.of());
    static final Flavor AURORA = Flavor.fromAnswers("8.0.32", "Source distribution",
            Map.of("aurora_version", "3.05.2"));
    static final TableRef ORDERS = TableRef.of("shop", "orders");
    static final BinlogPosition NOW = BinlogPosition.of("mysql-bin.000002", 500, "0-1-5");

    /** recorded facts of a healthy source, changed per test */
    static final class Recorded {
        Flavor flavor = MARIADB;
        BinlogSettings binlog = new BinlogSettings(true, "ROW", "FULL");
        Fact<List<String>> grants = Fact.of(List.of("GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `repl`@`%`"
                        + " IDENTIFIED BY PASSWORD '*ABC'", "GRANT SELECT ON `shop`.* TO `repl`@`%`"));
        Fact<List<BinaryLog>> logs = Fact.of(List.of(new BinaryLog("mysql-bin.000001", 1000),
                new BinaryLog("mysql-bin.000002", 500)));
        Fact<Integer> retention = Fact.of(null);
        Fact<BinlogPosition> position = Fact.of(NOW);
        Fact<Tables> tables = Fact.of(new Tables(TableFilter.parse("shop.*"), List.of(ORDERS), List.of(), Map.of()));

        Recorded flavor(Flavor f) {
            flavor = f;
            if (f.isAurora()) {
                retention = Fact.of(168);
                grants = Fact.of(List.of("GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO"
                        + " `admin`@`%` WITH GRANT OPTION"));
            }
            return this;
        }

        SourceFacts facts() {
            return new SourceFacts("repl@db:3306", "repl", null, flavor, binlog, grants, logs, retention, position,
                    tables);
        }
    }

    static Recorded source() {
        return new Recorded();
    }

    static CheckResult run(io.tidemark.mysql.precheck.Precheck<SourceFacts> check, Recorded r) {
        return Prechecks.run(List.of(check), r.facts()).results().getFirst();
    }

    static TidemarkException denied(ErrorCode code, String what) {
        return new TidemarkException(code, "repl@db:3306", what);
    }

    @Test
    void aHealthySourcePassesEveryCheckOnEveryFlavor() {
        for (Flavor flavor : List.of(MARIADB, MYSQL, AURORA)) {
            Recorded r = source().flavor(flavor);
            List<io.tidemark.mysql.precheck.Precheck<SourceFacts>> all = new java.util.ArrayList<>(
                    SourceChecks.forDumpAndReplication());
            all.add(SourceChecks.startPosition(BinlogPosition.ofFilePosition("mysql-bin.000001", 120)));

            PrecheckReport report = Prechecks.run(all, r.facts());

            assertThat(report.ok()).as(flavor + ":\n" + report).isTrue();
            assertThat(report.warnings()).isEmpty();
        }
    }

    @Test
    void aRefusedLoginFailsOnceAndEverythingElseIsNotChecked() {
        SourceFacts refused = SourceFacts.loginFailed("repl@db:3306", "repl",
                new TidemarkException(ErrorCode.SOURCE_ACCESS_DENIED, "repl@db:3306",
                        "Access denied for user 'repl'@'10.0.0.5' (using password: YES) (error 1045)"));

        PrecheckReport report = Prechecks.run(SourceChecks.forReplication(NOW), refused);

        assertThat(report.failures()).extracting(CheckResult::name).containsExactly(SourceChecks.LOGIN);
        assertThat(report.failures().getFirst().instruction()).contains("master user");
        assertThat(report.skipped()).hasSize(SourceChecks.forReplication(NOW).size() - 1)
                .allSatisfy(r -> assertThat(r.message()).startsWith("not checked: "));
        assertThat(report.toException().detail()).startsWith("1 precheck failed: source_login: source repl@db:3306"
                + " refused the login: Access denied");
    }

    @Test
    void binaryLoggingOffFailsAndThePositionChecksAreNotChecked() {
        Recorded r = source();
        r.binlog = new BinlogSettings(false, "ROW", "FULL");
        r.position = Fact.failed(new TidemarkException(ErrorCode.BINLOG_DISABLED, "repl@db:3306"));

        PrecheckReport report = Prechecks.run(SourceChecks.forReplication(NOW), r.facts());

        assertThat(report.failures()).extracting(CheckResult::name).containsExactly(SourceChecks.LOG_BIN);
        assertThat(report.failures().getFirst().instruction()).contains("log_bin cannot be switched on at runtime");
        assertThat(report.skipped()).extracting(CheckResult::name)
                .containsExactly(SourceChecks.BINLOG_POSITION, SourceChecks.START_POSITION);
    }

    @Test
    void auroraWritesNoBinlogUntilTheParameterGroupSetsTheFormat() {
        Recorded r = source().flavor(AURORA);
        r.binlog = new BinlogSettings(false, "OFF", "FULL");

        assertThat(run(SourceChecks.logBin(), r).instruction()).contains("DB cluster parameter group")
                .contains("reboot the writer");
    }

    @ParameterizedTest
    @CsvSource({"STATEMENT", "MIXED"})
    void aFormatOtherThanRowFailsWithTheFlavorsWayToFixIt(String format) {
        Recorded maria = source();
        maria.binlog = new BinlogSettings(true, format, "FULL");
        Recorded aurora = source().flavor(AURORA);
        aurora.binlog = new BinlogSettings(true, format, "FULL");

        CheckResult onMaria = run(SourceChecks.binlogFormat(), maria);
        CheckResult onAurora = run(SourceChecks.binlogFormat(), aurora);

        assertThat(onMaria.error().error()).isEqualTo(ErrorCode.BINLOG_FORMAT_NOT_ROW);
        assertThat(onMaria.message()).contains("binlog_format=" + format);
        assertThat(onMaria.instruction()).startsWith("SET GLOBAL binlog_format='ROW'");
        assertThat(onAurora.instruction()).contains("DB cluster parameter group");
    }

    @Test
    void aRowImageOtherThanFullFails() {
        Recorded r = source();
        r.binlog = new BinlogSettings(true, "ROW", "MINIMAL");

        CheckResult result = run(SourceChecks.binlogRowImage(), r);

        assertThat(result.error().error()).isEqualTo(ErrorCode.BINLOG_ROW_IMAGE_NOT_FULL);
        assertThat(result.message()).contains("binlog_row_image=MINIMAL");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "unset", value = {
            "unset, FAIL, 'keeps its binary logs for no guaranteed time (''binlog retention hours'' is not set'",
            "12, FAIL, 'keeps its binary logs for 12 hours; a migration needs at least 24 hours'",
            "24, PASS, 'binlog retention hours is 24'",
            "2160, PASS, 'binlog retention hours is 2160'"})
    void auroraRetentionMustBeSetToADayOrMore(Integer hours, CheckResult.State state, String message) {
        Recorded r = source().flavor(AURORA);
        r.retention = Fact.of(hours);

        CheckResult result = run(SourceChecks.binlogRetention(), r);

        assertThat(result.state()).isEqualTo(state);
        assertThat(result.message()).contains(message);
        if (state == CheckResult.State.FAIL) {
            assertThat(result.error().error()).isEqualTo(ErrorCode.BINLOG_RETENTION_TOO_SHORT);
            assertThat(result.instruction()).isEqualTo("as the cluster's master user: CALL"
                    + " mysql.rds_set_configuration('binlog retention hours', 168) (at most 2160)");
        }
    }

    @Test
    void retentionIsAuroraOnlyAndAnUnreadableSettingWarns() {
        assertThat(run(SourceChecks.binlogRetention(), source()).state()).isEqualTo(CheckResult.State.PASS);

        Recorded r = source().flavor(AURORA);
        r.retention = Fact.failed(denied(ErrorCode.SOURCE_PRIVILEGE_MISSING,
                "execute command denied for routine 'mysql.rds_show_configuration' (error 1370)"));
        CheckResult result = run(SourceChecks.binlogRetention(), r);

        assertThat(result.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(result.instruction()).contains("CALL mysql.rds_show_configuration");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "MariaDB slave only   | 10.11.6-MariaDB | GRANT REPLICATION SLAVE ON *.* TO `repl`@`%`"
                    + " | FAIL | GRANT BINLOG MONITOR ON *.* TO `repl`@`%`",
            "MariaDB monitor only | 10.11.6-MariaDB | GRANT BINLOG MONITOR ON *.* TO `repl`@`%`"
                    + " | FAIL | GRANT REPLICATION SLAVE ON *.* TO `repl`@`%`",
            "MariaDB neither      | 10.11.6-MariaDB | GRANT SELECT ON *.* TO `repl`@`%`"
                    + " | FAIL | GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `repl`@`%`",
            "MariaDB only on a db | 10.11.6-MariaDB | GRANT REPLICATION SLAVE, BINLOG MONITOR ON `shop`.* TO"
                    + " `repl`@`%` | FAIL | GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `repl`@`%`",
            "MariaDB all          | 10.11.6-MariaDB | GRANT ALL PRIVILEGES ON *.* TO `root`@`%` WITH GRANT OPTION"
                    + " | PASS | ",
            "MariaDB 10.4 client  | 10.4.32-MariaDB | GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO"
                    + " `repl`@`%` | PASS | ",
            "MySQL both, no space | 8.0.36          | GRANT REPLICATION SLAVE,REPLICATION CLIENT ON *.* TO `repl`@`%`"
                    + " | PASS | ",
            "MySQL super          | 8.0.36          | GRANT SUPER, REPLICATION SLAVE ON *.* TO `repl`@`%`"
                    + " | PASS | ",
            "MySQL slave only     | 8.0.36          | GRANT REPLICATION SLAVE ON *.* TO `repl`@`%`"
                    + " | FAIL | GRANT REPLICATION CLIENT ON *.* TO `repl`@`%`"})
    void replicationPrivilegesAreReadFromTheGlobalGrants(String name, String version, String grant,
                                                         CheckResult.State state, String instruction) {
        Recorded r = source().flavor(Flavor.fromAnswers(version, "", Map.of()));
        r.grants = Fact.of(List.of(grant));

        CheckResult result = run(SourceChecks.replicationPrivileges(), r);

        assertThat(result.state()).isEqualTo(state);
        if (state == CheckResult.State.FAIL) {
            assertThat(result.error().error()).isEqualTo(ErrorCode.SOURCE_PRIVILEGE_MISSING);
            assertThat(result.instruction()).isEqualTo(instruction);
        }
    }

    @Test
    void onAuroraTheGrantIsGivenByTheMasterUser() {
        Recorded r = source().flavor(AURORA);
        r.grants = Fact.of(List.of("GRANT SELECT ON *.* TO `repl`@`%`"));

        assertThat(run(SourceChecks.replicationPrivileges(), r).instruction()).isEqualTo(
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `repl`@`%` as the cluster's master user");
    }

    @Test
    void anUnreadablePositionNamesTheMonitorPrivilege() {
        Recorded r = source();
        r.position = Fact.failed(denied(ErrorCode.SOURCE_PRIVILEGE_MISSING, "SHOW MASTER STATUS: Access denied; you"
                + " need (at least one of) the BINLOG MONITOR privilege(s) for this operation (error 1227)"));

        CheckResult result = run(SourceChecks.binlogPosition(), r);

        assertThat(result.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(result.instruction()).isEqualTo("GRANT BINLOG MONITOR ON *.* TO `repl`@`%`");
    }

    @Test
    void aReadablePositionIsShownWithTheStatementThatReadIt() {
        assertThat(run(SourceChecks.binlogPosition(), source()).message())
                .isEqualTo("SHOW MASTER STATUS answers mysql-bin.000002:500 [0-1-5]");
    }

    @Test
    void aStartPositionInsideAFileOnTheSourcePasses() {
        CheckResult result = run(SourceChecks.startPosition(BinlogPosition.ofFilePosition("mysql-bin.000002", 500)),
                source());

        assertThat(result.state()).isEqualTo(CheckResult.State.PASS);
    }

    @Test
    void aStartPositionBeyondItsFileIsInvalidNotPurged() {
        CheckResult result = run(SourceChecks.startPosition(BinlogPosition.ofFilePosition("mysql-bin.000001", 9999)),
                source());

        assertThat(result.error().error()).isEqualTo(ErrorCode.BINLOG_POSITION_INVALID);
        assertThat(result.message()).endsWith("position 9999 does not exist in file mysql-bin.000001 (its size is"
                + " 1000 bytes)");
        assertThat(result.instruction()).contains("SHOW BINLOG EVENTS IN 'mysql-bin.000001'")
                .doesNotContain("retention");
    }

    @Test
    void aPurgedStartFileFailsWithTheRetentionRemedyOfTheFlavor() {
        BinlogPosition old = BinlogPosition.ofFilePosition("mysql-bin.000000", 4);

        CheckResult onAurora = run(SourceChecks.startPosition(old), source().flavor(AURORA));
        CheckResult onMaria = run(SourceChecks.startPosition(old), source());

        assertThat(onAurora.error().error()).isEqualTo(ErrorCode.BINLOG_PURGED);
        assertThat(onAurora.message()).contains("the file mysql-bin.000000 is no longer in SHOW BINARY LOGS (the"
                + " oldest is mysql-bin.000001)");
        assertThat(onAurora.instruction()).contains("CALL mysql.rds_set_configuration('binlog retention hours', 168)")
                .contains("mode all");
        assertThat(onMaria.instruction()).contains("binlog_expire_logs_seconds");
    }

    @Test
    void aStartFileNewerThanTheNewestIsInvalid() {
        CheckResult result = run(SourceChecks.startPosition(BinlogPosition.ofFilePosition("mysql-bin.000009", 4)),
                source());

        assertThat(result.error().error()).isEqualTo(ErrorCode.BINLOG_POSITION_INVALID);
        assertThat(result.message()).contains("the file mysql-bin.000009 does not exist yet (the newest binary log is"
                + " mysql-bin.000002)");
    }

    @Test
    void unlistableBinaryLogsOnlyWarnAboutTheStartPosition() {
        Recorded r = source();
        r.logs = Fact.failed(denied(ErrorCode.SOURCE_PRIVILEGE_MISSING, "SHOW BINARY LOGS: Access denied"));

        CheckResult result = run(SourceChecks.startPosition(NOW), r);

        assertThat(result.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(result.instruction()).startsWith("GRANT BINLOG MONITOR ON *.* TO `repl`@`%`");
    }

    @Test
    void aFilterThatSelectsNoTableFails() {
        Recorded r = source();
        r.tables = Fact.of(new Tables(TableFilter.parse("nope.*"), List.of(), List.of(), Map.of()));

        CheckResult result = run(SourceChecks.tablesSelected(), r);

        assertThat(result.error().error()).isEqualTo(ErrorCode.SOURCE_TABLE_NOT_FOUND);
        assertThat(result.message()).isEqualTo("the table filter [nope.*] matches no table on source repl@db:3306");
    }

    @Test
    void viewsAndSequencesAreListedAsSkipped() {
        Recorded r = source();
        r.tables = Fact.of(new Tables(TableFilter.parse("shop.*"), List.of(ORDERS),
                List.of(TableRef.of("shop", "order_totals"), TableRef.of("shop", "ids")), Map.of()));

        assertThat(run(SourceChecks.tablesSelected(), r).message()).isEqualTo("1 table selected; views and sequences"
                + " skipped (no rows of their own): shop.order_totals, shop.ids");
    }

    @Test
    void tablesTheAccountMayNotReadAreNamedWithTheGrantPerSchema() {
        Recorded r = source();
        TableRef items = TableRef.of("stock", "items");
        r.tables = Fact.of(new Tables(TableFilter.parse("*.*"), List.of(ORDERS, items), List.of(), Map.of(items,
                denied(ErrorCode.SOURCE_PRIVILEGE_MISSING, "SELECT on stock.items: SELECT command denied to user"
                        + " 'repl'@'%' for table `stock`.`items` (error 1142)"))));

        CheckResult result = run(SourceChecks.selectPrivilege(), r);

        assertThat(result.error().error()).isEqualTo(ErrorCode.SOURCE_PRIVILEGE_MISSING);
        assertThat(result.message()).contains("SELECT is denied on stock.items");
        assertThat(result.instruction()).isEqualTo("GRANT SELECT ON `stock`.* TO `repl`@`%`");
    }

    @Test
    void tableChecksOnFactsReadWithoutAFilterAreAnInternalError() {
        Recorded r = source();
        r.tables = null;

        CheckResult result = run(SourceChecks.tablesSelected(), r);

        assertThat(result.error().error()).isEqualTo(ErrorCode.INTERNAL);
    }
}
