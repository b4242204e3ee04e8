#!/usr/bin/env bash
# Benchmark: Tidemark's binlog replication (mode `incremental`, dm-service) against MariaDB's native replication, on
# the same backlog, from the same binlog position of the same source, in the same run. The workload runs first with
# every replica stopped; then each replica applies the whole backlog alone, one after another: the native replica,
# then Tidemark once per worker count (DM's worker-count, the spec's workerCount), each into its own target. Prints
# for each the time from its start until it has applied everything up to the source's end position, rows/s, peak RSS,
# and the ratios tidemark / native (LOWER IS BETTER for Tidemark) and worker-count N / worker-count 1.
# The machine is shared and noisy: compare only ratios taken within one run, never absolute seconds across runs.
#
# Knobs (environment):
#   ROWS=200000             row changes the workload makes in total (inserts + updates + deletes, all tables)
#   TABLES=4                tables the workload spreads over
#   TXN_ROWS=20             rows an INSERT or UPDATE statement touches (a DELETE touches half of that)
#   NATIVE_THREADS=0        slave_parallel_threads of the native replica (0 = MariaDB's default: one SQL thread;
#                           above 0 with slave_parallel_mode=optimistic)
#   WORKLOAD=mixed          mixed: the generated INSERT…SELECT/UPDATE/DELETE rounds below (ROWS, TABLES, TXN_ROWS);
#                           sysbench: sysbench's oltp_write_only with SB_THREADS client threads (ROWS/4 transactions
#                           of 4 row changes each) on TABLES tables of SB_TABLE_SIZE rows (default 10000)
#   LIVE_SECONDS=0          above 0: measure LIVE instead of a backlog — the native replica and Tidemark (the first
#                           of WORKER_COUNTS) replicate while sysbench oltp_write_only runs LIVE_SECONDS on the
#                           source (SB_THREADS threads, SB_RATE transactions/s, 0 = as fast as it goes); lag sampled
#                           every LAG_POLL s (default 0.25) with pt-heartbeat (--update every 0.1 s on the source,
#                           --monitor on each replica); prints lag p50/p99/max and how long after the load stopped each
#                           replica had applied everything the source had written by then
#   WORKER_COUNTS="1 4"     Tidemark runs, one per worker count, each into its own target server
#   SAFE_MODE_DURATION=0s   Tidemark's safeModeDuration: DM's default 60s would replay this whole run in safe mode
#                           (REPLACE, DELETE+REPLACE), which native replication never does; 0s compares like with like
#   BUILD=auto              auto: mvn package when a source is newer than the jar | always | never
#   TIDEMARK_JAR=…          the launcher jar (default deploy/target/tidemark-standalone.jar; a custom one is not built)
#   JAVA_OPTS=…             extra JVM options for Tidemark (e.g. -Xmx2g)
#   STEP_TIMEOUT=600        seconds any single step (start-up, workload, catch-up) may take before the run fails
#   POLL=0.2                seconds between polls of the two replicas' positions (the timing resolution)
#   LOG_DIR=bench/logs/…    where every log and the result go (kept); KEEP_WORK=1 keeps the data directories too
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

ROWS="${ROWS:-200000}"
TABLES="${TABLES:-4}"
TXN_ROWS="${TXN_ROWS:-20}"
NATIVE_THREADS="${NATIVE_THREADS:-0}"
WORKER_COUNTS="${WORKER_COUNTS:-1 4}"
WORKLOAD="${WORKLOAD:-mixed}"
SB_THREADS="${SB_THREADS:-4}"
SB_TABLE_SIZE="${SB_TABLE_SIZE:-10000}"
SB_RATE="${SB_RATE:-0}"
LIVE_SECONDS="${LIVE_SECONDS:-0}"
LAG_POLL="${LAG_POLL:-0.25}"
BUILD="${BUILD:-auto}"
DEFAULT_JAR="$ROOT/deploy/target/tidemark-standalone.jar"
TIDEMARK_JAR="${TIDEMARK_JAR:-$DEFAULT_JAR}"
JAVA_OPTS="${JAVA_OPTS:-}"
STEP_TIMEOUT="${STEP_TIMEOUT:-600}"
POLL="${POLL:-0.2}"
LOG_DIR="${LOG_DIR:-$ROOT/bench/logs/replication-$(date +%Y%m%d-%H%M%S)}"
KEEP_WORK="${KEEP_WORK:-0}"
PASS="bench-pw"
REPL_PASS="bench-repl-pw"
DB="bench"
[ "$TXN_ROWS" -ge 2 ] || { echo "TXN_ROWS must be at least 2" >&2; exit 2; }
case "$WORKLOAD" in mixed | sysbench) ;; *) echo "WORKLOAD='$WORKLOAD': use mixed or sysbench" >&2; exit 2 ;; esac
[[ "$LIVE_SECONDS" =~ ^[0-9]+$ ]] || { echo "LIVE_SECONDS='$LIVE_SECONDS': use whole seconds (0 = backlog)" >&2; exit 2; }
[ "$LIVE_SECONDS" -eq 0 ] || WORKLOAD=sysbench # the live goal is defined under sysbench oltp_write_only
for wc in $WORKER_COUNTS; do
  [[ "$wc" =~ ^[0-9]+$ ]] && [ "$wc" -ge 1 ] && [ "$wc" -le 64 ] \
    || { echo "WORKER_COUNTS holds '$wc': use whole numbers from 1 to 64, e.g. WORKER_COUNTS=\"1 4\"" >&2; exit 2; }
done

mkdir -p "$LOG_DIR"
LOG_DIR="$(cd "$LOG_DIR" && pwd)"
exec > >(tee -a "$LOG_DIR/bench.out") 2>&1

WORK="$(mktemp -d /tmp/tidemark-bench-repl.XXXXXX)"
PIDS=()   # processes this script started, stopped in reverse order on exit
JAVA_PID=""

. "$ROOT/bench/lib.sh" # say, fail, start_mariadb, quiesce, digest_source, verify_copy, start_tidemark, post_migration, …
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# 1. prerequisites and build
# ---------------------------------------------------------------------------------------------------------------
. deploy/prereqs.sh
find_tools
if [ "$WORKLOAD" = sysbench ]; then need_command sysbench sysbench; fi
if [ "$LIVE_SECONDS" -gt 0 ]; then need_command pt-heartbeat percona-toolkit; fi
build_if_needed

{
  environment_header
  if [ "$LIVE_SECONDS" -gt 0 ]; then
    echo "workload: LIVE, sysbench oltp_write_only ${LIVE_SECONDS} s, $SB_THREADS threads, rate ${SB_RATE} tps (0 = unthrottled), $TABLES tables x $SB_TABLE_SIZE rows; native slave_parallel_threads=$NATIVE_THREADS; Tidemark workerCount ${WORKER_COUNTS%% *}"
  elif [ "$WORKLOAD" = sysbench ]; then
    echo "workload: backlog of sysbench oltp_write_only, ~$ROWS row changes ($((ROWS / 4)) transactions, $SB_THREADS threads) over $TABLES tables x $SB_TABLE_SIZE rows; native slave_parallel_threads=$NATIVE_THREADS; Tidemark worker counts: $WORKER_COUNTS"
  else
  echo "workload: $ROWS row changes over $TABLES tables, $TXN_ROWS rows per INSERT/UPDATE; native slave_parallel_threads=$NATIVE_THREADS; Tidemark worker counts: $WORKER_COUNTS"
  fi
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) at the start"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# 2. MariaDB servers: a binlog source, a native replica (A) and one Tidemark target per worker count (B1, B4, …)
# ---------------------------------------------------------------------------------------------------------------

init_mariadb_template

SRC_PORT="$(free_port)"
NAT_PORT="$(free_port)"
declare -A TMK_PORT
sid=3
for wc in $WORKER_COUNTS; do TMK_PORT[$wc]="$(free_port)"; done
say "starting MariaDB: source 127.0.0.1:$SRC_PORT (log-bin, ROW, FULL, server-id 1), native replica A :$NAT_PORT (server-id 2), Tidemark's targets $(for wc in $WORKER_COUNTS; do printf 'B%s :%s ' "$wc" "${TMK_PORT[$wc]}"; done)"
# every replica gets the same server settings, so only the applier differs; none writes a binlog
start_mariadb source "$SRC_PORT" 512M --max-connections=200 --server-id=1 \
  --log-bin="$WORK/source/mysql-bin" --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0
NATIVE_OPTS=(--slave-parallel-threads="$NATIVE_THREADS")
[ "$NATIVE_THREADS" -gt 0 ] && NATIVE_OPTS+=(--slave-parallel-mode=optimistic)
start_mariadb native "$NAT_PORT" 512M --max-connections=200 --server-id=2 \
  --relay-log="$WORK/native/relay-bin" --relay-log-index="$WORK/native/relay-bin.index" --skip-slave-start \
  "${NATIVE_OPTS[@]}"
for wc in $WORKER_COUNTS; do
  start_mariadb "tidemark-target-$wc" "${TMK_PORT[$wc]}" 512M --max-connections=200 --server-id=$sid
  sid=$((sid + 1))
done
REPLICA_PORTS=("$NAT_PORT")
for wc in $WORKER_COUNTS; do REPLICA_PORTS+=("${TMK_PORT[$wc]}"); done

SB_OPTS=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$SRC_PORT" --mysql-user=root --mysql-password="$PASS"
  --mysql-db="$DB" --tables="$TABLES" --table-size="$SB_TABLE_SIZE")
# pt-heartbeat's own table (its --create-table definition), on every server before the start position, so that
# neither replica depends on replicating a CREATE TABLE for the lag to be measurable
HEARTBEAT="CREATE TABLE $DB.heartbeat (ts VARCHAR(26) NOT NULL, server_id INT UNSIGNED NOT NULL PRIMARY KEY,
  file VARCHAR(255) DEFAULT NULL, position BIGINT UNSIGNED DEFAULT NULL, relay_master_log_file VARCHAR(255) DEFAULT NULL,
  exec_master_log_pos BIGINT UNSIGNED DEFAULT NULL) ENGINE=InnoDB;"
SCHEMA="CREATE DATABASE $DB CHARACTER SET utf8mb4;"
if [ "$WORKLOAD" = sysbench ]; then
  # sysbench's prepare fills random values: it runs once, on the source, and its tables are copied to every replica
  say "sysbench prepare on the source: $DB.sbtest1…$TABLES x $SB_TABLE_SIZE rows; copied to every replica"
  sql "$SRC_PORT" "$SCHEMA"
  sysbench oltp_write_only "${SB_OPTS[@]}" prepare >"$LOG_DIR/sysbench-prepare.out" 2>&1 \
    || { tail -20 "$LOG_DIR/sysbench-prepare.out"; fail "sysbench prepare failed on the source"; }
  DUMP="$(command -v mariadb-dump || command -v mysqldump)"
  "$DUMP" --protocol=TCP -h 127.0.0.1 -P "$SRC_PORT" -u root --password="$PASS" --single-transaction \
    --skip-add-locks --databases "$DB" >"$WORK/sysbench-tables.sql" || fail "$DUMP of the prepared tables failed"
  for port in "${REPLICA_PORTS[@]}"; do
    timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$port" -u root --password="$PASS" \
      <"$WORK/sysbench-tables.sql" || fail "loading the prepared tables into the replica on port $port failed"
  done
  SCHEMA=""
fi
[ "$LIVE_SECONDS" -eq 0 ] || SCHEMA+="$HEARTBEAT"
[ "$WORKLOAD" = sysbench ] || for t in $(seq 1 "$TABLES"); do
  SCHEMA+="
CREATE TABLE $DB.t$t (
  id BIGINT NOT NULL PRIMARY KEY,
  k INT NOT NULL,
  amount DECIMAL(14,4) NOT NULL,
  name VARCHAR(100) NOT NULL,
  created DATETIME(6) NOT NULL,
  note TEXT NULL,
  KEY k_idx (k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;"
done
say "creating the tables on every server; a replication account on the source"
for port in "$SRC_PORT" "${REPLICA_PORTS[@]}"; do [ -z "$SCHEMA" ] || sql "$port" "$SCHEMA"; done
sql "$SRC_PORT" "CREATE USER 'repl'@'%' IDENTIFIED BY '$REPL_PASS'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'"
read -r START_FILE START_POS _ < <(sql "$SRC_PORT" "SHOW MASTER STATUS")
[ -n "${START_POS:-}" ] || fail "SHOW MASTER STATUS on the source returned nothing: is log-bin on?"
say "every replica starts at $START_FILE:$START_POS"

# ---------------------------------------------------------------------------------------------------------------
# positions: "file:pos" compared by file sequence number, then offset (as common's BinlogPosition)
# ---------------------------------------------------------------------------------------------------------------
at_or_past() { # file pos end-file end-pos → true when file:pos >= end-file:end-pos
  [ -n "$1" ] && [ -n "$2" ] && [ "$1" != NULL ] && [ "$2" != NULL ] || return 1
  local s="${1##*.}" es="${3##*.}"
  s=$((10#$s)); es=$((10#$es))
  [ "$s" -gt "$es" ] || { [ "$s" -eq "$es" ] && [ "$2" -ge "$4" ]; }
}
slave_field() { # SHOW SLAVE STATUS output (vertical) → one field's value
  sed -n "s/^ *$2: //p" <<<"$1" | head -1
}
slave_status() { sql "$NAT_PORT" "SHOW SLAVE STATUS\\G" --column-names 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------------------------
# 3. the native replica is pointed at the start, not started; Tidemark's standalone is started, no migration yet
# ---------------------------------------------------------------------------------------------------------------
say "native replica A: CHANGE MASTER TO $START_FILE:$START_POS (started once the backlog is written)"
sql "$NAT_PORT" "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$SRC_PORT, MASTER_USER='repl',
  MASTER_PASSWORD='$REPL_PASS', MASTER_LOG_FILE='$START_FILE', MASTER_LOG_POS=$START_POS, MASTER_USE_GTID=no"
start_tidemark "$WORK/tidemark"

cpu_secs() { # pid → CPU seconds (user + system) it has used so far, from /proc
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.1f", ($12 + $13) / hz }' "/proc/$1/stat"
}
cpu_used() { # pid cpu-before seconds → "CPU s (share of one core)"
  awk -v a="$2" -v b="$(cpu_secs "$1")" -v s="$3" 'BEGIN { printf "%.1f (%.0f%%)", b - a, (s > 0 ? 100 * (b - a) / s : 0) }'
}

status() { curl -s --max-time 10 -H "Authorization: Bearer $API_TOKEN" "$API/api/v1/migrations/$MID" || true; }
fail_if_tidemark_failed() { # status JSON
  local phase; phase="$(jq -r '.phase // empty' <<<"$1" 2>/dev/null || true)"
  case "$phase" in
    failed | stopped | completed)
      echo "$1" >"$LOG_DIR/tidemark-status-$WC.json"
      fail "Tidemark migration $MID is $phase: $(jq -r '.error // {} | "\(.code): \(.message) — \(.remedy)"' <<<"$1")" ;;
  esac
  kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$TIDEMARK_OUT"; fail "Tidemark exited"; }
}
checkpoint() { # port → "file pos" of the checkpoint on that target (it covers every row committed before it)
  sql "$1" "SELECT binlog_file, binlog_pos FROM tidemark_meta.replication_checkpoints
    WHERE task_id LIKE '%$MID%' ORDER BY updated_at DESC LIMIT 1" 2>/dev/null || true
}

tidemark_body() { # worker-count target-port → the POST body of a mode-incremental migration from the start position
  jq -n --arg sp "$SRC_PORT" --arg tp "$2" --arg pw "$PASS" --arg db "$DB" --arg wc "$1" \
    --arg file "$START_FILE" --arg pos "$START_POS" --arg smd "${SAFE_MODE_DURATION:-0s}" '{
    name: ("bench replication workerCount " + $wc), mode: "incremental", safeModeDuration: $smd,
    workerCount: ($wc | tonumber), start: {file: $file, pos: ($pos | tonumber)},
    source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
    target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
    filter: [($db + ".*")] }'
}
await_claim() { # port: waits for the migration's checkpoint row on that target (its claim) → C_T0
  while [ -z "$(checkpoint "$1")" ]; do
    fail_if_tidemark_failed "$(status)"
    older_than "$P_T0" 120 && fail "Tidemark migration $MID claimed no checkpoint within 120 s"
    sleep 0.05
  done
  C_T0="$(now)"
}

. "$ROOT/bench/replication-live.sh" # live_run: LIVE_SECONDS > 0 measures lag under load instead of a backlog
[ "$LIVE_SECONDS" -eq 0 ] || { live_run; exit 0; }

# ---------------------------------------------------------------------------------------------------------------
# 4. the workload, generated as SQL: per round and table an INSERT of TXN_ROWS new rows, an UPDATE of the previous
#    round's rows by PK range and a DELETE of half of the rows two rounds back; odd rounds wrap the three in one
#    transaction, even rounds commit each statement alone
# ---------------------------------------------------------------------------------------------------------------
if [ "$WORKLOAD" = mixed ]; then
B="$TXN_ROWS"; H=$((TXN_ROWS / 2))
read -r -d '' INSERT_TPL <<'SQL' || true
INSERT INTO bench.t@T@ (id, k, amount, name, created, note)
SELECT seq, (seq * 7919 + @T@) % 1000003, (seq * 104729 % 100000000) / 10000 - 5000,
       CONCAT(ELT(1 + seq % 5, 'Zoë', '渋谷区', 'Łódź', '🙂 smile', 'plain'), ' #', seq),
       TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 37 SECOND + INTERVAL (seq * 7919) % 1000000 MICROSECOND,
       IF(seq % 10 = 0, NULL, CONCAT(REPEAT(MD5(seq + @T@), 3), ' it''s "q" \\ back\nslash\t', seq))
FROM seq_@LO@_to_@HI@;
SQL
read -r -d '' UPDATE_TPL <<'SQL' || true
UPDATE bench.t@T@ SET k = k + 1, amount = amount * 1.01 + 0.5, name = CONCAT('upd ', id, ' ✓ Zoë'),
       created = created + INTERVAL 1 SECOND, note = IF(id % 7 = 0, NULL, CONCAT('u ', MD5(id), ' it''s \\ "q"'))
WHERE id BETWEEN @LO@ AND @HI@;
SQL
DELETE_TPL='DELETE FROM bench.t@T@ WHERE id BETWEEN @LO@ AND @HI@;'
fill() { # template table lo hi
  local s="${1//@T@/$2}"; s="${s//@LO@/$3}"; printf '%s\n' "${s//@HI@/$4}"
}

say "generating the workload ($ROWS row changes)"
CHANGES=0; INSERTED=0; DELETED=0; TXNS=0; ROUNDS=0
{
  echo "USE $DB; SET SESSION time_zone = '+00:00';"
  r=0
  while [ "$CHANGES" -lt "$ROWS" ]; do
    for t in $(seq 1 "$TABLES"); do
      n=0
      [ $((r % 2)) -eq 1 ] && echo "BEGIN;"
      fill "$INSERT_TPL" "$t" $((r * B + 1)) $(((r + 1) * B)); n=$((n + 1))
      CHANGES=$((CHANGES + B)); INSERTED=$((INSERTED + B))
      if [ "$r" -ge 1 ]; then
        fill "$UPDATE_TPL" "$t" $(((r - 1) * B + 1)) $((r * B)); n=$((n + 1)); CHANGES=$((CHANGES + B))
      fi
      if [ "$r" -ge 2 ]; then
        fill "$DELETE_TPL" "$t" $(((r - 2) * B + 1)) $(((r - 2) * B + H)); n=$((n + 1))
        CHANGES=$((CHANGES + H)); DELETED=$((DELETED + H))
      fi
      if [ $((r % 2)) -eq 1 ]; then echo "COMMIT;"; TXNS=$((TXNS + 1)); else TXNS=$((TXNS + n)); fi
    done
    r=$((r + 1))
  done
  ROUNDS="$r"
} >"$WORK/workload.sql"   # a brace group runs in this shell: the counters stay set
INSERTED=$((INSERTED / TABLES)); DELETED=$((DELETED / TABLES))   # per table
say "workload: $CHANGES row changes in $TXNS transactions ($ROUNDS rounds x $TABLES tables), $(du -k "$WORK/workload.sql" | cut -f1) KiB of SQL"


say "running the workload on the source (one client session, as fast as the source takes it; no replica applies yet)"
W_T0="$(now)"
timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$SRC_PORT" -u root --password="$PASS" \
  --default-character-set=utf8mb4 <"$WORK/workload.sql" >"$LOG_DIR/workload.out" 2>&1 \
  || { tail -20 "$LOG_DIR/workload.out"; fail "the workload failed on the source"; }
else
  # sysbench oltp_write_only: per transaction an UPDATE of an indexed column, an UPDATE of a non-indexed one, and a
  # DELETE + INSERT of one row — four row changes; its threads write concurrently, as an application does
  say "running sysbench oltp_write_only on the source: $((ROWS / 4)) transactions, $SB_THREADS threads (no replica applies yet)"
  W_T0="$(now)"
  timeout "$STEP_TIMEOUT" sysbench oltp_write_only "${SB_OPTS[@]}" --threads="$SB_THREADS" --events=$((ROWS / 4)) \
    --time=0 run >"$LOG_DIR/workload.out" 2>&1 || { tail -20 "$LOG_DIR/workload.out"; fail "sysbench run failed on the source"; }
  TXNS="$(awk '/transactions:/ { print $2; exit }' "$LOG_DIR/workload.out")"
  CHANGES=$((TXNS * 4)); ROUNDS=0; INSERTED=0; DELETED=0
fi
W_T1="$(now)"
read -r END_FILE END_POS _ < <(sql "$SRC_PORT" "SHOW MASTER STATUS")
W_SECS="$(secs "$W_T0" "$W_T1")"
BINLOG_MIB="$(sql "$SRC_PORT" "SHOW BINARY LOGS" | awk '{s += $2} END {printf "%.0f", s / 1048576}')"
say "workload done in $W_SECS s; the backlog ends at $END_FILE:$END_POS ($BINLOG_MIB MiB of binlog in all)"

digest_source "$SRC_PORT"
for t in $SRC_TABLES; do
  # the workload did what it was counted as doing (sysbench deletes and re-inserts: its tables keep their size)
  left=$((INSERTED - DELETED)); [ "$WORKLOAD" = mixed ] || left="$SB_TABLE_SIZE"
  [ "${SRC_DIGEST[$t]%% *}" -eq "$left" ] || fail "source $t has ${SRC_DIGEST[$t]%% *} rows, the workload should have left $left"
done

# ---------------------------------------------------------------------------------------------------------------
# 6. each replica applies the backlog alone; its clock starts when it starts applying and stops when it is at or past
#    the end position (polled every POLL s); it is verified against the source at once
# ---------------------------------------------------------------------------------------------------------------
quiesce "$SRC_PORT" "${REPLICA_PORTS[@]}"
say "native replica A: START SLAVE"
N_CPU0="$(cpu_secs "${MARIADB_PIDS[native]}")"; SRC_CPU0="$(cpu_secs "${MARIADB_PIDS[source]}")"
sql "$NAT_PORT" "START SLAVE"
N_T0="$(now)"; LAST_REPORT="$N_T0"
while :; do
  ST="$(slave_status)"
  T="$(now)"
  if at_or_past "$(slave_field "$ST" Relay_Master_Log_File)" "$(slave_field "$ST" Exec_Master_Log_Pos)" "$END_FILE" "$END_POS"; then
    N_DONE="$T"; break
  fi
  if [ "$(slave_field "$ST" Slave_SQL_Running)" = No ] || [ "$(slave_field "$ST" Slave_IO_Running)" = No ]; then
    echo "$ST" >"$LOG_DIR/native-slave-status.txt"
    fail "native replica A stopped: IO $(slave_field "$ST" Last_IO_Error) SQL $(slave_field "$ST" Last_SQL_Error)"
  fi
  older_than "$N_T0" "$STEP_TIMEOUT" && fail "native replica A not at the end within $STEP_TIMEOUT s"
  if older_than "$LAST_REPORT" 10; then
    say "  $(secs "$N_T0" "$T") s: native at $(slave_field "$ST" Exec_Master_Log_Pos) (end $END_POS)"; LAST_REPORT="$T"
  fi
  sleep "$POLL"
done
N_APPLY="$(secs "$N_T0" "$N_DONE")"
N_CPU="replica $(cpu_used "${MARIADB_PIDS[native]}" "$N_CPU0" "$N_APPLY"), source $(cpu_used "${MARIADB_PIDS[source]}" "$SRC_CPU0" "$N_APPLY")"
say "  native replica A at the end position after $N_APPLY s"
sql "$NAT_PORT" "SHOW SLAVE STATUS\\G" --column-names >"$LOG_DIR/native-slave-status.txt" || true
A_RSS="$(peak_rss "${MARIADB_PIDS[native]}")"
sql "$NAT_PORT" "STOP SLAVE" # idle from here on, like the Tidemark runs before the next one
verify_copy native "$NAT_PORT"

declare -A T_APPLY T_POST T_SAFE T_CPU
for WC in $WORKER_COUNTS; do
  PORT="${TMK_PORT[$WC]}"
  quiesce "${REPLICA_PORTS[@]}"
  BODY="$(tidemark_body "$WC" "$PORT")"
  say "Tidemark, workerCount $WC: POST /api/v1/migrations (mode incremental from $START_FILE:$START_POS into B$WC :$PORT)"
  P_T0="$(now)"
  post_migration "$BODY"
  # its clock starts at the claim: the checkpoint row on the target (prechecks and Kafka before it are not applying)
  await_claim "$PORT"; LAST_REPORT="$C_T0"
  J_CPU0="$(cpu_secs "$JAVA_PID")"; B_CPU0="$(cpu_secs "${MARIADB_PIDS[tidemark-target-$WC]}")"
  SRC_CPU0="$(cpu_secs "${MARIADB_PIDS[source]}")"
  say "  claimed $(secs "$P_T0" "$C_T0") s after the POST"
  while :; do
    read -r CP_FILE CP_POS < <(checkpoint "$PORT") || true
    T="$(now)"
    at_or_past "${CP_FILE:-}" "${CP_POS:-}" "$END_FILE" "$END_POS" && break
    fail_if_tidemark_failed "$(status)"
    older_than "$C_T0" "$STEP_TIMEOUT" && fail "Tidemark workerCount $WC not at the end within $STEP_TIMEOUT s (checkpoint ${CP_FILE:-}:${CP_POS:-})"
    if older_than "$LAST_REPORT" 10; then
      say "  $(secs "$C_T0" "$T") s: checkpoint at ${CP_POS:-?} (end $END_POS)"; LAST_REPORT="$T"
    fi
    sleep "$POLL"
  done
  T_APPLY[$WC]="$(secs "$C_T0" "$T")"; T_POST[$WC]="$(secs "$P_T0" "$T")"
  T_CPU[$WC]="JVM $(cpu_used "$JAVA_PID" "$J_CPU0" "${T_APPLY[$WC]}"), target B$WC $(cpu_used "${MARIADB_PIDS[tidemark-target-$WC]}" "$B_CPU0" "${T_APPLY[$WC]}"), source $(cpu_used "${MARIADB_PIDS[source]}" "$SRC_CPU0" "${T_APPLY[$WC]}")"
  STATUS="$(status)"; echo "$STATUS" >"$LOG_DIR/tidemark-status-$WC.json"
  T_SAFE[$WC]="$(jq -r '.safeMode' <<<"$STATUS")"
  say "  Tidemark workerCount $WC at the end position after ${T_APPLY[$WC]} s (${T_POST[$WC]} s after its POST)"
  verify_copy "tidemark-$WC" "$PORT"
  # stop it, so the next run has the machine to itself
  curl -s --max-time 30 -H "Authorization: Bearer $API_TOKEN" -XPOST "$API/api/v1/migrations/$MID/stop" >/dev/null || true
done
J_RSS="$(peak_rss "$JAVA_PID")"

# ---------------------------------------------------------------------------------------------------------------
# 7. the result
# ---------------------------------------------------------------------------------------------------------------
rate() { awk -v n="$CHANGES" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
FIRST_WC="${WORKER_COUNTS%% *}"
{
  echo
  if [ "$WORKLOAD" = mixed ]; then
    WHAT="$CHANGES row changes ($((INSERTED * TABLES)) inserted, $(((ROUNDS - 1) * TXN_ROWS * TABLES)) updated, $((DELETED * TABLES)) deleted)"
  else
    WHAT="sysbench oltp_write_only, $CHANGES row changes ($TXNS transactions x 2 updates + 1 delete + 1 insert, $SB_THREADS threads)"
  fi
  echo "== replication backlog: $WHAT in $TXNS transactions over $TABLES tables, $BINLOG_MIB MiB of binlog, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
  printf '%-34s %8s %9s  %s\n' replica "apply s" "rows/s" "peak RSS MiB"
  printf '%-34s %8s %9s  %s\n' "(source: writing the workload)" "$W_SECS" "$(rate "$W_SECS")" "-"
  printf '%-34s %8s %9s  %s\n' "native (slave_parallel_threads=$NATIVE_THREADS)" "$N_APPLY" "$(rate "$N_APPLY")" \
    "$A_RSS (replica mariadbd A: server + applier)"
  for wc in $WORKER_COUNTS; do
    printf '%-34s %8s %9s  %s\n' "tidemark (workerCount $wc)" "${T_APPLY[$wc]}" "$(rate "${T_APPLY[$wc]}")" \
      "target mariadbd B$wc $(peak_rss "${MARIADB_PIDS[tidemark-target-$wc]}")"
  done
  echo "Tidemark's JVM (Kafka broker + 4 services) peaked at $J_RSS MiB over all its runs"
  echo "CPU seconds while applying (share of one core): native: $N_CPU"
  for wc in $WORKER_COUNTS; do echo "  tidemark workerCount $wc: ${T_CPU[$wc]}"; done
  for wc in $WORKER_COUNTS; do
    echo "ratio tidemark workerCount $wc / native apply time: $(ratio "${T_APPLY[$wc]}" "$N_APPLY") (lower is better; from its POST: $(ratio "${T_POST[$wc]}" "$N_APPLY"), safeMode ${T_SAFE[$wc]})"
  done
  for wc in $WORKER_COUNTS; do
    [ "$wc" = "$FIRST_WC" ] && continue
    echo "ratio workerCount $wc / workerCount $FIRST_WC apply time: $(ratio "${T_APPLY[$wc]}" "${T_APPLY[$FIRST_WC]}") (lower is better)"
  done
  echo "every replica verified: row count + checksum of every table equal to the source"
  echo "(apply = from the replica's start — START SLAVE; Tidemark's checkpoint claim — until it had applied up to $END_FILE:$END_POS:"
  echo " native Exec_Master_Log_Pos, Tidemark's checkpoint row, which covers every row its workers committed; polled every ${POLL} s)"
} | tee "$LOG_DIR/result.txt"
