#!/usr/bin/env bash
# Benchmark: Tidemark's full migration (mode `full`: snapshot + import) against mydumper + myloader, on the same
# data, the same two MariaDB servers, in the same run. Prints wall-clock seconds, rows/s, peak RSS and the ratio
# tidemark / (mydumper+myloader): LOWER IS BETTER for Tidemark (1.0x = as fast; 2.0x = takes twice as long).
# The machine is shared and noisy: compare only ratios taken within one run, never absolute seconds across runs.
#
# Knobs (environment):
#   TABLES=4 ROWS=250000    dataset: TABLES tables of ROWS rows each (mixed types, ~250 bytes a row)
#   THREADS=4               mydumper/myloader threads
#   MYDUMPER_ROWS=0         >0: mydumper --rows=N (split tables into chunks); 0: one file per table
#   BUILD=auto              auto: mvn package when a source is newer than the jar | always | never
#   TIDEMARK_JAR=…          the launcher jar (default deploy/target/tidemark-standalone.jar; a custom one is not built)
#   JAVA_OPTS=…             extra JVM options for Tidemark (e.g. -Xmx2g)
#   STEP_TIMEOUT=900        seconds any single step (fill, dump, load, migration) may take before the run fails
#   POLL=0.5                seconds between status polls of the Tidemark migration (the timing resolution)
#   LOG_DIR=bench/logs/…    where every log and the result go (kept); KEEP_WORK=1 keeps the data directories too
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

TABLES="${TABLES:-4}"
ROWS="${ROWS:-250000}"
THREADS="${THREADS:-4}"
MYDUMPER_ROWS="${MYDUMPER_ROWS:-0}"
BUILD="${BUILD:-auto}"
DEFAULT_JAR="$ROOT/deploy/target/tidemark-standalone.jar"
TIDEMARK_JAR="${TIDEMARK_JAR:-$DEFAULT_JAR}"
JAVA_OPTS="${JAVA_OPTS:-}"
STEP_TIMEOUT="${STEP_TIMEOUT:-900}"
POLL="${POLL:-0.5}"
LOG_DIR="${LOG_DIR:-$ROOT/bench/logs/full-migration-$(date +%Y%m%d-%H%M%S)}"
KEEP_WORK="${KEEP_WORK:-0}"
PASS="bench-pw"
DB="bench"

mkdir -p "$LOG_DIR"
LOG_DIR="$(cd "$LOG_DIR" && pwd)"
exec > >(tee -a "$LOG_DIR/bench.out") 2>&1

WORK="$(mktemp -d /tmp/tidemark-bench.XXXXXX)"
PIDS=()   # processes this script started, stopped in reverse order on exit
JAVA_PID=""

. "$ROOT/bench/lib.sh" # say, fail, now, secs, stop_pid, needs_build, free_port, sql, digest, tables_of, ratio

cleanup() {
  local rc=$? i
  set +e
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  [ -f "$WORK/tidemark/tidemark.log" ] && cp "$WORK/tidemark/tidemark.log" "$LOG_DIR/tidemark.log"
  for d in source target; do [ -f "$WORK/$d/error.log" ] && cp "$WORK/$d/error.log" "$LOG_DIR/mariadb-$d.err"; done
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
command -v mydumper >/dev/null 2>&1 || { say "installing mydumper (with myloader)"; _tm_apt mydumper; }
command -v myloader >/dev/null 2>&1 || fail "myloader not found although mydumper is installed"
[ -x /usr/bin/time ] || { say "installing time (for peak RSS)"; _tm_apt time || true; }
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
  echo "mydumper: $(mydumper --version 2>&1 | head -1)"
  echo "dataset:  $TABLES tables x $ROWS rows; threads $THREADS; mydumper --rows ${MYDUMPER_ROWS/#0/off}"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# 2. two MariaDB servers: a binlog source and a target
# ---------------------------------------------------------------------------------------------------------------

say "initialising a MariaDB data directory"
timeout 300 "$INSTALL_DB" --no-defaults --datadir="$WORK/template" --auth-root-authentication-method=normal \
  --skip-test-db "${USER_OPT[@]}" >"$LOG_DIR/install-db.log" 2>&1 || { cat "$LOG_DIR/install-db.log"; fail "mariadb-install-db failed"; }

start_mariadb() { # name role port buffer-pool → pid into MARIADB_PID
  local name="$1" role="$2" port="$3" pool="$4" dir="$WORK/$1" i
  cp -a "$WORK/template" "$dir"
  # install-db's root@127.0.0.1 (no password) would shadow root@'%' for TCP logins: drop it
  cat >"$dir/init.sql" <<EOF
DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', ''@'localhost', ''@'%';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$PASS';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
EOF
  local opts=(--no-defaults --datadir="$dir" --port="$port" --bind-address=127.0.0.1 --socket="$dir/mysqld.sock"
    --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" --init-file="$dir/init.sql" --skip-name-resolve
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --default-time-zone=+00:00
    --innodb-buffer-pool-size="$pool" --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=2
    --innodb-doublewrite=0 --max-connections=500 --max-allowed-packet=256M "${USER_OPT[@]}")
  if [ "$role" = source ]; then
    opts+=(--log-bin="$dir/mysql-bin" --server-id=1 --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0)
  else
    opts+=(--server-id=2)
  fi
  "$MARIADBD" "${opts[@]}" >"$dir/stdout.log" 2>&1 &
  MARIADB_PID=$!
  PIDS+=("$MARIADB_PID")
  for i in $(seq 1 600); do
    kill -0 "$MARIADB_PID" 2>/dev/null || { tail -20 "$dir/error.log"; fail "mariadbd $name exited at start"; }
    if [ -f "$dir/mysqld.pid" ] && sql "$port" "SELECT 1" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  tail -20 "$dir/error.log"
  fail "mariadbd $name did not accept connections within 60 s"
}

SRC_PORT="$(free_port)"
TGT_PORT="$(free_port)"
say "starting MariaDB source on 127.0.0.1:$SRC_PORT (log-bin, ROW, FULL) and target on 127.0.0.1:$TGT_PORT"
start_mariadb source source "$SRC_PORT" 1G
start_mariadb target target "$TGT_PORT" 1G

say "filling the source: $TABLES tables x $ROWS rows"
FILL_T0="$(now)"
sql "$SRC_PORT" "CREATE DATABASE $DB CHARACTER SET utf8mb4"
for t in $(seq 1 "$TABLES"); do
  # mixed types, NULLs, utf8mb4 (4-byte emoji included), quotes, backslashes and newlines in text
  sed -e "s/@T@/$t/g" -e "s/@ROWS@/$ROWS/g" >"$WORK/fill-$t.sql" <<'SQL'
USE bench;
CREATE TABLE t@T@ (
  id BIGINT NOT NULL PRIMARY KEY,
  k INT NOT NULL,
  qty SMALLINT NULL,
  amount DECIMAL(14,4) NOT NULL,
  code VARCHAR(32) CHARACTER SET ascii NOT NULL,
  name VARCHAR(100) NOT NULL,
  created DATETIME(6) NOT NULL,
  day DATE NULL,
  flag TINYINT(1) NOT NULL,
  note TEXT NULL,
  KEY k_idx (k)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO t@T@
SELECT seq,
       (seq * 7919 + @T@) % 1000003,
       IF(seq % 13 = 0, NULL, seq % 30000),
       (seq * 104729 % 100000000) / 10000 - 5000,
       CONCAT('C', HEX(seq * @T@)),
       CONCAT(ELT(1 + seq % 5, 'Zoë', '渋谷区', 'Łódź', '🙂 smile', 'plain'), ' #', seq),
       TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 37 SECOND + INTERVAL (seq * 7919) % 1000000 MICROSECOND,
       IF(seq % 17 = 0, NULL, DATE'2000-01-01' + INTERVAL seq % 9000 DAY),
       seq % 2,
       IF(seq % 10 = 0, NULL, CONCAT(REPEAT(MD5(seq + @T@), 3), ' it''s "q" \\ back\nslash\t', seq))
FROM seq_1_to_@ROWS@;
SQL
  timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$SRC_PORT" -u root --password="$PASS" \
    --default-character-set=utf8mb4 <"$WORK/fill-$t.sql"
done
TOTAL_ROWS=$((TABLES * ROWS))
SRC_BYTES="$(sql "$SRC_PORT" "SELECT SUM(data_length + index_length) FROM information_schema.TABLES WHERE table_schema = '$DB'")"
say "filled in $(secs "$FILL_T0" "$(now)") s: $TOTAL_ROWS rows, $((SRC_BYTES / 1048576)) MiB on disk (data + indexes)"

# ---------------------------------------------------------------------------------------------------------------
# verification: row count + checksum per table, as common's TableChecksum (sync-diff-inspector's way)
# ---------------------------------------------------------------------------------------------------------------

SRC_TABLES="$(tables_of "$SRC_PORT")"
declare -A SRC_DIGEST
for t in $SRC_TABLES; do SRC_DIGEST[$t]="$(digest "$SRC_PORT" "$t")"; done

verify_target() { # label: aborts the benchmark on any difference
  local label="$1" t d bad=0
  local tgt_tables; tgt_tables="$(tables_of "$TGT_PORT")"
  if [ "$tgt_tables" != "$SRC_TABLES" ]; then
    echo "  tables on source: $SRC_TABLES; on target: ${tgt_tables:-none}"; bad=1
  fi
  for t in $SRC_TABLES; do
    d="$(digest "$TGT_PORT" "$t")"
    if [ "$d" = "${SRC_DIGEST[$t]}" ]; then
      printf '  %-6s %-14s ok   rows=%s\n' "$label" "$t" "${d%% *}"
    else
      printf '  %-6s %-14s DIFF source=%s target=%s\n' "$label" "$t" "${SRC_DIGEST[$t]}" "$d"; bad=1
    fi
  done
  [ "$bad" -eq 0 ] || fail "$label: the target differs from the source: the benchmark result is void"
}

quiesce() { # let InnoDB flush its dirty pages on both servers (bounded to ~30 s each), then a short settle
  local port pct lwm cap capmax dirty i
  for port in "$SRC_PORT" "$TGT_PORT"; do
    read -r pct lwm cap capmax < <(sql "$port" "SELECT @@GLOBAL.innodb_max_dirty_pages_pct, @@GLOBAL.innodb_max_dirty_pages_pct_lwm, @@GLOBAL.innodb_io_capacity, @@GLOBAL.innodb_io_capacity_max")
    # the default io_capacity (200 pages/s) would take minutes to drain a load: flush at full speed meanwhile
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

rss_of() { # /usr/bin/time -v output → MiB
  [ -f "$1" ] || { echo "?"; return 0; }
  awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"
}
TIME_V() { # name command…: runs under /usr/bin/time -v when there is one
  local name="$1"; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -v -o "$LOG_DIR/$name.time" timeout "$STEP_TIMEOUT" "$@"
  else timeout "$STEP_TIMEOUT" "$@"; fi
}

# ---------------------------------------------------------------------------------------------------------------
# 3. the peer: mydumper, then myloader
# ---------------------------------------------------------------------------------------------------------------
quiesce
ROWS_OPT=()
[ "$MYDUMPER_ROWS" -gt 0 ] && ROWS_OPT=(--rows="$MYDUMPER_ROWS")
say "mydumper → $WORK/mydumper ($THREADS threads)"
P_T0="$(now)"
TIME_V mydumper mydumper -h 127.0.0.1 -P "$SRC_PORT" -u root -p "$PASS" -B "$DB" -t "$THREADS" \
  -o "$WORK/mydumper" -v 3 "${ROWS_OPT[@]}" >"$LOG_DIR/mydumper.log" 2>&1 || { tail -20 "$LOG_DIR/mydumper.log"; fail "mydumper failed"; }
P_T1="$(now)"
say "myloader → target ($THREADS threads, --overwrite-tables)"
TIME_V myloader myloader -h 127.0.0.1 -P "$TGT_PORT" -u root -p "$PASS" -d "$WORK/mydumper" -t "$THREADS" \
  --overwrite-tables -v 3 >"$LOG_DIR/myloader.log" 2>&1 || { tail -20 "$LOG_DIR/myloader.log"; fail "myloader failed"; }
P_T2="$(now)"
P_DUMP="$(secs "$P_T0" "$P_T1")"; P_LOAD="$(secs "$P_T1" "$P_T2")"; P_TOTAL="$(secs "$P_T0" "$P_T2")"
P_DUMP_BYTES="$(du -sb "$WORK/mydumper" | cut -f1)"
say "mydumper ${P_DUMP} s, myloader ${P_LOAD} s; verifying"
verify_target peer
sql "$TGT_PORT" "DROP DATABASE $DB"
rm -rf "$WORK/mydumper"

# ---------------------------------------------------------------------------------------------------------------
# 4. Tidemark standalone: in-process Kafka + the four services in one JVM; a migration in mode full
# ---------------------------------------------------------------------------------------------------------------
API_PORT="$(free_port)"
API="http://127.0.0.1:$API_PORT"
say "starting Tidemark on $API (log: $LOG_DIR/tidemark.out, tidemark.log)"
mkdir -p "$WORK/tidemark" "$WORK/dumps"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
TIDEMARK_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$TIDEMARK_JAR" \
  --port="$API_PORT" --data-dir="$WORK/tidemark" >"$LOG_DIR/tidemark.out" 2>&1 &
JAVA_PID=$!
PIDS+=("$JAVA_PID")
J_START="$(now)"
for i in $(seq 1 360); do
  kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$LOG_DIR/tidemark.out"; fail "Tidemark exited at start"; }
  [ "$(curl -s --max-time 2 "$API/actuator/health" | jq -r '.status // empty' 2>/dev/null)" = UP ] && break
  [ "$i" -eq 360 ] && { tail -30 "$LOG_DIR/tidemark.out"; fail "Tidemark not healthy within 180 s"; }
  sleep 0.5
done
say "Tidemark healthy after $(secs "$J_START" "$(now)") s (not counted)"

quiesce
BODY="$(jq -n --arg sp "$SRC_PORT" --arg tp "$TGT_PORT" --arg pw "$PASS" --arg st "file://$WORK/dumps" --arg db "$DB" '{
  name: "bench", mode: "full",
  source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
  target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
  filter: [($db + ".*")], storage: $st }')"
say "POST /api/v1/migrations (mode full, filter $DB.*)"
T_T0="$(now)"
RESP="$(curl -s --max-time 30 -w '\n%{http_code}' -XPOST "$API/api/v1/migrations" -H 'Content-Type: application/json' -d "$BODY")"
CODE="${RESP##*$'\n'}"; RESP="${RESP%$'\n'*}"
[ "$CODE" = 201 ] || fail "POST /api/v1/migrations answered $CODE: $RESP"
MID="$(jq -r .id <<<"$RESP")"
say "migration $MID accepted"

T_SNAP=""; T_DONE=""; LAST_REPORT="$T_T0"; PHASE=""
while :; do
  STATUS="$(curl -s --max-time 10 "$API/api/v1/migrations/$MID" || true)"
  T="$(now)"
  PHASE="$(jq -r '.phase // empty' <<<"$STATUS" 2>/dev/null || true)"
  case "$PHASE" in
    pending | snapshotting | "") ;;
    *) [ -n "$T_SNAP" ] || T_SNAP="$T" ;;
  esac
  case "$PHASE" in
    completed) T_DONE="$T"; break ;;
    failed)
      echo "$STATUS" >"$LOG_DIR/tidemark-status.json"
      jq '{phase, error, tables}' <<<"$STATUS" || echo "$STATUS"
      fail "Tidemark migration $MID failed: $(jq -r '.error | "\(.code): \(.message) — \(.remedy)"' <<<"$STATUS")" ;;
    replicating | stopped) fail "a mode-full migration reached phase $PHASE" ;;
  esac
  kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$LOG_DIR/tidemark.out"; fail "Tidemark exited during the migration"; }
  if awk -v a="$T_T0" -v b="$T" -v l="$STEP_TIMEOUT" 'BEGIN { exit !(b - a > l) }'; then
    echo "$STATUS" >"$LOG_DIR/tidemark-status.json"
    fail "Tidemark migration $MID not completed within $STEP_TIMEOUT s (phase ${PHASE:-unknown})"
  fi
  if awk -v a="$LAST_REPORT" -v b="$T" 'BEGIN { exit !(b - a >= 10) }'; then
    say "  $(secs "$T_T0" "$T") s: $PHASE, $(jq -r '[.tables[]?.rowsDumped] | add // 0' <<<"$STATUS") rows dumped, $(jq -r '[.tables[]?.rowsImported] | add // 0' <<<"$STATUS") imported"
    LAST_REPORT="$T"
  fi
  sleep "$POLL"
done
echo "$STATUS" >"$LOG_DIR/tidemark-status.json"
J_RSS="$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$JAVA_PID/status" 2>/dev/null || echo "?")"
T_DUMP="$(secs "$T_T0" "$T_SNAP")"; T_LOAD="$(secs "$T_SNAP" "$T_DONE")"; T_TOTAL="$(secs "$T_T0" "$T_DONE")"
T_DUMP_BYTES="$(du -sb "$WORK/dumps" | cut -f1)"
say "Tidemark completed: snapshot ${T_DUMP} s, import ${T_LOAD} s; verifying"
verify_target tidemark

# ---------------------------------------------------------------------------------------------------------------
# 6. the result
# ---------------------------------------------------------------------------------------------------------------
rate() { awk -v n="$TOTAL_ROWS" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
{
  echo
  echo "== full migration: $TABLES tables x $ROWS rows = $TOTAL_ROWS rows ($((SRC_BYTES / 1048576)) MiB in InnoDB), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  printf '%-22s %8s %8s %9s %10s %11s %s\n' tool "dump s" "load s" "total s" "rows/s" "dump MiB" "peak RSS MiB"
  printf '%-22s %8s %8s %9s %10s %11s %s\n' "mydumper+myloader" "$P_DUMP" "$P_LOAD" "$P_TOTAL" "$(rate "$P_TOTAL")" \
    "$((P_DUMP_BYTES / 1048576))" "mydumper $(rss_of "$LOG_DIR/mydumper.time"), myloader $(rss_of "$LOG_DIR/myloader.time")"
  printf '%-22s %8s %8s %9s %10s %11s %s\n' "tidemark (mode full)" "$T_DUMP" "$T_LOAD" "$T_TOTAL" "$(rate "$T_TOTAL")" \
    "$((T_DUMP_BYTES / 1048576))" "$J_RSS (whole JVM: Kafka broker + 4 services)"
  echo "ratio tidemark/mydumper+myloader total: $(ratio "$T_TOTAL" "$P_TOTAL")  (dump $(ratio "$T_DUMP" "$P_DUMP"), load $(ratio "$T_LOAD" "$P_LOAD"); wall clock, lower is better, <1x = Tidemark faster)"
  echo "both targets verified: row count + checksum of every table equal to the source"
  echo "(tidemark dump = POST until the phase left snapshotting, load = from there to completed; polled every ${POLL} s)"
} | tee "$LOG_DIR/result.txt"
