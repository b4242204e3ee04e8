package io.tidemark.dm.sync;

import com.github.shyiko.mysql.binlog.GtidSet;

import java.util.Map;
import java.util.TreeMap;

/**
 * The GTID set executed up to the replicator's point, recorded beside the file position for humans and tools
 * (resuming uses file and position). MariaDB: the last GTID per replication domain, like {@code gtid_binlog_pos};
 * MySQL: the executed set. A transaction's GTID counts only once the transaction ended.
 */
final class GtidTracker {
    private final Map<Long, String> mariadb = new TreeMap<>();
    private GtidSet mysql;
    private long pendingDomain = -1;
    private String pendingMariadb;
    private String pendingMysql;

    GtidTracker(String initial) {
        if (initial == null || initial.isBlank()) {
            return;
        }
        if (initial.contains(":")) {
            mysql = new GtidSet(initial);
            return;
        }
        for (String g : initial.split(",")) {
            String[] parts = g.strip().split("-");
            if (parts.length == 3) {
                mariadb.put(Long.parseLong(parts[0]), g.strip());
            }
        }
    }

    void beginMariadb(long domain, long serverId, long sequence) {
        pendingDomain = domain;
        pendingMariadb = domain + "-" + serverId + "-" + sequence;
    }

    void beginMysql(String gtid) {
        pendingMysql = gtid;
    }

    void commit() {
        if (pendingMariadb != null) {
            mariadb.put(pendingDomain, pendingMariadb);
            pendingMariadb = null;
        }
        if (pendingMysql != null) {
            if (mysql == null) {
                mysql = new GtidSet("");
            }
            mysql.add(pendingMysql);
            pendingMysql = null;
        }
    }

    /** @return the set, or null when no GTID is known */
    String current() {
        if (mysql != null) {
            return mysql.toString();
        }
        return mariadb.isEmpty() ? null : String.join(",", mariadb.values());
    }
}
