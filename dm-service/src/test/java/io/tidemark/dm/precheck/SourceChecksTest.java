package io.tidemark.dm.precheck;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.secret.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SourceChecksTest {
    private static final DatabaseEndpoint SOURCE = new DatabaseEndpoint("db.example", 3306, "repl", new Secret("env:PW"));

    private static SourceFacts facts(boolean logBin, String format, String image, boolean aurora, boolean mariadb,
                                     List<String> grants) {
        return new SourceFacts(SOURCE, logBin, format, image, aurora, mariadb, grants,
                List.of("mysql-bin.000002", "mysql-bin.000003"), Optional.empty());
    }

    private static final List<String> ALL = List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`%`");

    @Test
    void aHealthySourcePassesEveryCheck() {
        SourceFacts f = facts(true, "ROW", "FULL", false, true, ALL);
        assertThat(SourceChecks.streaming()).allSatisfy(p -> assertThat(p.check(f).state())
                .isEqualTo(CheckResult.State.PASS));
    }

    @Test
    void binlogSettingsFailWithTheirCatalogCodes() {
        assertThat(new SourceChecks.LogBin().check(facts(false, "ROW", "FULL", false, false, ALL)).error().error().code())
                .isEqualTo("TM-20004");
        CheckResult format = new SourceChecks.RowFormat().check(facts(true, "MIXED", "FULL", true, false, ALL));
        assertThat(format.error().error().code()).isEqualTo("TM-20005");
        assertThat(format.message()).contains("binlog_format=MIXED");
        assertThat(format.remedy()).contains("DB cluster parameter group");
        CheckResult image = new SourceChecks.FullRowImage().check(facts(true, "ROW", "MINIMAL", false, false, ALL));
        assertThat(image.error().error().code()).isEqualTo("TM-20006");
        assertThat(image.message()).contains("MINIMAL");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `u`@`%`|true||",
            "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `u`@`%`|false||",
            "GRANT REPLICATION SLAVE ON *.* TO `u`@`%`|true|BINLOG MONITOR|",
            "GRANT REPLICATION SLAVE ON *.* TO `u`@`%`|false|REPLICATION CLIENT|",
            "GRANT SELECT ON *.* TO `u`@`%`|false|REPLICATION SLAVE, REPLICATION CLIENT|",
            "GRANT ALL PRIVILEGES ON `app`.* TO `u`@`%`|true|REPLICATION SLAVE, BINLOG MONITOR|",
    })
    void replicationPrivilegesNameTheMissingGrant(String grant, boolean mariadb, String missing, String unused) {
        CheckResult r = new SourceChecks.ReplicationPrivileges().check(facts(true, "ROW", "FULL", false, mariadb,
                List.of(grant)));
        if (missing == null) {
            assertThat(r.state()).isEqualTo(CheckResult.State.PASS);
        } else {
            assertThat(r.state()).isEqualTo(CheckResult.State.FAIL);
            assertThat(r.error().error().code()).isEqualTo("TM-20003");
            assertThat(r.message()).contains(missing + " is not granted");
            assertThat(r.remedy()).startsWith("GRANT " + missing + " ON *.* TO 'repl'");
        }
    }

    @Test
    void aStartFileNoLongerListedIsPurged() {
        SourceFacts f = facts(true, "ROW", "FULL", true, false, ALL);
        assertThat(SourceChecks.binlogPresent(f, BinlogPosition.ofFilePosition("mysql-bin.000003", 4)).state())
                .isEqualTo(CheckResult.State.PASS);
        CheckResult purged = SourceChecks.binlogPresent(f, BinlogPosition.ofFilePosition("mysql-bin.000001", 120));
        assertThat(purged.error().error().code()).isEqualTo("TM-20007");
        assertThat(purged.message()).contains("mysql-bin.000001:120").contains("mysql-bin.000002 … mysql-bin.000003");
        assertThat(purged.remedy()).contains("binlog retention hours");
    }
}
