package io.tidemark.common.error;

/**
 * The one catalog of Tidemark errors. Every error a user can see has a stable code, a scope, a message template
 * naming what went wrong ({@code %s} placeholders, filled by {@link TidemarkException}), a remedy, and whether
 * retrying the same work can succeed. Retriable-vs-fatal is decided here and nowhere else.
 *
 * <p>The remedy matches the retry behaviour: a retriable code's remedy says what to check and that Tidemark retries
 * by itself; a fatal code's remedy says what the user does and never promises a retry. When a worker gives up on a
 * retriable error and reports it as final, it reports {@link #remedyAfterGivingUp(int)} instead, so a failed
 * migration never tells the user to wait for a retry that will not come. The numbers are persisted and asserted:
 * never renumber a code, only add new ones.
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
            "use an absolute local path (/data/dumps or file:///data/dumps) or an S3 prefix"
                    + " (s3://bucket/prefix?region=…); S3 needs the tidemark-storage-s3 module on the service's classpath"
                    + " (the standalone jar and every service jar carry it)"),
    SECRET_KEY_MISSING(10005, Scope.CONFIG, false,
            "no secret key configured (%s)",
            "set tidemark.secret-key (base64 of 32 random bytes, e.g. `openssl rand -base64 32`) to the same value on every service"),
    SECRET_UNREADABLE(10006, Scope.CONFIG, false,
            "cannot read secret: %s",
            "give every service the same tidemark.secret-key as the coordinator that sealed it, or fix the secret reference"),
    ILLEGAL_TRANSITION(10007, Scope.CONFIG, false,
            "migration %s cannot go from %s to %s",
            "check the migration's phase with GET /api/v1/migrations/{id}"),
    /** args: how many failed ("3 prechecks"), then every failing item with its fix */
    PRECHECKS_FAILED(10008, Scope.CONFIG, false,
            "%s failed: %s",
            "fix each item as its 'fix:' says; then submit the migration again (POST /api/v1/migrations/check runs"
                    + " the checks alone), or, for a migration that already exists, resume it with"
                    + " POST /api/v1/migrations/{id}/retry"),
    /** args: what was asked that the API does not serve (a path, a method, a Content-Type) and what it serves */
    REQUEST_NOT_SUPPORTED(10009, Scope.CONFIG, false,
            "%s",
            "send the request as the API documents it: migrations are at /api/v1/migrations (GET lists, POST creates"
                    + " with a JSON body and Content-Type: application/json, POST /check checks a spec) and"
                    + " /api/v1/migrations/{id} (GET; POST .../stop, .../resume, .../retry); a TiDB Lightning file goes"
                    + " as it is to POST /api/v1/imports (or /api/v1/imports/check) with Content-Type:"
                    + " application/toml"),
    /** args: the spec's size, the limit */
    SPEC_TOO_LARGE(10010, Scope.CONFIG, false,
            "the migration spec is %s; at most %s is accepted (tidemark.coordinator.max-spec-bytes)",
            "select tables with wildcard rules (\"shop.*\", \"shop.order_*\") rather than one rule per table, and"
                    + " submit the migration again; a real spec is a few KB. The limit may be raised up to half of"
                    + " Kafka's max.request.size, as a migration is stored as one Kafka message"),
    /** args: the target, the migrations that hold its tables with the rules that select them */
    TARGET_TABLES_HELD(10011, Scope.CONFIG, false,
            "target %s is being written by %s",
            "wait until that migration completes, fails or is stopped, or change filter or target so that the two"
                    + " select different tables; then submit again (or retry)"),
    /** args: source endpoint, target endpoint, how it was told */
    SOURCE_IS_TARGET(10012, Scope.CONFIG, false,
            "source %s and target %s are one server: %s",
            "point target at the database to migrate into (the TiDB cluster), not at the source or another endpoint"
                    + " of the source's cluster, and submit the migration again; Tidemark never writes to the source"),
    /** args: the file's name, its problems each with key, line, cause and fix */
    INVALID_LIGHTNING_CONFIG(10013, Scope.CONFIG, false,
            "TiDB Lightning file %s cannot be imported: %s",
            "fix each named key as its 'fix:' says (TiDB Lightning's configuration reference documents every key)"
                    + " and submit the file again; tidemark import --check --config FILE checks it without importing"),
    /** args: "source" or "task", the file's name, its problems each with path, line, cause and fix */
    INVALID_DM_CONFIG(10014, Scope.CONFIG, false,
            "DM %s file %s cannot be used: %s",
            "fix each named key as its 'fix:' says (DM's source and task configuration references document every key)"
                    + " and submit the file again; tidemark check-task FILE checks a task file without starting it"),
    UNKNOWN_SOURCE(10015, Scope.CONFIG, false,
            "no source with source-id '%s'%s",
            "create the source first (tidemark operate-source create source.yaml, or POST /api/v1/sources), or use"
                    + " the source-id of one listed by GET /api/v1/sources"),
    /** args: source-id, the tasks that use it */
    SOURCE_IN_USE(10016, Scope.CONFIG, false,
            "source '%s' is used by task(s) %s that have not finished",
            "stop those tasks first (tidemark stop-task NAME, or DELETE /api/v1/tasks/NAME), then delete the source"),
    /** args: task name, the state of its migrations */
    TASK_RUNNING(10017, Scope.CONFIG, false,
            "task '%s' already runs: %s",
            "give the task another name, or stop it first (tidemark stop-task NAME) and start it again"),
    UNKNOWN_TASK(10018, Scope.CONFIG, false,
            "no task named '%s'",
            "list tasks with GET /api/v1/tasks (tidemark query-status) and use one of their names"),
    SOURCE_EXISTS(10019, Scope.CONFIG, false,
            "a source with source-id '%s' exists already",
            "use operate-source update (PUT /api/v1/sources/{id}) to change it, or delete it first"),
    /** args: the RDS request (action and resource), AWS's words */
    AURORA_EXPORT_ONLY_INVALID(10020, Scope.CONFIG, false,
            "AWS refused the tables to export in %s: %s",
            "AWS's ExportOnly takes db or db.table names of letters, digits, $ and _ only, and no wildcards: select"
                    + " tables with such names, or whole schemas (the export is then filtered at import); then resume"
                    + " with POST /api/v1/migrations/{id}/retry"),
    /** args: the engine, the service and its worker id */
    SNAPSHOT_ENGINE_UNAVAILABLE(10021, Scope.CONFIG, false,
            "snapshot engine %s is not available in %s",
            "this version of the snapshot service cannot run that engine: submit the migration again with"
                    + " \"snapshot\": {\"engine\": \"dump\"} (the default), or upgrade every snapshot service"
                    + " to a version that runs it"),
    /** args: the columns and indexes, e.g. {@code db.t.pos (geometry), db.t index sp (SPATIAL)} */
    TIDB_SPATIAL_UNSUPPORTED(10022, Scope.CONFIG, false,
            "the selected tables use spatial types or indexes, which TiDB does not have: %s",
            "leave these tables out of the migration (a '!db.table' filter rule), or change the columns on the source"
                    + " to a type TiDB has (e.g. store ST_AsWKB(col) in a VARBINARY or LONGBLOB column) and drop the"
                    + " SPATIAL indexes"),
    /** args: the target, the columns and tables with their collations */
    TARGET_COLLATION_MISSING(10023, Scope.CONFIG, false,
            "target %s lacks collations the selected tables use: %s",
            "change the named columns or tables on the source to a collation the target has (ALTER TABLE db.t"
                    + " MODIFY col ... CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; TiDB always has utf8mb4_bin and"
                    + " utf8mb4_general_ci), or leave the tables out of the migration"),
    /** args: the target, its lower_case_table_names, the clashing names */
    TABLE_NAME_CASE_CONFLICT(10024, Scope.CONFIG, false,
            "target %s compares table names without letter case (lower_case_table_names=%s), and the selected"
                    + " names clash there: %s",
            "rename one of each clashing pair on the source, or leave one of them out of the migration"),
    /** args: the tables with their largest row */
    ROW_TOO_LARGE(10025, Scope.CONFIG, false,
            "rows larger than TiDB's largest possible entry (txn-entry-size-limit at most 120 MiB): %s",
            "shrink those rows on the source (move large values to object storage), or leave the tables out of the"
                    + " migration"),
    /** args: each file whose password does not open, e.g. {@code source mysql-01 (mysql-01.yaml)} */
    CONFIG_SEALED_WITH_OTHER_KEY(10026, Scope.CONFIG, false,
            "config import: the sealed passwords of %s do not open with this coordinator's tidemark.secret-key",
            "they were sealed by a coordinator with another key: on this cluster run tidemark encrypt PLAINTEXT and"
                    + " write its output as the password in each named file (or write the plaintext there), then"
                    + " import again; or give this coordinator the exporting cluster's tidemark.secret-key"),
    /** args: the sources and tasks that exist already */
    CONFIG_EXISTS(10027, Scope.CONFIG, false,
            "config import would replace what exists already: %s; nothing was imported",
            "import with --overwrite (POST /api/v1/config/import?overwrite=true) to replace them (a running task is"
                    + " stopped and started again from the imported file), or remove those files from the import"),
    /** args: what is wrong with the bundle or directory */
    CONFIG_BUNDLE_INVALID(10028, Scope.CONFIG, false,
            "config import: %s",
            "send what GET /api/v1/config/export answers: {\"sources\": [{\"name\": \"ID.yaml\", \"file\": \"...\"}],"
                    + " \"tasks\": [...]}, or import a directory written by tidemark config export"
                    + " (DIR/sources/*.yaml, DIR/tasks/*.yaml)"),
    /** args: the tasks */
    CONFIG_TASK_NOT_EXPORTABLE(10029, Scope.CONFIG, false,
            "config export: task(s) %s were started before the coordinator kept task files, so they cannot be"
                    + " exported",
            "stop each named task and start it again from its file (tidemark stop-task NAME; tidemark start-task"
                    + " FILE, which continues from its checkpoint), then export again"),
    /** args: what was wrong with the request's token */
    API_TOKEN_REFUSED(10036, Scope.CONFIG, false,
            "the API needs a valid token: %s",
            "send it as the header Authorization: Bearer TOKEN; the tidemark client takes --token, TIDEMARK_TOKEN"
                    + " or the coordinator's token file (TIDEMARK_TOKEN_FILE, default .tidemark/api-token, which the"
                    + " standalone writes into its data directory); the coordinator's tidemark.api.tokens or its"
                    + " tidemark.api.token-file hold the valid ones"),
    /** args: the setting, what is wrong */
    API_TOKEN_SETTING_INVALID(10037, Scope.CONFIG, false,
            "%s: %s",
            "give tokens of at least 32 characters (e.g. openssl rand -base64 32), comma-separated in"
                    + " tidemark.api.tokens (TIDEMARK_API_TOKENS), or leave it empty to have the coordinator create one"
                    + " in tidemark.api.token-file"),
    /** args: the field (tls.ca, ...) and what is wrong with it */
    TLS_SETTINGS_INVALID(10038, Scope.CONFIG, false,
            "invalid TLS settings: %s",
            "give tls as {\"mode\": \"disabled|preferred|required|verify-ca|verify-full\", \"ca\", \"cert\", \"key\"}"
                    + " (PEM text or an absolute file path; key also file:/path), in a DM file's security section as"
                    + " ssl-ca, ssl-cert, ssl-key; verify-ca and verify-full need ca, a client certificate needs cert"
                    + " and key"),
    /** args: which part (CA, client certificate, client key), the endpoint, why */
    TLS_MATERIAL_UNREADABLE(10039, Scope.CONFIG, false,
            "cannot read the TLS %s of %s: %s",
            "put the PEM file at the same path on every Tidemark host (or give the PEM itself in the spec); a key must"
                    + " be an unencrypted PKCS#8 or RSA PEM (convert with openssl pkcs8 -topk8 -nocrypt -in KEY);"
                    + " then retry with POST /api/v1/migrations/{id}/retry"),
    /** args: the RDS request (action and resource), AWS's words */
    AURORA_RESTORE_KMS_KEY(10030, Scope.CONFIG, false,
            "the KMS key the snapshot is encrypted with cannot be used for %s: %s",
            "let the snapshot service's IAM identity use the snapshot's KMS key (its key policy or a grant:"
                    + " kms:CreateGrant, kms:Decrypt, kms:DescribeKey, kms:GenerateDataKey*; a snapshot shared from"
                    + " another account needs that account's key policy to allow this one), or name a snapshot"
                    + " encrypted with a key it may use in snapshot.snapshotArn; then retry with POST"
                    + " /api/v1/migrations/{id}/retry"),

    /** args: this instance, the active one as far as this instance knows it (or that none is known yet) */
    COORDINATOR_STANDBY(10045, Scope.CONFIG, false,
            "coordinator %s is a standby and serves reads only; %s",
            "send writes (POST, PUT, DELETE: create, stop, resume, retry, ...) to the active coordinator named here;"
                    + " GET /api/v1/coordinator on any instance names it. A standby takes over by itself within the"
                    + " session timeout (tidemark.coordinator.ha.session-timeout) when the active one stops"),
    /** args: the setting, its value, what is wrong */
    HA_SETTING_INVALID(10046, Scope.CONFIG, false,
            "%s is '%s': %s",
            "correct the setting (tidemark.coordinator.ha.*, see the README section Coordinator high availability)"
                    + " and start the coordinator again"),

    // --- upstream (20xxx) ---
    SOURCE_UNREACHABLE(20001, Scope.UPSTREAM, true,
            "cannot reach source %s: %s",
            "check that the source runs, that host and port are right and that Tidemark's hosts may reach them"
                    + " (firewall, security group; on Aurora use the cluster endpoint)"),
    SOURCE_ACCESS_DENIED(20002, Scope.UPSTREAM, false,
            "source %s refused the login: %s",
            "check the user name and password of the source in the migration spec, and that the account may log in"
                    + " from Tidemark's hosts (e.g. 'user'@'%'); then resume with POST /api/v1/migrations/{id}/retry"),
    SOURCE_PRIVILEGE_MISSING(20003, Scope.UPSTREAM, false,
            "source account %s lacks a privilege: %s",
            "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT (BINLOG MONITOR on MariaDB)"
                    + " ON *.* TO the account (on Aurora, as the master user); then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    BINLOG_DISABLED(20004, Scope.UPSTREAM, false,
            "binary logging is off on source %s",
            "start the source with log-bin and a server-id (on Aurora: set binlog_format=ROW in the DB cluster"
                    + " parameter group and reboot the writer); then resume with POST /api/v1/migrations/{id}/retry"),
    BINLOG_FORMAT_NOT_ROW(20005, Scope.UPSTREAM, false,
            "source %s has binlog_format=%s; row-based replication needs ROW",
            "SET GLOBAL binlog_format=ROW and put it in the server's configuration (Aurora: binlog_format=ROW in the"
                    + " DB cluster parameter group, then reboot the writer); sessions already open keep their format"
                    + " until they reconnect; then resume with POST /api/v1/migrations/{id}/retry"),
    BINLOG_ROW_IMAGE_NOT_FULL(20006, Scope.UPSTREAM, false,
            "source %s has binlog_row_image=%s; replication needs FULL",
            "SET GLOBAL binlog_row_image=FULL and put it in the server's configuration (Aurora: the DB cluster"
                    + " parameter group); sessions already open keep their setting until they reconnect; then resume"
                    + " with POST /api/v1/migrations/{id}/retry"),
    BINLOG_PURGED(20007, Scope.UPSTREAM, false,
            "the binlog position %s is no longer on source %s: %s",
            "raise binlog retention (Aurora: CALL mysql.rds_set_configuration('binlog retention hours', 168);"
                    + " MySQL and MariaDB: binlog_expire_logs_seconds) and start the migration again with mode all"),
    SOURCE_QUERY_FAILED(20008, Scope.UPSTREAM, true,
            "query on source %s failed: %s",
            "check the source's error log and the statement the message names"),
    SOURCE_TABLE_NOT_FOUND(20009, Scope.UPSTREAM, false,
            "the table filter %s matches no table on source %s",
            "check the filter rules against SHOW DATABASES / SHOW FULL TABLES on the source, and that the account"
                    + " may SELECT the tables (tables it may not read are invisible to it)"),
    /** args: endpoint, what was being done, the host name that does not resolve */
    SOURCE_HOST_UNKNOWN(20010, Scope.UPSTREAM, false,
            "cannot reach source %s (%s): %s",
            "correct the source host in the migration spec (a typo, a deleted cluster, or a name that only resolves"
                    + " inside the VPC: Tidemark's hosts must resolve it too); then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, how long binlogs are kept, how long Tidemark needs */
    BINLOG_RETENTION_TOO_SHORT(20011, Scope.UPSTREAM, false,
            "source %s keeps its binary logs for %s; a migration needs at least %s",
            "as the cluster's master user: CALL mysql.rds_set_configuration('binlog retention hours', 168)"
                    + " (at most 2160); then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the position, endpoint, what is wrong with it */
    BINLOG_POSITION_INVALID(20012, Scope.UPSTREAM, false,
            "the binlog position %s does not exist on source %s: %s",
            "check the start position in the migration spec against SHOW BINARY LOGS on the source (File_size is"
                    + " where each file ends) and submit the migration again with a position that exists"),
    /** args: the filter rule, the position and the statement or row event */
    BINLOG_EVENT_REFUSED(20013, Scope.UPSTREAM, false,
            "binlog event refused by %s at %s: %s",
            "the source wrote an event that a binlogFilters rule with action Error forbids, and replication stopped"
                    + " before applying it (DM's Error action); undo the change on the source if it was a mistake, or"
                    + " replicate past it by starting a new mode incremental migration at the position after the"
                    + " event with the rule's action set to Ignore"),
    // the AWS RDS control plane (engine aurora-export); RdsErrors in snapshot-service is the one mapping to these.
    // args of each: the RDS request (action and resource), AWS's words (message, code, HTTP status, request id)
    RDS_THROTTLED(20020, Scope.UPSTREAM, true,
            "AWS RDS throttled %s: %s",
            "check what else calls the RDS API of this account and region at a high rate"),
    RDS_UNREACHABLE(20021, Scope.UPSTREAM, true,
            "cannot reach the AWS RDS API for %s: %s",
            "check that Tidemark's hosts reach the region's RDS endpoint (or the VPC endpoint set as"
                    + " tidemark.aws.rds.endpoint) and the AWS Health Dashboard"),
    RDS_ACCESS_DENIED(20022, Scope.UPSTREAM, false,
            "AWS RDS denied %s: %s",
            "grant the snapshot service's IAM identity the action AWS names (rds:CreateDBClusterSnapshot,"
                    + " rds:DescribeDBClusterSnapshots, rds:DeleteDBClusterSnapshot, rds:StartExportTask,"
                    + " rds:DescribeExportTasks, rds:CancelExportTask, and iam:PassRole on snapshot.iamRole); then"
                    + " resume with POST /api/v1/migrations/{id}/retry"),
    RDS_CREDENTIALS_INVALID(20023, Scope.UPSTREAM, false,
            "AWS RDS did not accept the credentials for %s: %s",
            "give the snapshot service valid AWS credentials through the SDK's default chain (environment, profile,"
                    + " instance or pod role); refresh an expired session token; then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    RDS_SNAPSHOT_QUOTA(20024, Scope.UPSTREAM, false,
            "AWS refused %s, the account's snapshot quota is reached: %s",
            "delete manual DB cluster snapshots no longer needed (aws rds delete-db-cluster-snapshot) or have the"
                    + " quota raised (Service Quotas, Amazon RDS: Manual DB cluster snapshots); then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    AURORA_EXPORTS_AT_LIMIT(20025, Scope.UPSTREAM, true,
            "%s waits, the account runs as many snapshot exports as AWS allows at once: %s",
            "if the wait is long, check the account's running exports (aws rds describe-export-tasks)",
            "the export waits in a queue: Tidemark tries again when a running one ends"),
    RDS_CLUSTER_NOT_FOUND(20026, Scope.UPSTREAM, false,
            "%s found no such DB cluster: %s",
            "correct snapshot.cluster (the DB cluster identifier, not an endpoint's host name) and snapshot.region"
                    + " (or tidemark.aws.rds.region) and submit the migration again"),
    RDS_SNAPSHOT_NOT_FOUND(20027, Scope.UPSTREAM, false,
            "%s found no such DB cluster snapshot: %s",
            "correct snapshot.snapshotArn (aws rds describe-db-cluster-snapshots lists them) and its region and"
                    + " submit the migration again; a snapshot deleted while the migration ran must be taken again"),
    RDS_RESOURCE_BUSY(20028, Scope.UPSTREAM, true,
            "%s cannot run in the cluster's or snapshot's present state: %s",
            "check the cluster's status in the RDS console (backing up, modifying, upgrading); a stopped cluster"
                    + " must be started"),
    AURORA_EXPORT_SOURCE_UNSUPPORTED(20029, Scope.UPSTREAM, false,
            "AWS cannot export the snapshot in %s: %s",
            "export to S3 needs an available snapshot of an engine version that supports it (Aurora MySQL 2 and"
                    + " 3, not Serverless v1): use such a cluster, or \"engine\": \"dump\" in the spec's snapshot,"
                    + " and submit the migration again"),
    AURORA_EXPORT_ROLE_INVALID(20030, Scope.UPSTREAM, false,
            "the export's IAM role cannot be used for %s: %s",
            "check snapshot.iamRole: the role must exist, trust export.rds.amazonaws.com, and allow s3:PutObject*,"
                    + " s3:GetObject*, s3:DeleteObject*, s3:ListBucket and s3:GetBucketLocation on the bucket; then"
                    + " resume with POST /api/v1/migrations/{id}/retry"),
    RDS_REQUEST_REJECTED(20031, Scope.UPSTREAM, false,
            "AWS RDS refused %s: %s",
            "correct the snapshot field of the spec that AWS's message names and submit the migration again; if it"
                    + " names nothing you set, report it with this message"),
    AURORA_EXPORT_KMS_KEY(20032, Scope.UPSTREAM, false,
            "the export's KMS key cannot be used for %s: %s",
            "check snapshot.kmsKey: a symmetric key in the snapshot's region whose key policy lets the snapshot"
                    + " service and the export role use it (kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*,"
                    + " kms:CreateGrant, kms:DescribeKey); then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the export task, AWS's FailureCause */
    AURORA_EXPORT_FAILED(20033, Scope.UPSTREAM, false,
            "AWS's export %s failed: %s",
            "fix what AWS's FailureCause names (most often the export role's S3 or KMS permissions, or a bucket in"
                    + " another region than the snapshot); then resume with POST /api/v1/migrations/{id}/retry, which"
                    + " starts a new export under a new identifier"),
    /** args: the source endpoint */
    AURORA_READER_ENDPOINT(20034, Scope.UPSTREAM, false,
            "source %s gives no binlog position (SHOW MASTER STATUS is empty) and is read-only: it is an Aurora reader",
            "point the spec's source at the cluster's writer endpoint (<cluster>.cluster-<id>.<region>.rds.amazonaws.com),"
                    + " not the reader endpoint (cluster-ro-) or a replica instance, since only the writer's binlog"
                    + " positions bracket the snapshot; then submit the migration again"),
    /** args: the table, where the DDL is in the binlog, position 1, position 2, the statement */
    AURORA_EXPORT_DDL_IN_WINDOW(20035, Scope.UPSTREAM, false,
            "a DDL on %s ran at %s, between position 1 (%s, where the schema files were written) and the snapshot"
                    + " (%s), so the exported data would not match its CREATE TABLE: %s",
            "hold schema changes on the selected tables until the export has started, then retry with POST"
                    + " /api/v1/migrations/{id}/retry: the retry writes the schema again and takes a new snapshot and"
                    + " export (this attempt's snapshot is deleted unless keepSnapshot)"),
    /** args: the relay topic, what differs (key, found, wanted) */
    RELAY_TOPIC_MISCONFIGURED(20046, Scope.CONFIG, false,
            "relay topic %s exists but does not fit the relay: %s",
            "a relay topic needs one partition, cleanup.policy=delete and the retention the relay is configured with"
                    + " (tidemark.dm.relay.retention, tidemark.dm.relay.retention-bytes): set them with kafka-configs.sh"
                    + " --alter --entity-type topics --entity-name TOPIC, or delete the topic (its relayed binlog is"
                    + " then read again from the source), and start the relay again"),
    /** args: the relay topic, the position asked for, where the relay begins */
    RELAY_POSITION_UNAVAILABLE(20048, Scope.UPSTREAM, false,
            "relay topic %s does not hold binlog position %s: %s",
            "the relay started after that position, or its retention (tidemark.dm.relay.retention, -retention-bytes)"
                    + " deleted it: start the task again with mode all, and keep the relay longer than a task may stay"
                    + " paused"),
    /** args: the relay topic, where the next event was to begin, where the next one relayed begins */
    RELAY_GAP(20049, Scope.INTERNAL, false,
            "relay topic %s misses binlog events: the event after %s should begin there, the next one relayed begins"
                    + " at %s",
            "the relay lost events (records Kafka refused to a writer that then stopped, or records deleted by hand),"
                    + " so no task can go on from it: start the migration again with mode all, or stop the relay"
                    + " (stop-relay) and start the task from a position the source still holds"),
    /** args: the relay topic, the offset, what is wrong */
    RELAY_RECORD_UNREADABLE(20047, Scope.INTERNAL, false,
            "relay topic %s holds a record at offset %s that the relay cannot read: %s",
            "the topic was written by another program or a newer Tidemark: give the relay a topic only it writes"
                    + " (delete this one and start the relay again), or upgrade this dm-service"),
    /** args: the source, the relay topic, the transactional id */
    RELAY_FENCED(20056, Scope.INTERNAL, false,
            "the relay of source %s stopped writing into %s: another dm-service took the relay over (Kafka fenced"
                    + " transactional id %s), so this one must not write again",
            "nothing to do when the relay runs on the other dm-service (GET its /info): this one had lost the relay's"
                    + " ownership, e.g. frozen past its session timeout; if no dm-service runs it, stop-relay and"
                    + " start-relay the source, and keep session.timeout.ms below transaction.timeout.ms"),
    // the restored-instance flow (engine aurora-restore)
    /** args: the restored instance, where Tidemark looked */
    AURORA_RESTORE_NO_RECOVERY_EVENT(20040, Scope.UPSTREAM, false,
            "the restored instance %s logged no \"Binlog position from crash recovery\" event (%s), so the point in"
                    + " production's binlog that its data holds is unknown",
            "restore with a DB cluster parameter group that has binlog_format=ROW (snapshot.clusterParameterGroup):"
                    + " Aurora writes the event only when the restored cluster has the binlog on; then retry with POST"
                    + " /api/v1/migrations/{id}/retry (or use mode full, which needs no position)"),
    /** args: the restored cluster or instance, its status */
    AURORA_RESTORE_FAILED(20041, Scope.UPSTREAM, false,
            "the restore of %s ended %s",
            "check the restored cluster's events in the RDS console (an incompatible parameter group, network or"
                    + " instance class for the snapshot's engine version), correct snapshot.clusterParameterGroup,"
                    + " subnetGroup, securityGroups or instanceClass, then retry with POST"
                    + " /api/v1/migrations/{id}/retry (Tidemark deletes the failed restore first)"),
    /** args: the RDS request, AWS's words */
    AURORA_RESTORE_SETTING_INVALID(20042, Scope.UPSTREAM, false,
            "AWS cannot restore into the network or parameters given for %s: %s",
            "correct snapshot.subnetGroup (a DB subnet group in the snapshot's region), snapshot.securityGroups (VPC"
                    + " security group ids of that VPC) or snapshot.clusterParameterGroup (an aurora-mysql group of the"
                    + " snapshot's engine version), then submit the migration again"),
    /** args: the RDS request, AWS's words */
    AURORA_RESTORE_NO_CAPACITY(20043, Scope.UPSTREAM, true,
            "AWS has no capacity or quota for %s: %s",
            "choose another snapshot.instanceClass or subnet group (other availability zones), or have the DB"
                    + " instance / cluster quota raised (Service Quotas, Amazon RDS)",
            "Tidemark tries again after a pause, as capacity often returns within minutes"),
    /** args: the RDS request (action and resource), AWS's words */
    AURORA_RESTORE_ACCESS_DENIED(20044, Scope.UPSTREAM, false,
            "AWS RDS denied %s: %s",
            "grant the snapshot service's IAM identity the restore's actions (rds:RestoreDBClusterFromSnapshot,"
                    + " rds:CreateDBInstance, rds:DescribeDBClusters, rds:DescribeDBInstances, rds:DescribeEvents,"
                    + " rds:DeleteDBInstance, rds:DeleteDBCluster, besides rds:CreateDBClusterSnapshot,"
                    + " rds:DescribeDBClusterSnapshots and rds:DeleteDBClusterSnapshot for a snapshot it takes);"
                    + " then retry with POST /api/v1/migrations/{id}/retry"),
    /** args: the RDS request (action and resource), AWS's words */
    AURORA_RESTORED_GONE(20045, Scope.UPSTREAM, true,
            "%s: the restored cluster or instance was deleted while the migration used it: %s",
            "leave clusters and instances named tidemark-<migration>-e<attempt>-r… alone while their migration"
                    + " runs (Tidemark deletes them itself once the dump is done)",
            "Tidemark tries again after a pause, restoring the snapshot anew"),
    /** args: the endpoint, what the TLS handshake said */
    SOURCE_TLS_FAILED(20054, Scope.UPSTREAM, false,
            "TLS with source %s failed: %s",
            "with verify-ca or verify-full, give the CA that signed the source's certificate as the source's tls.ca"
                    + " (ssl-ca in a DM source file; Aurora/RDS: the region's global-bundle.pem); verify-full also needs"
                    + " the host name in the certificate; a server without TLS needs mode disabled or preferred; then"
                    + " retry with POST /api/v1/migrations/{id}/retry"),
    /** args: the endpoint, what the TLS handshake said */
    TARGET_TLS_FAILED(20055, Scope.DOWNSTREAM, false,
            "TLS with target %s failed: %s",
            "with verify-ca or verify-full, give the CA that signed the target's certificate as the target's tls.ca"
                    + " (ssl-ca under target-database in a DM task file; TiDB Cloud: its CA bundle); verify-full also"
                    + " needs the host name in the certificate; a server without TLS needs mode disabled or preferred;"
                    + " then retry with POST /api/v1/migrations/{id}/retry"),

    // --- downstream (30xxx) ---
    TARGET_UNREACHABLE(30001, Scope.DOWNSTREAM, true,
            "cannot reach target %s: %s",
            "check that the target runs, that host and port are right (TiDB listens on 4000 by default) and that"
                    + " Tidemark's hosts may reach them"),
    TARGET_ACCESS_DENIED(30002, Scope.DOWNSTREAM, false,
            "target %s refused the login: %s",
            "check the user name and password of the target in the migration spec, and that the account may log in"
                    + " from Tidemark's hosts; then resume with POST /api/v1/migrations/{id}/retry"),
    TARGET_STATEMENT_FAILED(30003, Scope.DOWNSTREAM, false,
            "target rejected a statement for %s: %s",
            "compare the table definitions on source and target; fix the target table, then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    TARGET_FENCED(30004, Scope.DOWNSTREAM, false,
            "replication task %s was taken over by a newer owner (epoch %s)",
            "nothing to do: the newer owner continues from the checkpoint"),
    TARGET_TRANSIENT_CONFLICT(30005, Scope.DOWNSTREAM, true,
            "target %s rolled back work on %s after a transient conflict: %s",
            "if it recurs, look for other writers on the same tables or lower the number of workers"
                    + " (tidemark.lightning.workers)",
            "Tidemark retries by itself, applying the batch again from its checkpoint"),
    /** args: endpoint, what was being done, the server's words */
    TARGET_PRIVILEGE_MISSING(30006, Scope.DOWNSTREAM, false,
            "target account %s lacks a privilege for %s: %s",
            "GRANT the privilege the message names to the target account (Tidemark needs SELECT, INSERT, UPDATE,"
                    + " DELETE, CREATE, DROP, ALTER and INDEX on the migrated schemas and on its meta schema); then"
                    + " resume with POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, what was being done, the server's words */
    TARGET_READ_ONLY(30007, Scope.DOWNSTREAM, false,
            "target %s is read-only and refused %s: %s",
            "point the migration at the primary, or make the target writable: SET GLOBAL read_only=OFF (MySQL: also"
                    + " super_read_only=OFF; TiDB: SET GLOBAL tidb_super_read_only=OFF and"
                    + " tidb_restricted_read_only=OFF); then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, what was being done, the host name that does not resolve */
    TARGET_HOST_UNKNOWN(30008, Scope.DOWNSTREAM, false,
            "cannot reach target %s (%s): %s",
            "correct the target host in the migration spec (a typo, or a name only resolvable elsewhere: Tidemark's"
                    + " hosts must resolve it too); then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, what was being done, the server's words (TiDB error 8004) */
    TARGET_TXN_TOO_LARGE(30009, Scope.DOWNSTREAM, false,
            "target %s refused a transaction for %s as too large: %s",
            "lower the batch size (tidemark.lightning.batch-bytes for imports, the tidemark.dm batch size for"
                    + " replication) or raise TiDB's txn-total-size-limit ([performance] in the TiDB configuration);"
                    + " then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, what was being done, the server's words (TiDB error 8025) */
    TARGET_ENTRY_TOO_LARGE(30010, Scope.DOWNSTREAM, false,
            "target %s refused a row for %s as too large: %s",
            "one row or index entry exceeds TiDB's entry size limit, so smaller batches do not help: raise"
                    + " txn-entry-size-limit ([performance] in the TiDB configuration, at most 120 MB; from TiDB v7.6"
                    + " also SET GLOBAL tidb_txn_entry_size_limit); then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, what was being done, the server's words (TiDB error 9006) */
    TARGET_GC_LIFE_TIME_TOO_SHORT(30011, Scope.DOWNSTREAM, false,
            "target %s already garbage-collected data that %s still needed: %s",
            "raise tidb_gc_life_time above the longest statement (SET GLOBAL tidb_gc_life_time = '72h'; set it back"
                    + " after the migration); then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: endpoint, what was being done, the server's words (TiDB 9001-9005: PD/TiKV timeouts, busy, regions) */
    TARGET_BUSY(30012, Scope.DOWNSTREAM, true,
            "target %s was too busy to complete %s: %s",
            "if it persists, check the health of the TiDB cluster (PD and TiKV load, region leaders, disk) and lower"
                    + " the number of workers"),
    /** args: the target, the tables and what differs in each */
    TARGET_TABLE_MISMATCH(30013, Scope.DOWNSTREAM, false,
            "target %s already has tables that do not fit the source's: %s",
            "drop or rename those target tables so that Tidemark creates them from the source's definitions, or make"
                    + " them fit; tables created by hand on purpose are declared with \"targetTables\": \"pre-created\""
                    + " in the spec (rows are then written by column name); then submit the migration again"),

    /** args: the target, the table, why it must exist */
    TARGET_TABLE_MISSING(30014, Scope.DOWNSTREAM, false,
            "target %s has no table %s: %s",
            "create the table first — import the schema files (the CREATE TABLE files a Dumpling --no-data dump"
                    + " writes) with their own TiDB Lightning file, or create it by hand — then retry the import"
                    + " with POST /api/v1/migrations/{id}/retry"),
    /** args: the target, each table whose count differs, with the rows its files held and the rows it holds */
    /** args: the position, the statement */
    ROUTE_DDL_UNREWRITABLE(30018, Scope.DOWNSTREAM, false,
            "cannot route the DDL at %s to the target's names: %s",
            "the statement names tables that routing cannot rewrite (CREATE TABLE … LIKE, … SELECT, REFERENCES,"
                    + " ALTER TABLE … RENAME); run it on the target by hand with the routed names, then replicate"
                    + " past it with a new mode incremental migration starting at the position after it"),
    /** args: the field, what is wrong with it */
    BINLOG_OPERATION_INVALID(30019, Scope.CONFIG, false,
            "invalid binlog operation: %s %s",
            "send {\"op\": \"skip\" | \"replace\", \"position\": \"FILE:POS\" (optional), \"sql\": [\"...\"]"
                    + " (replace only, at least one statement)} to POST /api/v1/migrations/{id}/binlog"),
    /** args: the migration, its phase and last error */
    BINLOG_TASK_NOT_STOPPED_ON_STATEMENT(30020, Scope.CONFIG, false,
            "migration %s is not stopped on a statement the target rejected (%s)",
            "binlog skip|replace is only for a replication task stopped by TM-30003 on a DDL; check the migration"
                    + " with GET /api/v1/migrations/{id}"),
    /** args: the position given, the position the task stopped at */
    BINLOG_POSITION_NOT_FAILED(30021, Scope.CONFIG, false,
            "binlog position %s is not the statement the task stopped on (%s)",
            "give the position the error names, or leave \"position\" out to use it"),
    /** args: the migration, its last error */
    BINLOG_FAILED_POSITION_UNKNOWN(30022, Scope.CONFIG, false,
            "migration %s stopped without naming a binlog event to skip or replace: %s",
            "binlog skip|replace applies to a DDL the target rejected; for a row change fix the target table and"
                    + " resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the source endpoint, what shows it has none */
    SOURCE_GTID_DISABLED(30028, Scope.UPSTREAM, false,
            "source %s has no GTIDs to start or resume replication by (enable-gtid: true): %s",
            "turn GTIDs on at the source (MySQL: gtid_mode=ON with enforce_gtid_consistency=ON; Aurora MySQL: both in"
                    + " the cluster parameter group, then reboot), or set enable-gtid: false in the DM source file"
                    + " (\"enableGtid\": false in the spec) to replicate by binlog file and offset; then start the"
                    + " task again"),
    /** args: the source endpoint, the GTID set, the server's words */
    GTID_SET_UNAVAILABLE(30029, Scope.UPSTREAM, false,
            "source %s cannot send its binlog after GTID set %s: %s",
            "the transactions after that set were purged from the source's binary logs, or the set names a server"
                    + " or domain this source never had: raise binlog retention and start the migration again with"
                    + " mode all, or start an incremental task whose meta binlog-gtid is a set the source still holds"
                    + " (MariaDB: SELECT @@gtid_binlog_pos; MySQL: Executed_Gtid_Set of SHOW MASTER STATUS)"),
    /** args: the set as given, what is wrong with it */
    GTID_SET_INVALID(30030, Scope.CONFIG, false,
            "invalid GTID set '%s': %s",
            "write the set as the source prints it: MySQL uuid:1-5[:7-9][,uuid2:1-3] (Executed_Gtid_Set of SHOW"
                    + " MASTER STATUS), MariaDB domain-server-sequence[,...] (SELECT @@gtid_binlog_pos)"),
    /** args: the GTID set, its form, the source endpoint, the source's flavor */
    GTID_SET_WRONG_FLAVOR(30031, Scope.CONFIG, false,
            "GTID set '%s' is in %s's form but source %s is %s",
            "give meta binlog-gtid in the source's own form (MariaDB: SELECT @@gtid_binlog_pos; MySQL:"
                    + " Executed_Gtid_Set of SHOW MASTER STATUS), or start the task again with --remove-meta if its"
                    + " checkpoint was made on another server"),
    /** args: the position, the statement, the merged target table */
    SHARD_DDL_NOT_IMPLEMENTED(30032, Scope.CONFIG, false,
            "the DDL at %s (%s) changes a shard of the merged table %s, and the task does not coordinate it (without"
                    + " shard-mode no shard DDL is; with shard-mode pessimistic only ALTER TABLE and CREATE/DROP INDEX"
                    + " are, as a shard's CREATE, DROP, TRUNCATE or RENAME TABLE would act on every shard's rows)",
            "for a change of the table's definition, start the task with shard-mode: pessimistic (a shard's DDL then"
                    + " waits until every shard reached it and runs once); otherwise make the change on the merged target table by hand once every shard has made it"
                    + " (with the routed name), then replicate past the statement with a new mode incremental migration"
                    + " starting at the position after it"),
    /** args: the merged target table, how the shards' definitions differ */
    SHARD_TABLES_DIFFER(30033, Scope.UPSTREAM, false,
            "the source tables merged into %s are defined differently: %s",
            "make the shards' tables alike (the same columns, in the same order, with the same types) before the"
                    + " migration, or route the shard that differs to a table of its own"),
    /** args: the merged target table, the shards and their key ranges */
    SHARD_KEYS_COLLIDE(30034, Scope.UPSTREAM, false,
            "the source tables merged into %s have auto-increment primary keys whose values overlap: %s",
            "in the merged table one shard's row would replace another's: as DM advises, drop the auto-increment"
                    + " column from the merged table's primary key (create the target table yourself, with"
                    + " \"targetTables\": \"pre-created\") and key it by the source too, or give every shard its own"
                    + " key range (auto_increment_offset/auto_increment_increment) and renumber the rows that collide"),
    /** args: the task, the target table, the sources whose routes write it */
    SHARD_MERGE_ACROSS_SOURCES(30035, Scope.CONFIG, false,
            "task %s routes tables of several sources into %s (sources %s) without an extract-source column: each"
                    + " source's import is verified by counting its own rows in the merged table, and nothing would"
                    + " tell them from the other sources' rows",
            "add extract-source to every route-rule writing that table, e.g. extract-source: {source-regexp:"
                    + " \"(.*)\", target-column: \"c_source\"} (Tidemark adds the column to the table it creates;"
                    + " a pre-created table needs it, VARCHAR), or merge the shards of one source per target table"),
    /** args: the source-id, the file purged before, the migration still reading the relay, its checkpoint */
    RELAY_PURGE_PAST_CHECKPOINT(30036, Scope.CONFIG, false,
            "purge-relay of source %s before %s is refused: replication task %s still reads the relay from %s",
            "purge at most up to the file of the oldest checkpoint of the tasks reading the relay (the task named"
                    + " here), or let that task catch up first (resume-task if it is paused), or end it for good"
                    + " (stop-task, or delete the migration), then purge again"),
    /** args: the source-id, the file, what is wrong */
    RELAY_PURGE_INVALID(30037, Scope.CONFIG, false,
            "purge-relay of source %s before %s cannot be done: %s",
            "name a binlog file the relay holds, as the source names it (--filename mysql-bin.000003): the relay"
                    + " keeps the events of that file and later ones and deletes the earlier ones; start the relay"
                    + " first (start-relay, or enable-relay: true in the source file) if it never ran"),
    /** args: the merged target table, the shards and their DDLs */
    SHARD_DDL_DIFFERS(30038, Scope.UPSTREAM, false,
            "the shards merged into %s reached different DDLs, so none is applied: %s",
            "make the shards' DDLs the same: run the missing or corrected statement on the shards that differ (their"
                    + " replication then reaches it too), or decide yourself: change the merged table by hand to what"
                    + " the shards should hold and run shard-ddl-lock unlock LOCK-ID (POST"
                    + " /api/v1/shard-ddl-locks/{id}/unlock), which lets every waiting shard go on past its DDL, the"
                    + " first shard's run on the merged table"),
    /** args: the lock id asked for, the locks there are */
    SHARD_DDL_LOCK_UNKNOWN(30039, Scope.CONFIG, false,
            "no shard DDL lock '%s' (locks now: %s)",
            "list the locks with tidemark shard-ddl-lock [TASK] (GET /api/v1/shard-ddl-locks) and use one of their"
                    + " ids; a lock is gone once its shards went on past the DDL"),
    /** args: the migration, its phase (with its last error, if any) */
    VERIFY_NOT_REPLICATING(30023, Scope.CONFIG, false,
            "migration %s is not replicating, so it cannot be verified at a source position: %s",
            "verify compares a migration of mode incremental or all while it replicates: resume a stopped one"
                    + " (POST /api/v1/migrations/{id}/resume, resume-task), fix and retry a failed one"
                    + " (POST /api/v1/migrations/{id}/retry), then verify again"),
    /** args: the migration, the position waited for, how long, where replication is */
    VERIFY_CATCH_UP_TIMEOUT(30024, Scope.CONFIG, false,
            "replication of migration %s did not reach the source position %s within %s (it has applied up to %s)",
            "check its lag with query-status (GET /api/v1/migrations/{id}); verify again once it has caught up, or"
                    + " with a longer --timeout"),
    /** args: the parameter, what is wrong with it */
    VERIFY_REQUEST_INVALID(30025, Scope.CONFIG, false,
            "invalid verify request: %s %s",
            "give at=FILE:POS or now, lock=true|false, chunkRows=N (1 or more) and timeout=DURATION (e.g. 5m);"
                    + " no other parameter is read"),
    IMPORT_VERIFICATION_FAILED(30015, Scope.DOWNSTREAM, false,
            "target %s does not hold the rows the imported files did: %s",
            "find out why each named table differs: rows it held before the import (a pre-created table), rows of"
                    + " the files that share a key (onDuplicate replace and ignore keep one row per key), or another"
                    + " writer on the table during the import; once the table is as it should be,"
                    + " POST /api/v1/migrations/{id}/retry counts again. A retry does not import the files again:"
                    + " for that, empty the tables and submit the import as a new migration"),

    // --- storage (40xxx) ---
    STORAGE_IO(40001, Scope.STORAGE, true,
            "storage %s failed: %s",
            "check free space, permissions and reachability of the storage location"),
    DUMP_FILE_CORRUPT(40002, Scope.STORAGE, false,
            "dump file %s is unreadable: %s",
            "re-run the snapshot of that table, or replace the file with an intact copy"),
    /** args: the storage location, why a file cannot be written there */
    STORAGE_NOT_WRITABLE(40003, Scope.STORAGE, false,
            "storage %s is not writable: %s",
            "give the services' user write access to the location (and mount it read-write), or choose another"
                    + " location; then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the bucket, the region asked, where it was asked ("AWS S3" or "endpoint http://…") */
    STORAGE_BUCKET_NOT_FOUND(40004, Scope.STORAGE, false,
            "bucket %s does not exist in region %s (%s)",
            "correct the bucket name, region= or endpoint= in the storage location (s3://bucket/prefix?region=…),"
                    + " or create the bucket; then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the object or prefix with the request ("s3://b/k (GetObject)"), the store's words and what it needs */
    STORAGE_ACCESS_DENIED(40005, Scope.STORAGE, false,
            "access to %s was denied: %s",
            "grant the credentials Tidemark uses there (the keys in the storage location, else the service's default"
                    + " AWS credentials chain) what the message names: s3:ListBucket on the bucket, s3:GetObject,"
                    + " s3:PutObject, s3:DeleteObject and s3:AbortMultipartUpload on the prefix, and for SSE-KMS"
                    + " objects kms:Decrypt (to read) or kms:GenerateDataKey (to write) on the KMS key named; check"
                    + " bucket policies and KMS key policies too; then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the location, where the credentials came from, the store's or the SDK's words */
    STORAGE_CREDENTIALS_INVALID(40006, Scope.STORAGE, false,
            "no valid credentials for %s (%s): %s",
            "give the service credentials S3 accepts through the default chain on the service's host"
                    + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in ~/.aws/credentials or profile= in the"
                    + " location, web identity, an instance profile); temporary credentials expire and must be renewed; then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    /** args: the location, the host name that does not resolve, what the host was made of */
    STORAGE_HOST_UNKNOWN(40007, Scope.STORAGE, false,
            "cannot reach storage %s: host %s does not resolve (%s)",
            "correct endpoint= or region= in the storage location; an S3-compatible store (MinIO, Ceph, a local"
                    + " server) usually needs force-path-style=true, as the virtual-hosted style puts the bucket name"
                    + " into the host name; Tidemark's hosts must resolve the name too; then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    /** args: the location (credentials redacted), what is wrong with it */
    STORAGE_LOCATION_INVALID(40008, Scope.STORAGE, false,
            "storage location %s is invalid: %s",
            "write S3 locations as s3://bucket/prefix?param=value&… with the parameters Dumpling and TiDB Lightning"
                    + " take (endpoint, region, force-path-style, access-key, secret-access-key, session-token,"
                    + " profile, provider, storage-class, sse, sse-kms-key-id, acl, use-accelerate-endpoint) and"
                    + " Tidemark's connect-timeout and read-timeout, or a local location as an absolute path; then"
                    + " submit the migration again"),
    /** args: the object or prefix with the request, the store's words */
    STORAGE_REQUEST_REJECTED(40009, Scope.STORAGE, false,
            "the storage refused %s: %s",
            "the store answered that the request is invalid or unsupported, so sending it again does not help: check"
                    + " the storage location's parameters (storage-class, sse, sse-kms-key-id, acl, endpoint) against"
                    + " what the store supports; then resume with POST /api/v1/migrations/{id}/retry"),
    /**
     * args: the dump file, then the column (with its table and Parquet type, or the row and the value) and the fix
     * for that case: an intact file whose type, annotation or value no MySQL-family column takes (INT96, a nested
     * group, NaN). Not {@link #DUMP_FILE_CORRUPT}: copying the file again changes nothing.
     */
    DUMP_TYPE_UNSUPPORTED(40010, Scope.STORAGE, false,
            "dump file %s holds what no MySQL-family column takes: %s",
            "do what the message says for that column: write the file again with the column in a type Tidemark maps"
                    + " (those an Aurora snapshot export writes: integers, DECIMAL, TIMESTAMP(MICROS), DATE, FLOAT,"
                    + " DOUBLE, STRING, binary) or with the value replaced at the source, or leave the table out of"
                    + " the import's filter; then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: the row group's index, its file, its table, its compressed size in bytes, the limit in bytes */
    ROW_GROUP_TOO_LARGE(40011, Scope.STORAGE, false,
            "row group %s of dump file %s (table %s) holds %s compressed bytes, more than the %s bytes a worker"
                    + " reads at once",
            "a worker holds one row group in memory: raise tidemark.lightning.max-row-group-bytes above the size"
                    + " named on every lightning-service worker (each needs that much heap per concurrent chunk) and"
                    + " restart them, or write the file again with smaller row groups (Spark: parquet.block.size;"
                    + " AWS snapshot exports keep theirs near 128 MB); then resume with"
                    + " POST /api/v1/migrations/{id}/retry"),
    /** args: the export's location, every part of it that is not complete (each with what to do) */
    EXPORT_INCOMPLETE(40012, Scope.STORAGE, false,
            "the snapshot export under %s is not complete: %s",
            "wait until the export task is COMPLETE (aws rds describe-export-tasks; each table folder then holds a"
                    + " _SUCCESS) or run the export again for the tables named, and point the import at one export's"
                    + " folder; then resume with POST /api/v1/migrations/{id}/retry"),
    /**
     * args: the file (with how many more like it), the compression its name says, what it holds and so what the import
     * would leave out. Refused rather than skipped: a skipped file is a table imported short or not at all.
     */
    FILE_COMPRESSION_UNSUPPORTED(40014, Scope.STORAGE, false,
            "file %s is compressed as %s, which Tidemark's import does not read: %s",
            "write the files again compressed as gzip, zstd or snappy (dumpling --compress gzip|zstd|snappy, which"
                    + " TiDB Lightning reads too), or decompress them in place first (lz4 -d, xz -d, lzop -d,"
                    + " bzip2 -d, brotli -d), keeping the rest of each name; a Parquet file is never compressed as a"
                    + " whole (its pages are compressed inside it): store it as it was written; or leave the table"
                    + " out of the import; then resume with POST /api/v1/migrations/{id}/retry"),
    /** args: where the format is said (a key of a file, or the request), why LOAD DATA cannot read files so written */
    CSV_FORMAT_UNSUPPORTED(40015, Scope.STORAGE, false,
            "the CSV format of %s cannot be read by LOAD DATA: %s",
            "write the CSV files with one quoting character (delimiter) and NULL as \\N (backslash-escape = true)"
                    + " or as an unquoted NULL (with a delimiter), e.g. Dumpling's defaults (dumpling --filetype csv),"
                    + " and say so in [mydumper.csv]; then submit the import again"),
    /** args: the RDS request (action and resource), AWS's words */
    AURORA_EXPORT_BUCKET_INVALID(40020, Scope.STORAGE, false,
            "AWS cannot write the export of %s to its bucket: %s",
            "snapshot.s3 must name an existing bucket in the snapshot's region that snapshot.iamRole may write:"
                    + " correct the bucket or the role's policy; then resume with POST /api/v1/migrations/{id}/retry"),

    /**
     * args: the chunk (id and file), how many times it was delivered, the last delivery's error. Retriable: the
     * chunk stays queued; this makes a chunk that keeps failing visible (a share group's delivery count).
     */
    CHUNK_REDELIVERED(40021, Scope.INTERNAL, true,
            "chunk %s was delivered %s times and failed each time; the last error: %s",
            "fix the cause the last error names (its own remedy says how); the chunk resumes from its checkpoint",
            "Tidemark retries: the chunk goes to the next free worker, and from tidemark.lightning.max-deliveries"
                    + " deliveries on it is put back at the end of the queue, never dropped"),
    /** args: the cluster (bootstrap servers), why it has no share groups */
    SHARE_GROUPS_UNSUPPORTED(40022, Scope.CONFIG, false,
            "tidemark.lightning.chunk-queue is 'share', but the Kafka cluster at %s has no share groups: %s",
            "enable them on the cluster (Apache Kafka 4.2 or later: kafka-features.sh --bootstrap-server HOST:PORT"
                    + " upgrade --feature share.version=1), or set tidemark.lightning.chunk-queue=auto (share"
                    + " groups where the cluster has them, else a consumer group) or consumer-group; then start the"
                    + " service again"),
    /** args: the cluster (bootstrap servers), what failed */
    KAFKA_FEATURES_UNREADABLE(40023, Scope.INTERNAL, false,
            "cannot read the features of the Kafka cluster at %s to choose the chunk queue: %s",
            "check that the brokers are up and reachable with the service's spring.kafka.* settings and start the"
                    + " service again; or name the queue yourself: tidemark.lightning.chunk-queue=consumer-group"),
    /** args: the group config, the share group, the cluster, what failed */
    SHARE_GROUP_CONFIG_REFUSED(40024, Scope.INTERNAL, false,
            "cannot set %s on share group %s at %s: %s",
            "let the service's principal alter the group's configs (kafka-acls.sh --add --allow-principal P"
                    + " --operation AlterConfigs --group G), or set it once by hand (kafka-configs.sh"
                    + " --bootstrap-server HOST:PORT --alter --entity-type groups --entity-name G --add-config"
                    + " share.auto.offset.reset=earliest,share.record.lock.duration.ms=<the chunk lock in ms>); then"
                    + " start the service again"),

    // --- internal (50xxx) ---
    UNSUPPORTED_MESSAGE_VERSION(50001, Scope.INTERNAL, false,
            "message %s has schema version %s, this service reads %s",
            "upgrade this service to the version the producer runs"),
    MALFORMED_MESSAGE(50002, Scope.INTERNAL, false,
            "message cannot be read: %s",
            "check which producer writes to this topic"),
    KAFKA_UNAVAILABLE(50004, Scope.INTERNAL, true,
            "cannot write %s to Kafka: %s",
            "check the Kafka cluster (brokers up, topic present, credentials)",
            "Tidemark retries until it can"),
    /**
     * args: what was written (a migration's state, a command) and to which topic, its size, the limit it broke. Fatal:
     * the same message is refused again however often it is sent, and retrying it would block the work behind it.
     */
    KAFKA_MESSAGE_TOO_LARGE(50005, Scope.INTERNAL, false,
            "%s is %s, more than Kafka takes in one message: %s",
            "a migration is kept as one Kafka message and grows with every table and import chunk it holds: split"
                    + " it into migrations of fewer tables each (a filter per schema or per range of table names)"
                    + " and submit those instead; or raise Kafka's limit above the size named, on the topic named"
                    + " (kafka-configs.sh --alter --entity-type topics --entity-name <topic> --add-config"
                    + " max.message.bytes=<bytes>) and for the coordinator's producer"
                    + " (spring.kafka.producer.properties.max.request.size=<bytes>, then restart it), and resume"
                    + " with POST /api/v1/migrations/{id}/retry"),
    /**
     * args: the message type, its version, the newest this service reads. Retriable: the record is not lost but read
     * again until this service is upgraded (a rolling upgrade reaches it), as its producer already was.
     */
    MESSAGE_VERSION_TOO_NEW(50010, Scope.INTERNAL, true,
            "message %s is of version %s, this service reads it up to version %s",
            "upgrade this service to the release its producer runs (services are upgraded one at a time; a service"
                    + " reads its own version of each message and the one before)",
            "Tidemark retries reading the message, kept unacknowledged, until this service is upgraded; nothing is"
                    + " skipped"),
    /** args: the class written. A bug: every message type has a version before it is written. */
    MESSAGE_TYPE_UNVERSIONED(50011, Scope.INTERNAL, false,
            "%s has no version in the message registry, so it is not written to Kafka",
            "report it with this log: the type must be registered in io.tidemark.common.serde.MessageVersions"
                    + " (named by its discriminator or by @MessageType) before any service writes it"),
    /**
     * args: this instance, what it was writing, Kafka's words. Fatal for the write, never retried: another coordinator
     * took over (its transactional producer fenced this one's), and a retry would write under a role this one lost.
     */
    COORDINATOR_FENCED(50012, Scope.INTERNAL, false,
            "coordinator %s is no longer the active coordinator, so %s was not written: %s",
            "nothing of it was written and nothing is lost: the active coordinator drives every migration from the"
                    + " state Kafka holds. Send the request to the active coordinator (GET /api/v1/coordinator names"
                    + " it); this one now serves reads as a standby"),
    INTERNAL(50003, Scope.INTERNAL, false,
            "internal error: %s",
            "report it with the log of the service that failed");

    /** what every retriable remedy ends with unless the code says more precisely how it retries */
    private static final String RETRIES_BY_ITSELF = "Tidemark retries by itself";
    private static final String RESUME = "resume with POST /api/v1/migrations/{id}/retry";

    private final int code;
    private final Scope scope;
    private final boolean retriable;
    private final String template;
    /** for a retriable code: what to check; for a fatal one: the whole remedy */
    private final String whatToDo;
    /** how a retriable code is retried; null for a fatal one */
    private final String howRetried;

    ErrorCode(int code, Scope scope, boolean retriable, String template, String whatToDo) {
        this(code, scope, retriable, template, whatToDo, retriable ? RETRIES_BY_ITSELF : null);
    }

    ErrorCode(int code, Scope scope, boolean retriable, String template, String whatToDo, String howRetried) {
        this.code = code;
        this.scope = scope;
        this.retriable = retriable;
        this.template = template;
        this.whatToDo = whatToDo;
        this.howRetried = howRetried;
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

    /**
     * What the user does. A retriable code's remedy ends with how Tidemark retries by itself; a fatal code's never
     * claims a retry.
     */
    public String remedy() {
        return howRetried == null ? whatToDo : whatToDo + "; " + howRetried;
    }

    /**
     * The remedy to report when a worker stopped retrying a retriable error after {@code attempts} attempts and
     * reports it as final: says that Tidemark stopped, what to check and how to resume. For a fatal code, which is
     * never retried, it is {@link #remedy()}.
     */
    public String remedyAfterGivingUp(int attempts) {
        if (!retriable) {
            return remedy();
        }
        return "Tidemark stopped after " + attempts + (attempts == 1 ? " attempt" : " attempts") + ": " + whatToDo
                + "; then " + RESUME;
    }

    String format(Object... args) {
        return String.format(template, args);
    }
}
