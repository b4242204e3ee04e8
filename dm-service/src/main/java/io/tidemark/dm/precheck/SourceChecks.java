package io.tidemark.dm.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;

import java.util.List;
import java.util.Locale;

/** The binlog and privilege checks. Remedies name the Aurora way (cluster parameter group) where it differs. */
final class SourceChecks {
    private SourceChecks() {
    }

    static List<Precheck> streaming() {
        return List.of(new LogBin(), new RowFormat(), new FullRowImage(), new ReplicationPrivileges());
    }

    static final class LogBin implements Precheck {
        public String name() {
            return "binlog_enable";
        }

        public CheckResult check(SourceFacts f) {
            if (f.logBin()) {
                return CheckResult.pass(name(), "log_bin is ON");
            }
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_DISABLED, f.endpoint().describe()),
                    f.aurora() ? "Aurora writes a binlog once binlog_format is set in the DB cluster parameter group"
                            + " (then reboot the writer)" : "start the server with log-bin and a server-id");
        }
    }

    static final class RowFormat implements Precheck {
        public String name() {
            return "binlog_format";
        }

        public CheckResult check(SourceFacts f) {
            if ("ROW".equalsIgnoreCase(f.binlogFormat())) {
                return CheckResult.pass(name(), "binlog_format is ROW");
            }
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_FORMAT_NOT_ROW,
                            f.endpoint().describe(), f.binlogFormat()),
                    f.aurora() ? "set binlog_format=ROW in the DB cluster parameter group and reboot the writer"
                            : "SET GLOBAL binlog_format=ROW (and in the server's configuration), then reconnect writers");
        }
    }

    static final class FullRowImage implements Precheck {
        public String name() {
            return "binlog_row_image";
        }

        public CheckResult check(SourceFacts f) {
            if (f.binlogRowImage() == null || "FULL".equalsIgnoreCase(f.binlogRowImage())) {
                return CheckResult.pass(name(), "binlog_row_image is FULL");
            }
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.BINLOG_ROW_IMAGE_NOT_FULL,
                            f.endpoint().describe(), f.binlogRowImage()),
                    f.aurora() ? "set binlog_row_image=FULL in the DB cluster parameter group"
                            : "SET GLOBAL binlog_row_image=FULL (and in the server's configuration)");
        }
    }

    /**
     * REPLICATION SLAVE streams the binlog; REPLICATION CLIENT (MySQL, Aurora) or BINLOG MONITOR (MariaDB ≥ 10.5)
     * reads positions. Grants are read from SHOW GRANTS on *.*; ALL PRIVILEGES covers both.
     */
    static final class ReplicationPrivileges implements Precheck {
        public String name() {
            return "replication_privileges";
        }

        public CheckResult check(SourceFacts f) {
            boolean all = false;
            boolean slave = false;
            boolean monitor = false;
            for (String g : f.grants()) {
                String u = g.toUpperCase(Locale.ROOT);
                if (!u.contains(" ON *.* ")) {
                    continue;
                }
                all |= u.contains("ALL PRIVILEGES");
                slave |= u.contains("REPLICATION SLAVE") || u.contains("REPLICATION REPLICA");
                monitor |= u.contains("REPLICATION CLIENT") || u.contains("BINLOG MONITOR");
            }
            String monitorName = f.mariadb() ? "BINLOG MONITOR" : "REPLICATION CLIENT";
            String missing = all ? "" : (slave ? "" : "REPLICATION SLAVE")
                    + (!slave && !monitor ? ", " : "") + (monitor ? "" : monitorName);
            if (missing.isEmpty()) {
                return CheckResult.pass(name(), "REPLICATION SLAVE and " + monitorName + " are granted");
            }
            String account = f.endpoint().user();
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.SOURCE_PRIVILEGE_MISSING,
                            f.endpoint().describe(), missing + " is not granted ON *.*"),
                    "GRANT " + missing + " ON *.* TO '" + account + "'"
                            + (f.aurora() ? " (on Aurora, as the master user)" : ""));
        }
    }

    /** the start file must still be on the source: replication cannot skip what was purged */
    static CheckResult binlogPresent(SourceFacts f, BinlogPosition start) {
        String name = "binlog_present";
        if (f.binaryLogsError().isPresent()) {
            return CheckResult.warn(name, "cannot list the source's binary logs: " + f.binaryLogsError().get(),
                    "grant REPLICATION CLIENT / BINLOG MONITOR so the start file can be verified");
        }
        if (f.binaryLogs().contains(start.file())) {
            return CheckResult.pass(name, start.file() + " is on the source");
        }
        String have = f.binaryLogs().isEmpty() ? "none"
                : f.binaryLogs().getFirst() + " … " + f.binaryLogs().getLast();
        return CheckResult.fail(name, new TidemarkException(ErrorCode.BINLOG_PURGED, start, f.endpoint().describe(),
                        "the file " + start.file() + " is not in SHOW BINARY LOGS (present: " + have + ")"),
                f.aurora() ? "CALL mysql.rds_set_configuration('binlog retention hours', 168) and start again with mode all"
                        : "keep binlogs longer (binlog_expire_logs_seconds / expire_logs_days) and start again with mode all");
    }
}
