package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.MySqlGtid;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GTID set a checkpoint stores, from GTID events as the binlog client decodes them. MySQL's form is tested here
 * on recorded events only (no MySQL server can run on the build machines); MariaDB's also live in GtidResumeIT.
 */
class GtidTrackerTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "8d2f9c1a-0b7e-11ef-a3c1-0242ac120002";

    /** a MySQL 8.0 GTID event: the values a server writes for a transaction of one row change */
    private static Event mysql(String gtid) {
        EventHeaderV4 h = new EventHeaderV4();
        h.setEventType(EventType.GTID);
        h.setServerId(1);
        return new Event(h, new GtidEventData(MySqlGtid.fromString(gtid), (byte) 1, 41, 42, 1_733_200_000_000_000L,
                1_733_200_000_000_000L, 320, 80036, 80036));
    }

    private static Event mariadb(long domain, long serverId, long sequence) {
        EventHeaderV4 h = new EventHeaderV4();
        h.setEventType(EventType.MARIADB_GTID);
        h.setServerId(serverId);
        MariadbGtidEventData d = new MariadbGtidEventData();
        d.setDomainId(domain);
        d.setSequence(sequence);
        d.setFlags(MariadbGtidEventData.FL_TRANSACTIONAL);
        return new Event(h, d);
    }

    @Test
    void aMysqlSetGrowsByEachEndedTransactionOnly() {
        GtidTracker t = new GtidTracker(A + ":1-5,\n" + B + ":1-3");

        t.begin(mysql(A + ":6"));
        t.commit();
        assertThat(t.current()).isEqualTo(A + ":1-6," + B + ":1-3");

        // a transaction stopped inside is not counted: resuming asks the source for it again
        t.begin(mysql(A + ":7"));
        assertThat(t.current()).isEqualTo(A + ":1-6," + B + ":1-3");
        // another server's transaction after a failover joins the set beside the first server's
        t.begin(mysql(B + ":4"));
        t.commit();
        assertThat(t.current()).isEqualTo(A + ":1-6," + B + ":1-4");
    }

    @Test
    void withoutAStartSetTheMysqlSetIsWhatTheStreamShowed() {
        GtidTracker t = new GtidTracker(null);
        assertThat(t.current()).isNull();

        t.begin(mysql(A + ":10"));
        t.commit();
        t.begin(mysql(A + ":11"));
        t.commit();

        assertThat(t.current()).isEqualTo(A + ":10-11");
    }

    @Test
    void aMariadbPositionKeepsTheLastEndedTransactionPerDomain() {
        GtidTracker t = new GtidTracker("0-1-10,1-2-5");

        t.begin(mariadb(0, 1, 11));
        t.commit();
        t.begin(mariadb(1, 7, 6));
        t.commit();
        t.begin(mariadb(0, 1, 12));

        assertThat(t.current()).isEqualTo("0-1-11,1-7-6");
    }

    @Test
    void aStartSetOfTheOtherFormOrUnreadableIsRebuiltFromTheStream() {
        GtidTracker wrongForm = new GtidTracker("0-1-10");
        wrongForm.begin(mysql(A + ":3"));
        wrongForm.commit();
        assertThat(wrongForm.current()).isEqualTo(A + ":3");

        GtidTracker unreadable = new GtidTracker("not a set");
        assertThat(unreadable.current()).isNull();
        unreadable.begin(mariadb(0, 1, 4));
        unreadable.commit();
        assertThat(unreadable.current()).isEqualTo("0-1-4");
    }
}
