package io.tidemark.mysql.precheck.target;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.PrecheckReport;
import io.tidemark.mysql.precheck.Prechecks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TargetChecksTest {
    static final Flavor TIDB = Flavor.fromAnswers("8.0.11-TiDB-v8.5.1", "TiDB Server", Map.of());
    static final Flavor MYSQL = Flavor.fromAnswers("8.0.36", "", Map.of());

    static final Flavor MARIADB = Flavor.fromAnswers("10.11.6-MariaDB", "", Map.of());

    static TargetFacts facts(Flavor flavor, Map<String, Boolean> readOnly, Fact<Boolean> metaWrite) {
        return new TargetFacts("root@tidb:4000", "root", null, flavor, Fact.of(readOnly), "tidemark_meta", metaWrite,
                Fact.of(List.of("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION")));
    }

    static CheckResult privileges(Flavor flavor, Fact<List<String>> grants, List<String> schemas, Set<String> needed) {
        TargetFacts facts = new TargetFacts("tm@tidb:4000", "tm", null, flavor, Fact.of(Map.of()), "tidemark_meta",
                Fact.of(true), grants);
        return Prechecks.run(List.of(TargetChecks.login(), TargetChecks.privileges(schemas, needed)), facts)
                .result(TargetChecks.PRIVILEGES).orElseThrow();
    }

    @Test
    void privilegesGrantedOnTheSchemaOrGloballyPass() {
        CheckResult result = privileges(MARIADB, Fact.of(List.of(
                "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER ON *.* TO `tm`@`%`",
                "GRANT ALL PRIVILEGES ON `crm`.* TO `tm`@`%`")), List.of("shop", "crm"), TargetChecks.REPLICATION);

        assertThat(result.state()).as(result.toString()).isEqualTo(CheckResult.State.PASS);
        assertThat(result.message()).isEqualTo("SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, INDEX, ALTER granted on"
                + " `crm`, `shop`");
    }

    @Test
    void missingPrivilegesFailNamingEachSchemaAndTheGrantsThatFixThem() {
        CheckResult result = privileges(MARIADB, Fact.of(List.of(
                "GRANT USAGE ON *.* TO `tm`@`%` IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D0463EFAE20BDD122'",
                "GRANT SELECT, INSERT ON `shop`.* TO `tm`@`%`",
                "GRANT ALL PRIVILEGES ON `tmp\\_%`.* TO `tm`@`%`")), List.of("shop", "tmp_1", "crm_db"),
                TargetChecks.IMPORT);

        assertThat(result.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(result.error().error()).isEqualTo(ErrorCode.TARGET_PRIVILEGE_MISSING);
        assertThat(result.message()).isEqualTo("target account tm@tidb:4000 lacks a privilege for the migrated"
                + " schemas: `crm_db` lacks SELECT, INSERT, DELETE, CREATE; `shop` lacks DELETE, CREATE");
        assertThat(result.instruction()).isEqualTo("GRANT SELECT, INSERT, DELETE, CREATE ON `crm\\_db`.* TO `tm`@`%`;"
                + " GRANT DELETE, CREATE ON `shop`.* TO `tm`@`%`");
    }

    @Test
    void tidbGrantsAreReadWithItsQuotingAndCaseInsensitiveNames() {
        CheckResult result = privileges(TIDB, Fact.of(List.of("GRANT USAGE ON *.* TO 'tm'@'%'",
                "GRANT SELECT,INSERT,DELETE ON `Shop`.* TO 'tm'@'%'")), List.of("shop"), TargetChecks.IMPORT);

        assertThat(result.instruction()).isEqualTo("GRANT CREATE ON `shop`.* TO 'tm'@'%'");
    }

    @Test
    void anAccountWithAnInactiveRoleWhoseOwnGrantsFallShortIsWarnedWithTheStatementThatActivatesIt() {
        CheckResult result = privileges(MARIADB, Fact.of(List.of("GRANT `app_rw` TO `tm`@`%`",
                "GRANT USAGE ON *.* TO `tm`@`%`")), List.of("shop"), TargetChecks.IMPORT);

        assertThat(result.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(result.message()).isEqualTo("the account's grants fall short: `shop` lacks SELECT, INSERT,"
                + " DELETE, CREATE; it also holds `app_rw`, which is not active in a new session (not a default role),"
                + " so its privileges do not apply");
        assertThat(result.instruction()).isEqualTo("GRANT SELECT, INSERT, DELETE, CREATE ON `shop`.* TO `tm`@`%`"
                + " (or, if `app_rw` grants them, make it the account's default role: SET DEFAULT ROLE `app_rw` FOR"
                + " `tm`@`%`)");
    }

    @Test
    void anAccountWithRolesWhoseOwnGrantsSufficePasses() {
        CheckResult result = privileges(MARIADB, Fact.of(List.of("GRANT `app_rw` TO `tm`@`%`",
                "GRANT ALL PRIVILEGES ON `shop`.* TO `tm`@`%`")), List.of("shop"), TargetChecks.IMPORT);

        assertThat(result.state()).isEqualTo(CheckResult.State.PASS);
    }

    @Test
    void unreadableGrantsAreAWarningWithTheGrantsToMakeSureOf() {
        TidemarkException denied = new TidemarkException(ErrorCode.TARGET_PRIVILEGE_MISSING, "tm@tidb:4000",
                "SHOW GRANTS", "Access denied (error 1044)");

        CheckResult result = privileges(TIDB, Fact.failed(denied), List.of("shop"), Set.of("insert", "Select"));

        assertThat(result.state()).isEqualTo(CheckResult.State.WARN);
        assertThat(result.message()).startsWith("cannot read the account's grants, so whether it may write `shop` is"
                + " not known: ");
        assertThat(result.instruction()).isEqualTo("make sure 'tm'@'%' holds them: GRANT SELECT, INSERT ON `shop`.*"
                + " TO 'tm'@'%'");
    }

    @Test
    void aWritableTargetPasses() {
        PrecheckReport report = Prechecks.run(TargetChecks.all(), facts(TIDB,
                Map.of("tidb_super_read_only", false, "tidb_restricted_read_only", false), Fact.of(true)));

        assertThat(report.ok()).as(report.toString()).isTrue();
    }

    @Test
    void aReadOnlyTiDbSaysWhichSwitchToTurnOffAndSkipsTheMetaWrite() {
        TidemarkException refused = new TidemarkException(ErrorCode.TARGET_READ_ONLY, "root@tidb:4000",
                "CREATE DATABASE", "Running in read-only mode (error 1836)");

        PrecheckReport report = Prechecks.run(TargetChecks.all(), facts(TIDB,
                Map.of("tidb_super_read_only", true, "tidb_restricted_read_only", false), Fact.failed(refused)));

        CheckResult readOnly = report.result(TargetChecks.NOT_READ_ONLY).orElseThrow();
        assertThat(readOnly.error().error()).isEqualTo(ErrorCode.TARGET_READ_ONLY);
        assertThat(readOnly.message()).isEqualTo("target root@tidb:4000 is read-only and refused writes:"
                + " tidb_super_read_only=ON");
        assertThat(readOnly.instruction()).startsWith("SET GLOBAL tidb_super_read_only = OFF");
        assertThat(report.result(TargetChecks.META_SCHEMA).orElseThrow().state())
                .isEqualTo(CheckResult.State.SKIPPED);
    }

    @Test
    void mysqlSuperReadOnlyNeedsBothSwitchesOff() {
        CheckResult result = Prechecks.run(TargetChecks.all(), facts(MYSQL,
                Map.of("read_only", true, "super_read_only", true), Fact.of(true))).results().get(1);

        assertThat(result.instruction()).isEqualTo("SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF"
                + " (or point the migration at the primary)");
    }

    @Test
    void aMetaSchemaTheAccountMayNotCreateNamesTheGrant() {
        TidemarkException denied = new TidemarkException(ErrorCode.TARGET_PRIVILEGE_MISSING, "root@tidb:4000",
                "CREATE DATABASE IF NOT EXISTS `tidemark_meta`", "Access denied for user 'tm'@'%' to database"
                + " 'tidemark_meta' (error 1044)");

        CheckResult result = Prechecks.run(TargetChecks.all(), facts(TIDB, Map.of(), Fact.failed(denied)))
                .result(TargetChecks.META_SCHEMA).orElseThrow();

        assertThat(result.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(result.instruction()).startsWith("GRANT CREATE, SELECT, INSERT, UPDATE, DELETE, DROP, ALTER,"
                + " INDEX ON `tidemark_meta`.* TO 'root'@'%'");
    }

    @Test
    void aTargetThatCannotBeReachedFailsTheLoginOnly() {
        TargetFacts unreachable = TargetFacts.loginFailed("root@tidb:4000", "root", "tidemark_meta",
                new TidemarkException(ErrorCode.TARGET_UNREACHABLE, "root@tidb:4000",
                        "login: nothing listens on tidb:4000 (connection refused)"));

        PrecheckReport report = Prechecks.run(TargetChecks.all(), unreachable);

        assertThat(report.failures()).extracting(CheckResult::name).containsExactly(TargetChecks.LOGIN);
        assertThat(report.failures().getFirst().instruction()).contains("4000");
        assertThat(report.skipped()).hasSize(2);
        assertThat(Prechecks.run(List.of(TargetChecks.login(), TargetChecks.privileges(List.of("shop"),
                TargetChecks.IMPORT)), unreachable).skipped()).extracting(CheckResult::name)
                .containsExactly(TargetChecks.PRIVILEGES);
    }
}
