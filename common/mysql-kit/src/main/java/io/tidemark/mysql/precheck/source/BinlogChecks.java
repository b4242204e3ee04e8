package io.tidemark.mysql.precheck.source;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;
import io.tidemark.mysql.precheck.source.SourceFacts.BinaryLog;

import java.util.List;
import java.util.Set;

/**
 * The binary log checks: on, ROW, FULL, kept long enough, its position readable, the start position still there.
 * Instructions name Aurora's way (DB cluster parameter group, {@code mysql.rds_set_configuration}) where it differs.
 */
final class BinlogChecks {
    /** less than a day cannot cover a dump and import of any size; a week is what AWS suggests for replication */
    static final int MIN_RETENTION_HOURS = 24;
    static final int SUGGESTED_RETENTION_HOURS = 168;
    /** the largest value Aurora accepts (90 days) */
    static final int MAX_RETENTION_HOURS = 2160;

    private static final Set<String> AFTER_LOGIN = Set.of(SourceChecks.LOGIN);
    private static final Set<String> AFTER_LOG_BIN = Set.of(SourceChecks.LOGIN, SourceChecks.LOG_BIN);

    private BinlogChecks() {
    }

    static String setRetention() {
        return "as the cluster's master user: CALL mysql.rds_set_configuration('binlog retention hours', "
                + SUGGESTED_RETENTION_HOURS + ") (at most " + MAX_RETENTION_HOURS + ")";
    }

    static final class LogBin implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.LOG_BIN;
        }

        @Override
        public Set<String> needs() {
            return AFTER_LOGIN;
        }

        @Override
        public CheckResult check(SourceFacts f) {
            if (f.binlog().logBin()) {
                return CheckResult.pass(name(), "log_bin is ON");
            }
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_DISABLED, f.endpoint()),
                    instruction(f));
        }

        static String instruction(SourceFacts f) {
            return f.flavor().isAurora()
                    ? "Aurora writes a binary log once binlog_format is set: set binlog_format=ROW in the cluster's DB"
                    + " cluster parameter group (a custom group attached to the cluster) and reboot the writer instance"
                    : "log_bin cannot be switched on at runtime: start the server with log_bin (e.g."
                    + " log_bin=mysql-bin), a server_id and binlog_format=ROW in its configuration";
        }
    }

    static final class Format implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.BINLOG_FORMAT;
        }

        @Override
        public Set<String> needs() {
            return AFTER_LOGIN;
        }

        @Override
        public CheckResult check(SourceFacts f) {
            String format = f.binlog().format();
            if ("ROW".equalsIgnoreCase(format)) {
                return CheckResult.pass(name(), "binlog_format is ROW");
            }
            return CheckResult.fail(name(),
                    new TidemarkException(ErrorCode.BINLOG_FORMAT_NOT_ROW, f.endpoint(), format),
                    f.flavor().isAurora()
                            ? "set binlog_format=ROW in the cluster's DB cluster parameter group and reboot the writer"
                            + " instance"
                            : "SET GLOBAL binlog_format='ROW' and put binlog_format=ROW in the server's configuration;"
                            + " sessions already open keep the old format until they reconnect");
        }
    }

    static final class RowImage implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.BINLOG_ROW_IMAGE;
        }

        @Override
        public Set<String> needs() {
            return AFTER_LOGIN;
        }

        @Override
        public CheckResult check(SourceFacts f) {
            String image = f.binlog().rowImage();
            if (image == null || "FULL".equalsIgnoreCase(image)) {
                return CheckResult.pass(name(), "binlog_row_image is FULL");
            }
            return CheckResult.fail(name(),
                    new TidemarkException(ErrorCode.BINLOG_ROW_IMAGE_NOT_FULL, f.endpoint(), image),
                    f.flavor().isAurora()
                            ? "set binlog_row_image=FULL in the cluster's DB cluster parameter group (it applies"
                            + " without a reboot to new sessions)"
                            : "SET GLOBAL binlog_row_image='FULL' and put binlog_row_image=FULL in the server's"
                            + " configuration; sessions already open keep the old setting until they reconnect");
        }
    }

    /**
     * Aurora purges binary logs as soon as no replica needs them unless 'binlog retention hours' says otherwise, so a
     * replica that starts after a long dump would find its start file gone. Other flavors keep binary logs for
     * binlog_expire_logs_seconds, which is days by default.
     */
    static final class Retention implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.BINLOG_RETENTION;
        }

        @Override
        public Set<String> needs() {
            return AFTER_LOGIN;
        }

        @Override
        public CheckResult check(SourceFacts f) {
            if (!f.flavor().isAurora()) {
                return CheckResult.pass(name(), "not Aurora: binary logs are kept as binlog_expire_logs_seconds says");
            }
            if (!f.retentionHours().known()) {
                return CheckResult.warn(name(), "cannot read Aurora's binlog retention: "
                        + f.retentionHours().error().detail(), "run CALL mysql.rds_show_configuration as the master"
                        + " user and make sure 'binlog retention hours' is at least " + MIN_RETENTION_HOURS + "; if"
                        + " not, " + setRetention());
            }
            Integer hours = f.retentionHours().value();
            if (hours != null && hours >= MIN_RETENTION_HOURS) {
                return CheckResult.pass(name(), "binlog retention hours is " + hours);
            }
            String kept = hours == null
                    ? "no guaranteed time ('binlog retention hours' is not set, so Aurora purges them as soon as it"
                    + " can)"
                    : hours + (hours == 1 ? " hour" : " hours");
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_RETENTION_TOO_SHORT, f.endpoint(),
                    kept, MIN_RETENTION_HOURS + " hours"), setRetention());
        }
    }

    static final class PositionReadable implements Precheck<SourceFacts> {
        @Override
        public String name() {
            return SourceChecks.BINLOG_POSITION;
        }

        @Override
        public Set<String> needs() {
            return AFTER_LOG_BIN;
        }

        @Override
        public CheckResult check(SourceFacts f) {
            if (f.position().known()) {
                return CheckResult.pass(name(), f.flavor().binlogStatusStatement() + " answers "
                        + f.position().value());
            }
            TidemarkException e = f.position().error();
            return CheckResult.fail(name(), e, switch (e.error()) {
                case SOURCE_PRIVILEGE_MISSING -> "GRANT " + f.flavor().binlogMonitorPrivilege() + " ON *.* TO "
                        + f.account() + (f.flavor().isAurora() ? " as the cluster's master user" : "");
                case BINLOG_DISABLED -> LogBin.instruction(f);
                default -> e.error().remedy();
            });
        }
    }

    /** a start position given by the user or recorded by a snapshot must still exist when streaming starts */
    static final class StartPosition implements Precheck<SourceFacts> {
        private final BinlogPosition start;

        StartPosition(BinlogPosition start) {
            this.start = start;
        }

        @Override
        public String name() {
            return SourceChecks.START_POSITION;
        }

        @Override
        public Set<String> needs() {
            return AFTER_LOG_BIN;
        }

        @Override
        public CheckResult check(SourceFacts f) {
            if (!f.binaryLogs().known()) {
                return CheckResult.warn(name(), "cannot list the source's binary logs to find " + start.file() + ": "
                        + f.binaryLogs().error().detail(), "GRANT " + f.flavor().binlogMonitorPrivilege()
                        + " ON *.* TO " + f.account() + " so the start position can be verified");
            }
            List<BinaryLog> logs = f.binaryLogs().value();
            BinaryLog file = logs.stream().filter(l -> l.name().equals(start.file())).findFirst().orElse(null);
            if (file == null) {
                return missingFile(f, logs);
            }
            if (start.pos() > file.size()) {
                return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_POSITION_INVALID, start,
                        f.endpoint(), "position " + start.pos() + " does not exist in file " + file.name()
                        + " (its size is " + file.size() + " bytes)"), "start at a position inside " + file.name()
                        + " (SHOW BINLOG EVENTS IN '" + file.name() + "' lists where each event starts), or start"
                        + " the migration again with mode all");
            }
            return CheckResult.pass(name(), start.file() + " is on the source (" + file.size() + " bytes) and"
                    + " position " + start.pos() + " lies inside it");
        }

        private CheckResult missingFile(SourceFacts f, List<BinaryLog> logs) {
            if (!logs.isEmpty()) {
                BinaryLog newest = logs.getLast();
                if (start.isBefore(BinlogPosition.ofFilePosition(newest.name(), 4))) {
                    return purged(f, "the file " + start.file() + " is no longer in SHOW BINARY LOGS (the oldest"
                            + " is " + logs.getFirst().name() + ")");
                }
                return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_POSITION_INVALID, start,
                        f.endpoint(), "the file " + start.file() + " does not exist yet (the newest binary log is "
                        + newest.name() + ")"), "check the start position in the migration spec against SHOW"
                        + " BINARY LOGS on the source");
            }
            return purged(f, "the source lists no binary logs at all");
        }

        private CheckResult purged(SourceFacts f, String detail) {
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_PURGED, start, f.endpoint(),
                    detail), f.flavor().isAurora()
                    ? "the binary logs were purged before replication reached them: " + setRetention()
                    + ", then start the migration again with mode all (a new snapshot)"
                    : "the binary logs were purged before replication reached them: keep them longer (SET GLOBAL"
                    + " binlog_expire_logs_seconds = 604800, and in the configuration), then start the migration"
                    + " again with mode all (a new snapshot)");
        }
    }
}
