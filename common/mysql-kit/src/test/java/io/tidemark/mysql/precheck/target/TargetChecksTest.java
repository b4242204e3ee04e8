package io.tidemark.mysql.precheck.target;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Fact;
import io.tidemark.mysql.precheck.PrecheckReport;
import io.tidemark.mysql.precheck.Prechecks;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TargetChecksTest {
    static final Flavor TIDB = Flavor.fromAnswers("8.0.11-TiDB-v8.5.1", "TiDB Server", Map.of());
    static final Flavor MYSQL = Flavor.fromAnswers("8.0.36", "", Map.of());

    static TargetFacts facts(Flavor flavor, Map<String, Boolean> readOnly, Fact<Boolean> metaWrite) {
        return new TargetFacts("root@tidb:4000", "root", null, flavor, Fact.of(readOnly), "tidemark_meta", metaWrite);
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
    }
}
