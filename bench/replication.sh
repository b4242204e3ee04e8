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

. "$ROOT/bench/lib.sh" # say, fail, start_mariadb, quiesce, digest_source, verify_copy, start_tidemark, post_migration, …
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# 1. prerequisites and build
# ---------------------------------------------------------------------------------------------------------------
. deploy/prereqs.sh
find_tools
build_if_needed

{
  environment_header
  echo "workload: $ROWS row changes over $TABLES tables, $TXN_ROWS rows per INSERT/UPDATE; native slave_parallel_threads=$NATIVE_THREADS"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# 2. three MariaDB servers: a binlog source, a native replica (A) and Tidemark's target (B)
# ---------------------------------------------------------------------------------------------------------------

init_mariadb_template

SRC_PORT="$(free_port)"
NAT_PORT="$(free_port)"
TMK_PORT="$(free_port)"
say "starting MariaDB: source 127.0.0.1:$SRC_PORT (log-bin, ROW, FULL, server-id 1), native replica A :$NAT_PORT (server-id 2), Tidemark's target B :$TMK_PORT (server-id 3)"
# both replicas get the same server settings, so only the applier differs; neither writes a binlog
start_mariadb source "$SRC_PORT" 512M --max-connections=200 --server-id=1 \
  --log-bin="$WORK/source/mysql-bin" --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0
start_mariadb native "$NAT_PORT" 512M --max-connections=200 --server-id=2 \
  --relay-log="$WORK/native/relay-bin" --relay-log-index="$WORK/native/relay-bin.index" --skip-slave-start \
  --slave-parallel-threads="$NATIVE_THREADS"
start_mariadb tidemark-target "$TMK_PORT" 512M --max-connections=200 --server-id=3

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
start_tidemark "$WORK/tidemark"

BODY="$(jq -n --arg sp "$SRC_PORT" --arg tp "$TMK_PORT" --arg pw "$PASS" --arg db "$DB" \
  --arg file "$START_FILE" --arg pos "$START_POS" --arg smd "${SAFE_MODE_DURATION:-0s}" '{
  name: "bench replication", mode: "incremental", safeModeDuration: $smd,
  start: {file: $file, pos: ($pos | tonumber)},
  source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
  target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
  filter: [($db + ".*")] }')"
say "POST /api/v1/migrations (mode incremental from $START_FILE:$START_POS, filter $DB.*)"
post_migration "$BODY"

status() { curl -s --max-time 10 -H "Authorization: Bearer $API_TOKEN" "$API/api/v1/migrations/$MID" || true; }
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

quiesce "$SRC_PORT" "$NAT_PORT" "$TMK_PORT"

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
J_RSS="$(peak_rss "$JAVA_PID")"; A_RSS="$(peak_rss "${MARIADB_PIDS[native]}")"; B_RSS="$(peak_rss "${MARIADB_PIDS[tidemark-target]}")"

# ---------------------------------------------------------------------------------------------------------------
# 7. verification: row count + checksum per table, as common's TableChecksum (sync-diff-inspector's way)
# ---------------------------------------------------------------------------------------------------------------

digest_source "$SRC_PORT"
for t in $SRC_TABLES; do
  # the workload did what it was counted as doing
  [ "${SRC_DIGEST[$t]%% *}" -eq $((INSERTED - DELETED)) ] \
    || fail "source $t has ${SRC_DIGEST[$t]%% *} rows, the workload should have left $((INSERTED - DELETED))"
done

say "verifying both replicas against the source"
verify_copy native "$NAT_PORT"
verify_copy tidemark "$TMK_PORT"

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
