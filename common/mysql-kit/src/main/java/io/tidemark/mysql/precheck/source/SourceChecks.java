package io.tidemark.mysql.precheck.source;

import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.precheck.Precheck;

import java.util.ArrayList;
import java.util.List;

/**
 * The source checks, and the lists a migration usually runs. Callers compose: take a list, or pick checks by hand.
 * Every check only reads {@link SourceFacts}; read them with the table filter when a list holds the table checks.
 */
public final class SourceChecks {
    public static final String LOGIN = "source_login";
    public static final String LOG_BIN = "log_bin";
    public static final String BINLOG_FORMAT = "binlog_format";
    public static final String BINLOG_ROW_IMAGE = "binlog_row_image";
    public static final String BINLOG_RETENTION = "binlog_retention";
    public static final String REPLICATION_PRIVILEGES = "replication_privileges";
    public static final String BINLOG_POSITION = "binlog_position";
    public static final String START_POSITION = "start_position";
    public static final String TABLES_SELECTED = "tables_selected";
    public static final String SELECT_PRIVILEGE = "select_privilege";

    private SourceChecks() {
    }

    /** before a dump: login, binary log on, position readable (the dump records it), tables selected and readable */
    public static List<Precheck<SourceFacts>> forDump() {
        return List.of(login(), logBin(), binlogPosition(), tablesSelected(), selectPrivilege());
    }

    /**
     * Before streaming the binlog: login, log_bin, ROW format, FULL image, retention (Aurora), replication
     * privileges, position readable and, when given, the start position still on the source.
     *
     * @param start where streaming starts; null when it starts at the current position
     */
    public static List<Precheck<SourceFacts>> forReplication(BinlogPosition start) {
        List<Precheck<SourceFacts>> checks = new ArrayList<>(List.of(login(), logBin(), binlogFormat(),
                binlogRowImage(), binlogRetention(), replicationPrivileges(), binlogPosition()));
        if (start != null) {
            checks.add(startPosition(start));
        }
        return List.copyOf(checks);
    }

    /** a dump followed by replication from the dump's position (mode all) */
    public static List<Precheck<SourceFacts>> forDumpAndReplication() {
        return List.of(login(), logBin(), binlogFormat(), binlogRowImage(), binlogRetention(), replicationPrivileges(),
                binlogPosition(), tablesSelected(), selectPrivilege());
    }

    /** {@code source_login}: the session opened; every other check needs it */
    public static Precheck<SourceFacts> login() {
        return new LoginCheck();
    }

    /** {@code log_bin}: binary logging is on */
    public static Precheck<SourceFacts> logBin() {
        return new BinlogChecks.LogBin();
    }

    /** {@code binlog_format}: ROW */
    public static Precheck<SourceFacts> binlogFormat() {
        return new BinlogChecks.Format();
    }

    /** {@code binlog_row_image}: FULL */
    public static Precheck<SourceFacts> binlogRowImage() {
        return new BinlogChecks.RowImage();
    }

    /** {@code binlog_retention}: on Aurora, 'binlog retention hours' is set to at least 24 */
    public static Precheck<SourceFacts> binlogRetention() {
        return new BinlogChecks.Retention();
    }

    /** {@code replication_privileges}: REPLICATION SLAVE and the flavor's monitor privilege */
    public static Precheck<SourceFacts> replicationPrivileges() {
        return new ReplicationPrivilegesCheck();
    }

    /** {@code binlog_position}: the flavor's status statement answers a position */
    public static Precheck<SourceFacts> binlogPosition() {
        return new BinlogChecks.PositionReadable();
    }

    /** {@code start_position}: {@code start}'s file is still on the source and the offset lies inside it */
    public static Precheck<SourceFacts> startPosition(BinlogPosition start) {
        return new BinlogChecks.StartPosition(start);
    }

    /** {@code tables_selected}: the filter selects at least one base table */
    public static Precheck<SourceFacts> tablesSelected() {
        return new TableChecks.Selected();
    }

    /** {@code select_privilege}: SELECT works on every selected table */
    public static Precheck<SourceFacts> selectPrivilege() {
        return new TableChecks.SelectGranted();
    }
}
