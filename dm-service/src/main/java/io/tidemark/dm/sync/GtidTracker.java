package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.position.GtidSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GTID set executed up to the replicator's point, stored with the checkpoint beside file and offset: what a task
 * with {@code enableGtid} resumes by. MariaDB: the last GTID per replication domain, like {@code gtid_binlog_pos};
 * MySQL: the executed set. A transaction's GTID counts only once the transaction ended, so the set never names a
 * transaction the checkpoint does not hold — resuming after it neither skips nor repeats one.
 */
final class GtidTracker {
    private static final Logger LOGGER = LoggerFactory.getLogger(GtidTracker.class);

    /** the set up to the last fold; the transactions ended since are in {@link #unfolded} */
    private GtidSet executed;
    /**
     * GTIDs of ended transactions not yet folded into {@link #executed}: folding (a new sorted map) and printing the
     * set for every transaction was an eighth of the replicator thread's time on small transactions, and only a flush
     * reads the set. MariaDB's are kept by domain (the last one of a domain is all its fold keeps), MySQL's in order.
     */
    private final Map<Object, String> unfolded = new LinkedHashMap<>();
    private long mysqlSeen;
    /** {@link #current()}'s answer until the next transaction ends */
    private String text;
    private boolean textValid = true;
    private String pending;
    private long pendingDomain;
    private GtidSet.Form pendingForm;

    /** @param initial the start point's set; null when none is known (it is then built from the stream's GTIDs) */
    GtidTracker(String initial) {
        if (initial == null || initial.isBlank()) {
            return;
        }
        try {
            executed = GtidSet.parse(initial);
        } catch (TidemarkException e) {
            // resuming by GTID checked the set before streaming; by file and offset it is a record only
            LOGGER.warn("the start point's GTID set is not readable, it is rebuilt from the stream: {}",
                    e.getMessage());
        }
    }

    /**
     * A GTID event as the binlog client decodes it (MariaDB's GTID, MySQL's GTID): the transaction it opens counts
     * once {@link #commit()} says it ended. A transaction that never ends (a stop inside it) is never counted, so
     * resuming asks for it again.
     */
    void begin(Event event) {
        switch (event.getData()) {
            case MariadbGtidEventData d -> beginMariadb(d.getDomainId(),
                    ((EventHeaderV4) event.getHeader()).getServerId(), d.getSequence());
            case GtidEventData d -> beginMysql(d.getMySqlGtid().toString());
            default -> throw new IllegalArgumentException("not a GTID event: " + event);
        }
    }

    private void beginMariadb(long domain, long serverId, long sequence) {
        pending = domain + "-" + serverId + "-" + Long.toUnsignedString(sequence);
        pendingDomain = domain;
        pendingForm = GtidSet.Form.MARIADB;
    }

    private void beginMysql(String gtid) {
        pending = gtid;
        pendingForm = GtidSet.Form.MYSQL;
    }

    void commit() {
        if (pending == null) {
            return;
        }
        if (executed == null || executed.form() != pendingForm) {
            if (executed != null) {
                LOGGER.warn("the source writes {} GTIDs but the start point's set {} is {}'s: it is rebuilt from the"
                        + " stream", pendingForm, executed, executed.form());
            }
            executed = GtidSet.empty(pendingForm);
            unfolded.clear();
        }
        unfolded.put(pendingForm == GtidSet.Form.MARIADB ? (Object) pendingDomain : (Object) mysqlSeen++, pending);
        textValid = false;
        pending = null;
    }

    /** @return the set, or null when no GTID is known */
    String current() {
        if (!textValid) {
            for (String gtid : unfolded.values()) {
                executed = executed.plus(gtid);
            }
            unfolded.clear();
            text = executed.isEmpty() ? null : executed.toString();
            textValid = true;
        } else if (text == null && executed != null && !executed.isEmpty()) {
            text = executed.toString(); // the start point's set, before any transaction ended
        }
        return text;
    }
}
