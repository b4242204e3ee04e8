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
#   FORMAT=sql              Tidemark's dump format (the spec's "format"): sql (INSERT statements, as Dumpling's
#                           default) | csv (imported with LOAD DATA LOCAL INFILE) | parquet
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
FORMAT="${FORMAT:-sql}"
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

. "$ROOT/bench/lib.sh" # say, fail, start_mariadb, fill_source, quiesce, digest_source, verify_copy, start_tidemark, …
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# 1. prerequisites and build
# ---------------------------------------------------------------------------------------------------------------
. deploy/prereqs.sh
find_mydumper
find_tools
build_if_needed

{
  environment_header
  echo "mydumper: $(mydumper --version 2>&1 | head -1)"
  echo "dataset:  $TABLES tables x $ROWS rows; threads $THREADS; mydumper --rows ${MYDUMPER_ROWS/#0/off}"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# 2. two MariaDB servers: a binlog source and a target
# ---------------------------------------------------------------------------------------------------------------

init_mariadb_template

SRC_PORT="$(free_port)"
TGT_PORT="$(free_port)"
say "starting MariaDB source on 127.0.0.1:$SRC_PORT (log-bin, ROW, FULL) and target on 127.0.0.1:$TGT_PORT"
start_mariadb source "$SRC_PORT" 1G --max-connections=500 --server-id=1 \
  --log-bin="$WORK/source/mysql-bin" --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0
start_mariadb target "$TGT_PORT" 1G --max-connections=500 --server-id=2

fill_source "$SRC_PORT" "$TABLES" "$ROWS"

# what each target is verified against: row count + checksum per table, as common's TableChecksum
digest_source "$SRC_PORT"

# ---------------------------------------------------------------------------------------------------------------
# 3. the peer: mydumper, then myloader
# ---------------------------------------------------------------------------------------------------------------
quiesce "$SRC_PORT" "$TGT_PORT"
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
verify_copy peer "$TGT_PORT"
sql "$TGT_PORT" "DROP DATABASE $DB"
rm -rf "$WORK/mydumper"

# ---------------------------------------------------------------------------------------------------------------
# 4. Tidemark standalone: in-process Kafka + the four services in one JVM; a migration in mode full
# ---------------------------------------------------------------------------------------------------------------
mkdir -p "$WORK/dumps"
start_tidemark "$WORK/tidemark"

quiesce "$SRC_PORT" "$TGT_PORT"
BODY="$(jq -n --arg sp "$SRC_PORT" --arg tp "$TGT_PORT" --arg pw "$PASS" --arg st "file://$WORK/dumps" --arg db "$DB" \
  --arg fmt "$FORMAT" '{
  name: "bench", mode: "full", format: $fmt,
  source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
  target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
  filter: [($db + ".*")], storage: $st }')"
say "POST /api/v1/migrations (mode full, format $FORMAT, filter $DB.*)"
T_T0="$(now)"
post_migration "$BODY"
await_migration "$MID" "$T_T0" "$LOG_DIR/tidemark-status.json"
J_RSS="$(peak_rss "$JAVA_PID")"
T_DUMP="$(secs "$T_T0" "$T_SNAP")"; T_LOAD="$(secs "$T_SNAP" "$T_DONE")"; T_TOTAL="$(secs "$T_T0" "$T_DONE")"
T_DUMP_BYTES="$(du -sb "$WORK/dumps" | cut -f1)"
say "Tidemark completed: snapshot ${T_DUMP} s, import ${T_LOAD} s; verifying"
verify_copy tidemark "$TGT_PORT"

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
  printf '%-22s %8s %8s %9s %10s %11s %s\n' "tidemark (full, $FORMAT)" "$T_DUMP" "$T_LOAD" "$T_TOTAL" "$(rate "$T_TOTAL")" \
    "$((T_DUMP_BYTES / 1048576))" "$J_RSS (whole JVM: Kafka broker + 4 services)"
  echo "ratio tidemark/mydumper+myloader total: $(ratio "$T_TOTAL" "$P_TOTAL")  (dump $(ratio "$T_DUMP" "$P_DUMP"), load $(ratio "$T_LOAD" "$P_LOAD"); wall clock, lower is better, <1x = Tidemark faster)"
  echo "both targets verified: row count + checksum of every table equal to the source"
  echo "(tidemark dump = POST until the phase left snapshotting, load = from there to completed; polled every ${POLL} s)"
} | tee "$LOG_DIR/result.txt"
