package io.tidemark.mysql.error;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog keeps its promises: every code has a remedy and a number of its own, and a remedy speaks of Tidemark
 * retrying exactly when the code is retried, so a user is never told to wait for a retry that will not come.
 */
class ErrorCatalogTest {
    /** how a remedy promises a retry; a fatal remedy may still name the /retry endpoint the user calls */
    private static final Pattern PROMISES_A_RETRY = Pattern.compile(
            "Tidemark (retries|will retry|keeps retrying|tries again)", Pattern.CASE_INSENSITIVE);

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeHasARemedyConsistentWithItsRetriableFlag(ErrorCode code) {
        assertThat(code.remedy()).isNotBlank();
        assertThat(code.code()).matches("TM-[1-5]\\d{4}");
        assertThat(PROMISES_A_RETRY.matcher(code.remedy()).find())
                .as("%s is %s, its remedy: %s", code, code.retriable() ? "retriable" : "fatal", code.remedy())
                .isEqualTo(code.retriable());
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void afterGivingUpNoRemedyPromisesARetry(ErrorCode code) {
        String remedy = code.remedyAfterGivingUp(5);

        assertThat(PROMISES_A_RETRY.matcher(remedy).find()).as(remedy).isFalse();
        if (code.retriable()) {
            assertThat(remedy).startsWith("Tidemark stopped after 5 attempts: ")
                    .endsWith("then resume with POST /api/v1/migrations/{id}/retry");
        } else {
            assertThat(remedy).isEqualTo(code.remedy());
        }
    }

    @Test
    void everyNumberIsUnique() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code)).doesNotHaveDuplicates();
    }

    @Test
    void theNumbersUsersAndTestsAlreadyKnowStay() {
        assertThat(ErrorCode.SOURCE_UNREACHABLE.code()).isEqualTo("TM-20001");
        assertThat(ErrorCode.SOURCE_PRIVILEGE_MISSING.code()).isEqualTo("TM-20003");
        assertThat(ErrorCode.BINLOG_FORMAT_NOT_ROW.code()).isEqualTo("TM-20005");
        assertThat(ErrorCode.BINLOG_PURGED.code()).isEqualTo("TM-20007");
        assertThat(ErrorCode.TARGET_TRANSIENT_CONFLICT.code()).isEqualTo("TM-30005");
        assertThat(ErrorCode.KAFKA_UNAVAILABLE.code()).isEqualTo("TM-50004");
        assertThat(ErrorCode.INTERNAL.code()).isEqualTo("TM-50003");
    }

    @Test
    void aRetriableRemedySaysWhatToCheckThenHowTidemarkRetries() {
        assertThat(ErrorCode.SOURCE_UNREACHABLE.remedy()).startsWith("check that the source runs")
                .endsWith("; Tidemark retries by itself");
        assertThat(ErrorCode.SOURCE_UNREACHABLE.remedyAfterGivingUp(1)).isEqualTo("Tidemark stopped after 1 attempt:"
                + " check that the source runs, that host and port are right and that Tidemark's hosts may reach"
                + " them (firewall, security group; on Aurora use the cluster endpoint); then resume with"
                + " POST /api/v1/migrations/{id}/retry");
    }

    @Test
    void kafkaUnavailabilityKeepsTheRemedyTheCoordinatorShows() {
        assertThat(ErrorCode.KAFKA_UNAVAILABLE.remedy()).isEqualTo("check the Kafka cluster (brokers up, topic present,"
                + " credentials); Tidemark retries until it can");
    }

    @Test
    void theNewCodesFormatTheirMessages() {
        assertThat(new TidemarkException(ErrorCode.TARGET_READ_ONLY, "root@tidb:4000", "writes", "read_only=ON")
                .detail()).isEqualTo("target root@tidb:4000 is read-only and refused writes: read_only=ON");
        assertThat(new TidemarkException(ErrorCode.PRECHECKS_FAILED, "2 prechecks", "a: x — fix: y; b: z — fix: w")
                .detail()).isEqualTo("2 prechecks failed: a: x — fix: y; b: z — fix: w");
        assertThat(new TidemarkException(ErrorCode.BINLOG_RETENTION_TOO_SHORT, "admin@aurora:3306", "12 hours",
                "24 hours").getMessage()).contains("CALL mysql.rds_set_configuration('binlog retention hours', 168)");
    }
}
