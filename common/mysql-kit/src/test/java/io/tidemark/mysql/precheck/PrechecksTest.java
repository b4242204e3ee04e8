package io.tidemark.mysql.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrechecksTest {
    /** a check over a plain string context, for the runner's rules */
    private record Check(String name, Set<String> needs, Function<String, CheckResult> body)
            implements Precheck<String> {
        @Override
        public CheckResult check(String context) {
            return body.apply(context);
        }
    }

    private static Check passing(String name, String... needs) {
        return new Check(name, Set.of(needs), c -> CheckResult.pass(name, "fine"));
    }

    private static Check failing(String name, String instruction, String... needs) {
        return new Check(name, Set.of(needs), c -> CheckResult.fail(name,
                new TidemarkException(ErrorCode.BINLOG_FORMAT_NOT_ROW, c, "STATEMENT"), instruction));
    }

    @Test
    void runsEveryCheckAndListsEveryFailureWithItsInstruction() {
        // Given three checks of which two fail
        List<Check> checks = List.of(failing("binlog_format", "SET GLOBAL binlog_format='ROW'"), passing("log_bin"),
                failing("binlog_row_image", "SET GLOBAL binlog_row_image='FULL'"));

        // When they run
        PrecheckReport report = Prechecks.run(checks, "repl@db:3306");

        // Then all ran, and one exception names both failures with their fixes
        assertThat(report.results()).extracting(CheckResult::name)
                .containsExactly("binlog_format", "log_bin", "binlog_row_image");
        assertThat(report.ok()).isFalse();
        assertThat(report.failures()).hasSize(2);
        TidemarkException e = report.toException();
        assertThat(e.error()).isEqualTo(ErrorCode.PRECHECKS_FAILED);
        assertThat(e.retriable()).isFalse();
        assertThat(e.detail()).isEqualTo("2 prechecks failed: binlog_format: source repl@db:3306 has"
                + " binlog_format=STATEMENT; row-based replication needs ROW — fix: SET GLOBAL binlog_format='ROW';"
                + " binlog_row_image: source repl@db:3306 has binlog_format=STATEMENT; row-based replication needs"
                + " ROW — fix: SET GLOBAL binlog_row_image='FULL'");
    }

    @Test
    void checksThatNeedAFailedGateAreNotCheckedButListed() {
        List<Check> checks = List.of(failing("source_login", "check the password"),
                passing("log_bin", "source_login"), passing("binlog_position", "source_login", "log_bin"),
                passing("unrelated"));

        PrecheckReport report = Prechecks.run(checks, "repl@db:3306");

        assertThat(report.results()).extracting(CheckResult::state).containsExactly(CheckResult.State.FAIL,
                CheckResult.State.SKIPPED, CheckResult.State.SKIPPED, CheckResult.State.PASS);
        assertThat(report.skipped()).extracting(CheckResult::message)
                .containsExactly("not checked: source_login failed", "not checked: source_login failed");
        assertThat(report.toException().detail()).startsWith("1 precheck failed: source_login: ")
                .endsWith("— fix: check the password; not checked because of the above: log_bin, binlog_position");
    }

    @Test
    void aCheckThatBreaksIsAFailureNotAnAbortedRun() {
        List<Check> checks = List.of(new Check("broken", Set.of(), c -> {
            throw new IllegalStateException("no facts");
        }), passing("after"));

        PrecheckReport report = Prechecks.run(checks, "x");

        assertThat(report.result("broken").orElseThrow().error().error()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(report.result("broken").orElseThrow().message()).contains("no facts");
        assertThat(report.result("after").orElseThrow().passed()).isTrue();
    }

    @Test
    void warningsDoNotFailTheReport() {
        PrecheckReport report = Prechecks.run(List.of(new Check("w", Set.of(),
                c -> CheckResult.warn("w", "cannot list binary logs", "grant BINLOG MONITOR")), passing("p")), "x");

        assertThat(report.ok()).isTrue();
        assertThat(report.warnings()).hasSize(1);
        assertThatThrownBy(report::toException).isInstanceOf(IllegalStateException.class);
        assertThat(report.throwIfFailed()).isSameAs(report);
    }

    @Test
    void reportsCombine() {
        PrecheckReport source = Prechecks.run(List.of(failing("binlog_format", "fix a")), "s");
        PrecheckReport target = Prechecks.run(List.of(failing("target_login", "fix b")), "t");

        assertThat(source.and(target).toException().detail()).startsWith("2 prechecks failed: binlog_format:")
                .contains("; target_login:");
    }

    @Test
    void onlyAFailureCarriesAnErrorAndAFailureNeedsAnInstruction() {
        TidemarkException e = new TidemarkException(ErrorCode.INTERNAL, "x");
        assertThatThrownBy(() -> new CheckResult("c", CheckResult.State.PASS, "m", "", e))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckResult.fail("c", e, " ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReportWhoseOnlyFailuresAreOutagesIsRetriedNotFatal() {
        TidemarkException unreachable = new TidemarkException(ErrorCode.SOURCE_UNREACHABLE, "s", "no answer");
        PrecheckReport outage = Prechecks.run(List.of(new Check("source_login", Set.of(),
                c -> CheckResult.fail("source_login", unreachable, "check the network"))), "x");
        assertThatThrownBy(outage::throwIfFailed).isSameAs(unreachable);

        PrecheckReport finding = outage.and(Prechecks.run(List.of(failing("binlog_format", "fix a")), "y"));
        assertThatThrownBy(finding::throwIfFailed).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.error()).isEqualTo(ErrorCode.PRECHECKS_FAILED));
    }
}
