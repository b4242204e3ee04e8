package io.tidemark.mysql.position;

import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both forms as sources print them (recorded from MySQL 8.0 and MariaDB 10.11), read, printed and grown. */
class GtidSetTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "8d2f9c1a-0b7e-11ef-a3c1-0242ac120002";

    @Test
    void aMysqlExecutedSetReadsAsShowMasterStatusPrintsItLineBreaksIncluded() {
        GtidSet set = GtidSet.parse(B.toUpperCase() + ":1-3,\n" + A + ":1-5:7:9-12");

        assertThat(set.form()).isEqualTo(GtidSet.Form.MYSQL);
        assertThat(set).hasToString(A + ":1-5:7:9-12," + B + ":1-3");
        assertThat(GtidSet.parse(set.toString())).isEqualTo(set);
    }

    @Test
    void mysqlIntervalsAreMergedWhenTheyOverlapOrTouch() {
        assertThat(GtidSet.parse(A + ":7:1-3:4-5,"  + A + ":6")).hasToString(A + ":1-7");
        assertThat(GtidSet.parse(A + ":1-1")).hasToString(A + ":1");
    }

    @Test
    void aMysqlSetGrowsByEachTransactionAndFillsItsGaps() {
        GtidSet set = GtidSet.parse(A + ":1-5:7");

        GtidSet grown = set.plus(A + ":6").plus(A + ":8").plus(B + ":1");

        assertThat(grown).hasToString(A + ":1-8," + B + ":1");
        assertThat(set).as("immutable").hasToString(A + ":1-5:7");
        assertThat(GtidSet.empty(GtidSet.Form.MYSQL).plus(A + ":42")).hasToString(A + ":42");
    }

    @Test
    void aMariadbPositionKeepsTheLastTransactionOfEachDomain() {
        GtidSet set = GtidSet.parse("1-101-7, 0-100-12");

        assertThat(set.form()).isEqualTo(GtidSet.Form.MARIADB);
        assertThat(set).hasToString("0-100-12,1-101-7");
        assertThat(set.plus("0-100-13").plus("2-100-1")).hasToString("0-100-13,1-101-7,2-100-1");
        // a failover to another server id in the same domain replaces the domain's last GTID
        assertThat(set.plus("0-200-14")).hasToString("0-200-14,1-101-7");
        assertThat(GtidSet.empty(GtidSet.Form.MARIADB).isEmpty()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "3e11fa47-71ca-11e1-9e33:1-5 | is not a server UUID",
            "3e11fa47-71ca-11e1-9e33-c80aa9429562 | has no transaction interval",
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:5-3 | is empty or starts below 1",
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:0 | is empty or starts below 1",
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:tag:1-5 | tagged GTIDs of MySQL 8.4 are not supported",
            "0-1-5,0-2-6 | domain 0 appears twice",
            "0-1 | is neither MariaDB's domain-server-sequence nor MySQL's uuid:interval",
            "mysql-bin.000003 | is neither MariaDB's domain-server-sequence nor MySQL's uuid:interval",
    })
    void aMalformedSetIsRefusedNamingWhatIsWrong(String text, String why) {
        assertThatThrownBy(() -> GtidSet.parse(text)).isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-30030").hasMessageContaining(text).hasMessageContaining(why);
    }

    @Test
    void anEmptySetIsRefused() {
        assertThatThrownBy(() -> GtidSet.parse(" ")).hasMessageContaining("TM-30030").hasMessageContaining("empty");
    }
}
