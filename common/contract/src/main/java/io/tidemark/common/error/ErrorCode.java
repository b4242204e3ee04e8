package io.tidemark.common.error;

/**
 * The one catalog of Tidemark errors. Every error a user can see has a stable code, a scope, a message template
 * naming what went wrong ({@code %s} placeholders, filled by {@link TidemarkException}), a remedy, and whether
 * retrying the same work can succeed. Retriable-vs-fatal is decided here and nowhere else.
 */
public enum ErrorCode {
    // --- configuration / request (10xxx) ---
    INVALID_SPEC(10001, Scope.CONFIG, false,
            "invalid migration spec: %s",
            "fix the named field and submit the migration again"),
    UNKNOWN_MIGRATION(10002, Scope.CONFIG, false,
            "no migration with id '%s'",
            "list migrations with GET /api/v1/migrations and use one of their ids"),
    INVALID_TABLE_FILTER(10003, Scope.CONFIG, false,
            "invalid table filter rule '%s': %s",
            "write rules as 'db.table' with wildcards *, ? and [a-z], prefixed by '!' to exclude (Dumpling/Lightning table-filter syntax)"),
    UNSUPPORTED_STORAGE(10004, Scope.CONFIG, false,
            "unsupported storage location '%s'",
            "use file:///absolute/path or an absolute local path"),
    SECRET_KEY_MISSING(10005, Scope.CONFIG, false,
            "no secret key configured (%s)",
            "set tidemark.secret-key (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) to the same value on every service"),
    SECRET_UNREADABLE(10006, Scope.CONFIG, false,
            "cannot read secret: %s",
            "give every service the same tidemark.secret-key as the coordinator that sealed it, or fix the secret reference"),
    ILLEGAL_TRANSITION(10007, Scope.CONFIG, false,
            "migration %s cannot go from %s to %s",
            "check the migration's phase with GET /api/v1/migrations/{id}"),

    // --- upstream (20xxx) ---
    SOURCE_UNREACHABLE(20001, Scope.UPSTREAM, true,
            "cannot connect to source %s: %s",
            "check host, port and network reachability of the source; Tidemark retries"),
    SOURCE_ACCESS_DENIED(20002, Scope.UPSTREAM, false,
            "source %s refused the login: %s",
            "check the user name and password in the migration spec"),
    SOURCE_PRIVILEGE_MISSING(20003, Scope.UPSTREAM, false,
            "source account %s lacks a privilege: %s",
            "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT (BINLOG MONITOR on MariaDB) ON *.* TO the account"),
    BINLOG_DISABLED(20004, Scope.UPSTREAM, false,
            "binary logging is off on source %s",
            "start the source with log-bin (on Aurora: set binlog_format in the DB cluster parameter group and reboot)"),
    BINLOG_FORMAT_NOT_ROW(20005, Scope.UPSTREAM, false,
            "source %s has binlog_format=%s; row-based replication needs ROW",
            "SET GLOBAL binlog_format=ROW (Aurora: cluster parameter group binlog_format=ROW) and restart writers' sessions"),
    BINLOG_ROW_IMAGE_NOT_FULL(20006, Scope.UPSTREAM, false,
            "source %s has binlog_row_image=%s; replication needs FULL",
            "SET GLOBAL binlog_row_image=FULL (Aurora: cluster parameter group) and restart writers' sessions"),
    BINLOG_PURGED(20007, Scope.UPSTREAM, false,
            "the binlog position %s is no longer on source %s: %s",
            "raise binlog retention (Aurora: CALL mysql.rds_set_configuration('binlog retention hours', 168)) and start the migration again with mode all"),
    SOURCE_QUERY_FAILED(20008, Scope.UPSTREAM, true,
            "query on source %s failed: %s",
            "check the source's error log; Tidemark retries"),
    SOURCE_TABLE_NOT_FOUND(20009, Scope.UPSTREAM, false,
            "the table filter %s matches no table on source %s",
            "check the filter rules against SHOW DATABASES / SHOW TABLES on the source"),

    // --- downstream (30xxx) ---
    TARGET_UNREACHABLE(30001, Scope.DOWNSTREAM, true,
            "cannot connect to target %s: %s",
            "check host, port and network reachability of the target; Tidemark retries"),
    TARGET_ACCESS_DENIED(30002, Scope.DOWNSTREAM, false,
            "target %s refused the login: %s",
            "check the user name and password of the target in the migration spec"),
    TARGET_STATEMENT_FAILED(30003, Scope.DOWNSTREAM, false,
            "target rejected a statement for %s: %s",
            "compare the table definitions on source and target; fix the target table and resume"),
    TARGET_FENCED(30004, Scope.DOWNSTREAM, false,
            "replication task %s was taken over by a newer owner (epoch %s)",
            "nothing to do: the newer owner continues from the checkpoint"),
    TARGET_TRANSIENT_CONFLICT(30005, Scope.DOWNSTREAM, true,
            "target %s rolled back work on %s after a transient conflict: %s",
            "nothing to do: Tidemark applies the batch again from its checkpoint; if it recurs, lower"
                    + " tidemark.lightning.workers or look for other writers on the target"),

    // --- storage (40xxx) ---
    STORAGE_IO(40001, Scope.STORAGE, true,
            "storage %s failed: %s",
            "check free space and permissions of the storage location"),
    DUMP_FILE_CORRUPT(40002, Scope.STORAGE, false,
            "dump file %s is unreadable: %s",
            "re-run the snapshot of that table, or replace the file with an intact copy"),

    // --- internal (50xxx) ---
    UNSUPPORTED_MESSAGE_VERSION(50001, Scope.INTERNAL, false,
            "message %s has schema version %s, this service reads %s",
            "upgrade this service to the version the producer runs"),
    MALFORMED_MESSAGE(50002, Scope.INTERNAL, false,
            "message cannot be read: %s",
            "check which producer writes to this topic"),
    KAFKA_UNAVAILABLE(50004, Scope.INTERNAL, true,
            "cannot write %s to Kafka: %s",
            "check the Kafka cluster (brokers up, topic present, credentials); Tidemark retries until it can"),
    INTERNAL(50003, Scope.INTERNAL, false,
            "internal error: %s",
            "report it with the log of the service that failed");

    private final int code;
    private final Scope scope;
    private final boolean retriable;
    private final String template;
    private final String remedy;

    ErrorCode(int code, Scope scope, boolean retriable, String template, String remedy) {
        this.code = code;
        this.scope = scope;
        this.retriable = retriable;
        this.template = template;
        this.remedy = remedy;
    }

    /** stable external code, e.g. {@code TM-20005} */
    public String code() {
        return "TM-" + code;
    }

    public Scope scope() {
        return scope;
    }

    public boolean retriable() {
        return retriable;
    }

    public String remedy() {
        return remedy;
    }

    String format(Object... args) {
        return String.format(template, args);
    }
}
