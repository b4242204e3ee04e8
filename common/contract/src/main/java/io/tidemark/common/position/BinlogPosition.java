package io.tidemark.common.position;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Comparator;
import java.util.Objects;

/**
 * A point in the source's binary log: file and offset, plus the GTID set executed up to there when GTID is on
 * (MySQL {@code Executed_Gtid_Set}, MariaDB {@code gtid_binlog_pos}). Ordered by file sequence number, then offset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BinlogPosition(String file, long pos, String gtidSet) implements Comparable<BinlogPosition> {
    private static final Comparator<BinlogPosition> ORDER = Comparator
            .comparingLong((BinlogPosition p) -> sequence(p.file))
            .thenComparing(BinlogPosition::file)
            .thenComparingLong(BinlogPosition::pos);

    public BinlogPosition {
        Objects.requireNonNull(file, "binlog file");
        if (file.isBlank()) {
            throw new IllegalArgumentException("binlog file name is blank");
        }
        if (pos < 4) {
            throw new IllegalArgumentException("binlog offset " + pos + " of " + file + " is before the first event (4)");
        }
        gtidSet = gtidSet == null || gtidSet.isBlank() ? null : gtidSet.strip();
    }

    public static BinlogPosition ofFilePosition(String file, long pos) {
        return new BinlogPosition(file, pos, null);
    }

    public static BinlogPosition of(String file, long pos, String gtidSet) {
        return new BinlogPosition(file, pos, gtidSet);
    }

    public BinlogPosition withPos(long newPos) {
        return new BinlogPosition(file, newPos, gtidSet);
    }

    public BinlogPosition withGtidSet(String gtids) {
        return new BinlogPosition(file, pos, gtids);
    }

    /** the numeric suffix of {@code mysql-bin.000042}; files without one sort first */
    static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        if (dot < 0 || dot == file.length() - 1) {
            return -1;
        }
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public int compareTo(BinlogPosition o) {
        return ORDER.compare(this, o);
    }

    public boolean isBefore(BinlogPosition o) {
        return compareTo(o) < 0;
    }

    /** {@code mysql-bin.000003:1234}, and the GTID set in brackets when there is one */
    @Override
    public String toString() {
        return file + ":" + pos + (gtidSet == null ? "" : " [" + gtidSet + "]");
    }
}
