#!/usr/bin/env bash
# Benchmark: Tidemark's binlog replication (mode `incremental`, dm-service) against MariaDB's native replication, on
# the same workload, from the same binlog position of the same source, in the same run. Prints for each replica the
# time from the start of the workload until it has applied everything up to the source's end position, rows/s, the
# catch-up time after the workload ended, peak RSS, and the ratio tidemark / native: LOWER IS BETTER for Tidemark.
# The machine is shared and noisy: compare only ratios taken within one run, never absolute seconds across runs.
#
# Knobs (environment):
#   ROWS=200000             row changes the workload makes in total (inserts + updates + deletes, all tables)
#   TABLES=4                tables the workload spreads over
#   TXN_ROWS=20             rows an INSERT or UPDATE statement touches (a DELETE touches half of that)
#   NATIVE_THREADS=0        slave_parallel_threads of the native replica (0 = MariaDB's default: one SQL thread)
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

mkdir -p "$LOG_DIR"
LOG_DIR="$(cd "$LOG_DIR" && pwd)"
exec > >(tee -a "$LOG_DIR/bench.out") 2>&1

WORK="$(mktemp -d /tmp/tidemark-bench-repl.XXXXXX)"
PIDS=()   # processes this script started, stopped in reverse order on exit
JAVA_PID=""

. "$ROOT/bench/lib.sh" # say, fail, now, secs, stop_pid, needs_build, free_port, sql, digest, tables_of, ratio
older_than() { awk -v a="$1" -v b="$(now)" -v l="$2" 'BEGIN { exit !(b - a > l) }'; } # t0 limit: true once past

cleanup() {
  local rc=$? i
  set +e
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  [ -f "$WORK/tidemark/tidemark.log" ] && cp "$WORK/tidemark/tidemark.log" "$LOG_DIR/tidemark.log"
  for d in source native tidemark-target; do
    [ -f "$WORK/$d/error.log" ] && cp "$WORK/$d/error.log" "$LOG_DIR/mariadb-$d.err"
  done
  if [ "$KEEP_WORK" = 1 ]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  [ "$rc" -ne 0 ] && printf '✗ benchmark FAILED (exit %s); logs: %s\n' "$rc" "$LOG_DIR" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# 1. prerequisites and build
# ---------------------------------------------------------------------------------------------------------------
. deploy/prereqs.sh
command -v jq >/dev/null 2>&1 || { say "installing jq"; _tm_apt jq; }
command -v curl >/dev/null 2>&1 || { say "installing curl"; _tm_apt curl; }
MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
INSTALL_DB="$(command -v mariadb-install-db || echo /usr/bin/mariadb-install-db)"
MARIADB="$(command -v mariadb || command -v mysql)"

if needs_build; then
  say "building (mvn -B -q -DskipTests package; log: $LOG_DIR/build.log)"
  timeout "$STEP_TIMEOUT" mvn -B -q -DskipTests package >"$LOG_DIR/build.log" 2>&1 \
    || { tail -30 "$LOG_DIR/build.log"; fail "build failed"; }
fi
[ -f "$TIDEMARK_JAR" ] || fail "no launcher jar at $TIDEMARK_JAR"

USER_OPT=()
[ "$(id -u)" -eq 0 ] && USER_OPT=(--user=root)

{
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host:     $(uname -n), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
  echo "repo:     HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
  echo "jar:      $TIDEMARK_JAR ($(date -r "$TIDEMARK_JAR" +%Y-%m-%dT%H:%M:%S)$([ "$TIDEMARK_JAR" = "$DEFAULT_JAR" ] || echo ', given: not built from this tree'))"
  echo "java:     $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "mariadb:  $("$MARIADBD" --version | sed 's/^.*Ver //')"
  echo "workload: $ROWS row changes over $TABLES tables, $TXN_ROWS rows per INSERT/UPDATE; native slave_parallel_threads=$NATIVE_THREADS"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# 2. three MariaDB servers: a binlog source, a native replica (A) and Tidemark's target (B)
# ---------------------------------------------------------------------------------------------------------------

say "initialising a MariaDB data directory"
timeout 300 "$INSTALL_DB" --no-defaults --datadir="$WORK/template" --auth-root-authentication-method=normal \
  --skip-test-db "${USER_OPT[@]}" >"$LOG_DIR/install-db.log" 2>&1 || { cat "$LOG_DIR/install-db.log"; fail "mariadb-install-db failed"; }

declare -A MARIADB_PIDS
start_mariadb() { # name role(source|native|tidemark) port server-id
  local name="$1" role="$2" port="$3" id="$4" dir="$WORK/$1" i pid
  cp -a "$WORK/template" "$dir"
  # install-db's root@127.0.0.1 (no password) would shadow root@'%' for TCP logins: drop it
  cat >"$dir/init.sql" <<EOF
DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', ''@'localhost', ''@'%';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$PASS';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
EOF
  # both replicas get the same server settings, so only the applier differs
  local opts=(--no-defaults --datadir="$dir" --port="$port" --bind-address=127.0.0.1 --socket="$dir/mysqld.sock"
    --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" --init-file="$dir/init.sql" --skip-name-resolve
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --default-time-zone=+00:00
    --innodb-buffer-pool-size=512M --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=2
    --innodb-doublewrite=0 --max-connections=200 --max-allowed-packet=256M --server-id="$id" "${USER_OPT[@]}")
  case "$role" in
    source) opts+=(--log-bin="$dir/mysql-bin" --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0) ;;
    native) opts+=(--relay-log="$dir/relay-bin" --relay-log-index="$dir/relay-bin.index" --skip-slave-start
      --slave-parallel-threads="$NATIVE_THREADS") ;;
    tidemark) ;;
  esac
  "$MARIADBD" "${opts[@]}" >"$dir/stdout.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  MARIADB_PIDS[$name]="$pid"
  for i in $(seq 1 600); do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/error.log"; fail "mariadbd $name exited at start"; }
    if [ -f "$dir/mysqld.pid" ] && sql "$port" "SELECT 1" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  tail -20 "$dir/error.log"
  fail "mariadbd $name did not accept connections within 60 s"
}

SRC_PORT="$(free_port)"
NAT_PORT="$(free_port)"
TMK_PORT="$(free_port)"
say "starting MariaDB: source 127.0.0.1:$SRC_PORT (log-bin, ROW, FULL, server-id 1), native replica A :$NAT_PORT (server-id 2), Tidemark's target B :$TMK_PORT (server-id 3)"
start_mariadb source source "$SRC_PORT" 1
start_mariadb native native "$NAT_PORT" 2
start_mariadb tidemark-target tidemark "$TMK_PORT" 3

SCHEMA="CREATE DATABASE $DB CHARACTER SET utf8mb4;"
for t in $(seq 1 "$TABLES"); do
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
say "creating $DB.t1…t$TABLES on all three servers; a replication account on the source"
for port in "$SRC_PORT" "$NAT_PORT" "$TMK_PORT"; do sql "$port" "$SCHEMA"; done
sql "$SRC_PORT" "CREATE USER 'repl'@'%' IDENTIFIED BY '$REPL_PASS'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'"
read -r START_FILE START_POS _ < <(sql "$SRC_PORT" "SHOW MASTER STATUS")
[ -n "${START_POS:-}" ] || fail "SHOW MASTER STATUS on the source returned nothing: is log-bin on?"
say "both replicas start at $START_FILE:$START_POS"

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
# 3. replica A: MariaDB native replication
# ---------------------------------------------------------------------------------------------------------------
say "native replica A: CHANGE MASTER TO $START_FILE:$START_POS; START SLAVE"
sql "$NAT_PORT" "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$SRC_PORT, MASTER_USER='repl',
  MASTER_PASSWORD='$REPL_PASS', MASTER_LOG_FILE='$START_FILE', MASTER_LOG_POS=$START_POS, MASTER_USE_GTID=no;
  START SLAVE"
T="$(now)"
while :; do
  ST="$(slave_status)"
  [ "$(slave_field "$ST" Slave_IO_Running)" = Yes ] && [ "$(slave_field "$ST" Slave_SQL_Running)" = Yes ] && break
  older_than "$T" 60 && { echo "$ST"; fail "native replica A did not start replicating within 60 s"; }
  sleep 0.2
done

# ---------------------------------------------------------------------------------------------------------------
# 4. replica B: Tidemark standalone (in-process Kafka + the four services in one JVM), a migration in mode incremental
# ---------------------------------------------------------------------------------------------------------------
API_PORT="$(free_port)"
API="http://127.0.0.1:$API_PORT"
say "starting Tidemark on $API (log: $LOG_DIR/tidemark.out, tidemark.log)"
mkdir -p "$WORK/tidemark"
# shellcheck disable=SC2086 # the JAVA_OPTS lists are lists of options
TIDEMARK_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" "$JAVA_HOME/bin/java" $TM_JAVA_OPTS $JAVA_OPTS \
  -jar "$TIDEMARK_JAR" --port="$API_PORT" --data-dir="$WORK/tidemark" >"$LOG_DIR/tidemark.out" 2>&1 &
JAVA_PID=$!
PIDS+=("$JAVA_PID")
J_START="$(now)"
while :; do
  kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$LOG_DIR/tidemark.out"; fail "Tidemark exited at start"; }
  [ "$(curl -s --max-time 2 "$API/actuator/health" | jq -r '.status // empty' 2>/dev/null)" = UP ] && break
  older_than "$J_START" 180 && { tail -30 "$LOG_DIR/tidemark.out"; fail "Tidemark not healthy within 180 s"; }
  sleep 0.5
done
say "Tidemark healthy after $(secs "$J_START" "$(now)") s (not counted)"

BODY="$(jq -n --arg sp "$SRC_PORT" --arg tp "$TMK_PORT" --arg pw "$PASS" --arg db "$DB" \
  --arg file "$START_FILE" --arg pos "$START_POS" '{
  name: "bench replication", mode: "incremental",
  start: {file: $file, pos: ($pos | tonumber)},
  source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
  target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
  filter: [($db + ".*")] }')"
say "POST /api/v1/migrations (mode incremental from $START_FILE:$START_POS, filter $DB.*)"
RESP="$(curl -s --max-time 30 -w '\n%{http_code}' -XPOST "$API/api/v1/migrations" -H 'Content-Type: application/json' -d "$BODY")"
CODE="${RESP##*$'\n'}"; RESP="${RESP%$'\n'*}"
[ "$CODE" = 201 ] || fail "POST /api/v1/migrations answered $CODE: $RESP"
MID="$(jq -r .id <<<"$RESP")"
say "migration $MID accepted"

status() { curl -s --max-time 10 "$API/api/v1/migrations/$MID" || true; }
fail_if_tidemark_failed() { # status JSON
  local phase; phase="$(jq -r '.phase // empty' <<<"$1" 2>/dev/null || true)"
  case "$phase" in
    failed | stopped | completed)
      echo "$1" >"$LOG_DIR/tidemark-status.json"
      fail "Tidemark migration $MID is $phase: $(jq -r '.error // {} | "\(.code): \(.message) — \(.remedy)"' <<<"$1")" ;;
  esac
  kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$LOG_DIR/tidemark.out"; fail "Tidemark exited"; }
}
checkpoint() { # B's replication checkpoint → "file pos" (it commits with the rows it covers)
  sql "$TMK_PORT" "SELECT binlog_file, binlog_pos FROM tidemark_meta.replication_checkpoints
    WHERE task_id LIKE '%$MID%' ORDER BY updated_at DESC LIMIT 1" 2>/dev/null || true
}

# ready = phase replicating, dm-service has claimed its checkpoint on B and reported a position
T="$(now)"
while :; do
  STATUS="$(status)"
  fail_if_tidemark_failed "$STATUS"
  if [ "$(jq -r '.phase // empty' <<<"$STATUS")" = replicating ] && [ -n "$(checkpoint)" ] \
    && [ -n "$(jq -r '.positions.replication.file // empty' <<<"$STATUS")" ]; then break; fi
  older_than "$T" 120 && { echo "$STATUS" >"$LOG_DIR/tidemark-status.json"; fail "Tidemark migration $MID not replicating within 120 s (phase $(jq -r '.phase' <<<"$STATUS"))"; }
  sleep 0.5
done
say "Tidemark replicating after $(secs "$T" "$(now)") s (not counted); checkpoint on B: $(checkpoint | tr '\t' ':')"

# ---------------------------------------------------------------------------------------------------------------
# 5. the workload, generated as SQL: per round and table an INSERT of TXN_ROWS new rows, an UPDATE of the previous
#    round's rows by PK range and a DELETE of half of the rows two rounds back; odd rounds wrap the three in one
#    transaction, even rounds commit each statement alone
# ---------------------------------------------------------------------------------------------------------------
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

quiesce() { # let InnoDB flush its dirty pages on every server (bounded to ~30 s each), then a short settle
  local port pct lwm cap capmax dirty i
  for port in "$SRC_PORT" "$NAT_PORT" "$TMK_PORT"; do
    read -r pct lwm cap capmax < <(sql "$port" "SELECT @@GLOBAL.innodb_max_dirty_pages_pct, @@GLOBAL.innodb_max_dirty_pages_pct_lwm, @@GLOBAL.innodb_io_capacity, @@GLOBAL.innodb_io_capacity_max")
    sql "$port" "SET GLOBAL innodb_io_capacity_max = 100000; SET GLOBAL innodb_io_capacity = 100000;
      SET GLOBAL innodb_max_dirty_pages_pct_lwm = 0; SET GLOBAL innodb_max_dirty_pages_pct = 0"
    for i in $(seq 1 60); do
      dirty="$(sql "$port" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'INNODB_BUFFER_POOL_PAGES_DIRTY'")"
      [ "$dirty" -le 16 ] && break
      sleep 0.5
    done
    sql "$port" "SET GLOBAL innodb_max_dirty_pages_pct = $pct; SET GLOBAL innodb_max_dirty_pages_pct_lwm = $lwm;
      SET GLOBAL innodb_io_capacity = $cap; SET GLOBAL innodb_io_capacity_max = $capmax"
    [ "$dirty" -le 16 ] || say "  (port $port still has $dirty dirty pages after 30 s)"
  done
  sync
  sleep 2
  say "quiet (load average $(cut -d' ' -f1-3 /proc/loadavg))"
}
quiesce

say "running the workload on the source (one client session, as fast as the source takes it)"
W_T0="$(now)"
timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$SRC_PORT" -u root --password="$PASS" \
  --default-character-set=utf8mb4 <"$WORK/workload.sql" >"$LOG_DIR/workload.out" 2>&1 \
  || { tail -20 "$LOG_DIR/workload.out"; fail "the workload failed on the source"; }
W_T1="$(now)"
read -r END_FILE END_POS _ < <(sql "$SRC_PORT" "SHOW MASTER STATUS")
W_SECS="$(secs "$W_T0" "$W_T1")"
BINLOG_MIB="$(sql "$SRC_PORT" "SHOW BINARY LOGS" | awk '{s += $2} END {printf "%.0f", s / 1048576}')"
say "workload done in $W_SECS s; source end position $END_FILE:$END_POS ($BINLOG_MIB MiB of binlog in all)"

# ---------------------------------------------------------------------------------------------------------------
# 6. wait until each replica has applied up to the end position; the workload's start is every clock's zero.
#    The end position exists only once the workload has finished, so polling from then on misses nothing.
# ---------------------------------------------------------------------------------------------------------------
N_DONE=""; T_DONE=""; API_DONE=""; LAST_REPORT="$W_T1"
while [ -z "$N_DONE" ] || [ -z "$T_DONE" ] || [ -z "$API_DONE" ]; do
  if [ -z "$N_DONE" ]; then
    ST="$(slave_status)"
    T="$(now)"
    if at_or_past "$(slave_field "$ST" Relay_Master_Log_File)" "$(slave_field "$ST" Exec_Master_Log_Pos)" "$END_FILE" "$END_POS"; then
      N_DONE="$T"; say "  native replica A at the end position: $(secs "$W_T0" "$T") s after the workload started"
    elif [ "$(slave_field "$ST" Slave_SQL_Running)" != Yes ] || [ "$(slave_field "$ST" Slave_IO_Running)" != Yes ]; then
      echo "$ST" >"$LOG_DIR/native-slave-status.txt"
      fail "native replica A stopped: IO $(slave_field "$ST" Last_IO_Error) SQL $(slave_field "$ST" Last_SQL_Error)"
    fi
  fi
  if [ -z "$T_DONE" ]; then
    read -r CP_FILE CP_POS < <(checkpoint) || true
    T="$(now)"
    if at_or_past "${CP_FILE:-}" "${CP_POS:-}" "$END_FILE" "$END_POS"; then
      T_DONE="$T"; say "  Tidemark's checkpoint on B at the end position: $(secs "$W_T0" "$T") s after the workload started"
    fi
  fi
  if [ -z "$API_DONE" ]; then
    STATUS="$(status)"
    T="$(now)"
    fail_if_tidemark_failed "$STATUS"
    if at_or_past "$(jq -r '.positions.replication.file // empty' <<<"$STATUS")" \
      "$(jq -r '.positions.replication.pos // empty' <<<"$STATUS")" "$END_FILE" "$END_POS"; then
      API_DONE="$T"
    fi
  fi
  if older_than "$W_T1" "$STEP_TIMEOUT"; then
    echo "${STATUS:-}" >"$LOG_DIR/tidemark-status.json"
    fail "not caught up within $STEP_TIMEOUT s after the workload: native ${N_DONE:+done}${N_DONE:-at $(slave_field "$(slave_status)" Relay_Master_Log_File):$(slave_field "$(slave_status)" Exec_Master_Log_Pos)}, tidemark ${T_DONE:+done}${T_DONE:-checkpoint $(checkpoint | tr '\t' ':')}, API ${API_DONE:+done}${API_DONE:-$(jq -c '.positions.replication' <<<"${STATUS:-null}")}; end $END_FILE:$END_POS"
  fi
  if older_than "$LAST_REPORT" 10; then
    say "  $(secs "$W_T0" "$(now)") s: native ${N_DONE:+done}${N_DONE:-$(slave_field "$(slave_status)" Exec_Master_Log_Pos)}, tidemark ${T_DONE:+done}${T_DONE:-$(checkpoint | cut -f2)} (end $END_POS)"
    LAST_REPORT="$(now)"
  fi
  sleep "$POLL"
done
echo "$STATUS" >"$LOG_DIR/tidemark-status.json"
sql "$NAT_PORT" "SHOW SLAVE STATUS\\G" --column-names >"$LOG_DIR/native-slave-status.txt" || true
rss() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"; }
J_RSS="$(rss "$JAVA_PID")"; A_RSS="$(rss "${MARIADB_PIDS[native]}")"; B_RSS="$(rss "${MARIADB_PIDS[tidemark-target]}")"

# ---------------------------------------------------------------------------------------------------------------
# 7. verification: row count + checksum per table, as common's TableChecksum (sync-diff-inspector's way)
# ---------------------------------------------------------------------------------------------------------------

SRC_TABLES="$(tables_of "$SRC_PORT")"
declare -A SRC_DIGEST
for t in $SRC_TABLES; do
  SRC_DIGEST[$t]="$(digest "$SRC_PORT" "$t")"
  # the workload did what it was counted as doing
  [ "${SRC_DIGEST[$t]%% *}" -eq $((INSERTED - DELETED)) ] \
    || fail "source $t has ${SRC_DIGEST[$t]%% *} rows, the workload should have left $((INSERTED - DELETED))"
done

verify_replica() { # label port: aborts the benchmark on any difference
  local label="$1" port="$2" t d bad=0 tables
  tables="$(tables_of "$port")"
  if [ "$tables" != "$SRC_TABLES" ]; then
    echo "  tables on source: $SRC_TABLES; on $label: ${tables:-none}"; bad=1
  fi
  for t in $SRC_TABLES; do
    d="$(digest "$port" "$t")"
    if [ "$d" = "${SRC_DIGEST[$t]}" ]; then
      printf '  %-9s %-6s ok   rows=%s checksum=%s\n' "$label" "$t" "${d%% *}" "${d#* }"
    else
      printf '  %-9s %-6s DIFF source=%s replica=%s\n' "$label" "$t" "${SRC_DIGEST[$t]}" "$d"; bad=1
    fi
  done
  [ "$bad" -eq 0 ] || fail "$label: the replica differs from the source: the benchmark result is void"
}
say "verifying both replicas against the source"
verify_replica native "$NAT_PORT"
verify_replica tidemark "$TMK_PORT"

# ---------------------------------------------------------------------------------------------------------------
# 8. the result
# ---------------------------------------------------------------------------------------------------------------
N_APPLY="$(secs "$W_T0" "$N_DONE")"; T_APPLY="$(secs "$W_T0" "$T_DONE")"
N_CATCH="$(secs "$W_T1" "$N_DONE")"; T_CATCH="$(secs "$W_T1" "$T_DONE")"
rate() { awk -v n="$CHANGES" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
{
  echo
  echo "== replication: $CHANGES row changes ($((INSERTED * TABLES)) inserted, $(((ROUNDS - 1) * TXN_ROWS * TABLES)) updated, $((DELETED * TABLES)) deleted) in $TXNS transactions over $TABLES tables, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  printf '%-28s %8s %9s %11s  %s\n' replica "apply s" "rows/s" "catch-up s" "peak RSS MiB"
  printf '%-28s %8s %9s %11s  %s\n' "(source: workload)" "$W_SECS" "$(rate "$W_SECS")" "-" "-"
  printf '%-28s %8s %9s %11s  %s\n' "native (MariaDB replication)" "$N_APPLY" "$(rate "$N_APPLY")" "$N_CATCH" \
    "$A_RSS (replica mariadbd A: server + applier)"
  printf '%-28s %8s %9s %11s  %s\n' "tidemark (dm-service)" "$T_APPLY" "$(rate "$T_APPLY")" "$T_CATCH" \
    "$J_RSS (whole JVM: Kafka broker + 4 services); its target mariadbd B $B_RSS"
  if awk -v c="$N_CATCH" -v p="$POLL" 'BEGIN { exit !(c > p) }'; then
    CATCH_NOTE="catch-up after the workload: $(ratio "$T_CATCH" "$N_CATCH")"
  else
    CATCH_NOTE="catch-up after the workload: tidemark $T_CATCH s; native kept pace with the source (caught up within one poll)"
  fi
  echo "ratio tidemark/native apply time: $(ratio "$T_APPLY" "$N_APPLY") (lower is better)  ($CATCH_NOTE)"
  echo "both replicas verified: row count + checksum of every table equal to the source"
  echo "(apply = workload start until the replica had applied up to $END_FILE:$END_POS: native Exec_Master_Log_Pos, tidemark B's checkpoint row; polled every ${POLL} s."
  echo " Tidemark's API showed positions.replication at the end $(secs "$W_T0" "$API_DONE") s after the workload started (it reports at most once a second); safeMode $(jq -r '.safeMode' <<<"$STATUS"))"
} | tee "$LOG_DIR/result.txt"
