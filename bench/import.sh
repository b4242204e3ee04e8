#!/usr/bin/env bash
# Benchmark: the import half alone, as TiDB Lightning users run it — rows exported already, loaded into an empty
# target. Three loaders, the same rows, the same target server, in the same run:
#   1. Tidemark, mode `import`, reading Parquet (an Aurora snapshot export's layout) from a local S3 server (S3Mock)
#   2. parallel LOAD DATA LOCAL INFILE of CSV files (one `mariadb` client per table, THREADS at a time)
#   3. myloader of a mydumper dump
# None of the exports is timed; each load is, and each target is verified against the source. Prints wall-clock
# seconds, rows/s, peak RSS and the ratios tidemark / LOAD DATA and tidemark / myloader: LOWER IS BETTER for Tidemark.
# The machine is shared and noisy: compare only ratios taken within one run, never absolute seconds across runs.
#
# Knobs (environment):
#   TABLES=4 ROWS=250000    dataset: TABLES tables of ROWS rows each (mixed types, ~250 bytes a row)
#   THREADS=4               concurrent LOAD DATA clients, mydumper/myloader threads
#   BUILD=auto              auto: mvn package when a source is newer than the jar | always | never
#   TIDEMARK_JAR=…          the launcher jar (default deploy/target/tidemark-standalone.jar; a custom one is not built)
#   S3MOCK_JAR=…            S3Mock's exec jar (default: com/adobe/testing/s3mock/5.2.3 in ~/.m2, else the newest there)
#   JAVA_OPTS=…             extra JVM options for Tidemark (e.g. -Xmx2g)
#   STEP_TIMEOUT=900        seconds any single step (fill, export, load, migration) may take before the run fails
#   POLL=0.5                seconds between status polls of the Tidemark migrations (the timing resolution)
#   LOG_DIR=bench/logs/…    where every log and the result go (kept); KEEP_WORK=1 keeps the data directories too
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

TABLES="${TABLES:-4}"
ROWS="${ROWS:-250000}"
THREADS="${THREADS:-4}"
BUILD="${BUILD:-auto}"
DEFAULT_JAR="$ROOT/deploy/target/tidemark-standalone.jar"
TIDEMARK_JAR="${TIDEMARK_JAR:-$DEFAULT_JAR}"
S3MOCK_VERSION="5.2.3" # ../shared/ARCHITECTURE.md, common/test-kit's LocalS3
S3MOCK_JAR="${S3MOCK_JAR:-}"
JAVA_OPTS="${JAVA_OPTS:-}"
STEP_TIMEOUT="${STEP_TIMEOUT:-900}"
POLL="${POLL:-0.5}"
LOG_DIR="${LOG_DIR:-$ROOT/bench/logs/import-$(date +%Y%m%d-%H%M%S)}"
KEEP_WORK="${KEEP_WORK:-0}"
PASS="bench-pw"
DB="bench"
BUCKET="bench"
# S3Mock checks no signature: any keys pass. Tidemark reads them from its environment (the default AWS chain)
S3_ENV=(AWS_ACCESS_KEY_ID=bench-access-key AWS_SECRET_ACCESS_KEY=bench-secret-key)
[ "$THREADS" -ge 1 ] || { echo "THREADS must be at least 1" >&2; exit 2; }

mkdir -p "$LOG_DIR"
LOG_DIR="$(cd "$LOG_DIR" && pwd)"
exec > >(tee -a "$LOG_DIR/bench.out") 2>&1

WORK="$(mktemp -d /tmp/tidemark-bench-import.XXXXXX)"
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

if [ -z "$S3MOCK_JAR" ]; then
  M2="$HOME/.m2/repository/com/adobe/testing"
  S3MOCK_JAR="$M2/s3mock/$S3MOCK_VERSION/s3mock-$S3MOCK_VERSION-exec.jar"
  [ -f "$S3MOCK_JAR" ] || S3MOCK_JAR="$(find "$M2" -path '*/s3mock*' -name '*exec*.jar' 2>/dev/null | sort -V | tail -1)"
fi
[ -n "$S3MOCK_JAR" ] && [ -f "$S3MOCK_JAR" ] \
  || fail "no S3Mock exec jar (com.adobe.testing:s3mock:$S3MOCK_VERSION:jar:exec) in ~/.m2: build common/test-kit's tests once, or set S3MOCK_JAR"

{
  environment_header
  echo "mydumper: $(mydumper --version 2>&1 | head -1)"
  echo "s3mock:   $S3MOCK_JAR"
  echo "dataset:  $TABLES tables x $ROWS rows; threads $THREADS"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# 2. two MariaDB servers (a binlog source, as mode full's snapshot wants, and the target), the dataset, S3Mock
# ---------------------------------------------------------------------------------------------------------------
init_mariadb_template

mkdir -p "$WORK/csv"
SRC_PORT="$(free_port)"
TGT_PORT="$(free_port)"
say "starting MariaDB source on 127.0.0.1:$SRC_PORT (log-bin, ROW, FULL) and target on 127.0.0.1:$TGT_PORT"
start_mariadb source "$SRC_PORT" 1G --max-connections=500 --server-id=1 --secure-file-priv="$WORK/csv" \
  --log-bin="$WORK/source/mysql-bin" --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0
start_mariadb target "$TGT_PORT" 1G --max-connections=500 --server-id=2

fill_source "$SRC_PORT" "$TABLES" "$ROWS"
digest_source "$SRC_PORT"

S3_PORT="$(free_port)"
S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
say "starting S3Mock on $S3_ENDPOINT, bucket $BUCKET (log: $LOG_DIR/s3mock.log)"
mkdir -p "$WORK/s3mock"
# as common/test-kit's LocalS3 starts it: its own ports free (HTTPS and S3 Vectors' are fixed by default), objects in
# a directory of its own, path-style requests; a larger heap than the tests', since it serves the whole dump
S3_OPTS=(-Xmx512m -Xss512k -XX:+UseSerialGC -XX:-UsePerfData -Djava.io.tmpdir="$WORK/s3mock")
# shellcheck disable=SC2206 # TM_JAVA_OPTS is a list of options
S3_OPTS+=($TM_JAVA_OPTS)
"$JAVA_HOME/bin/java" "${S3_OPTS[@]}" -jar "$S3MOCK_JAR" --http.port="$S3_PORT" \
  --server.port="$(free_port)" --server.address=127.0.0.1 \
  --vectors.http.port="$(free_port)" --vectors.https.port="$(free_port)" \
  --com.adobe.testing.s3mock.store.root="$WORK/s3mock/store" --com.adobe.testing.s3mock.store.region=us-east-1 \
  --com.adobe.testing.s3mock.store.initial-buckets="$BUCKET" --spring.main.banner-mode=off \
  >"$LOG_DIR/s3mock.log" 2>&1 &
S3_PID=$!
PIDS+=("$S3_PID")
S3_T0="$(now)"
while [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$S3_ENDPOINT/" || true)" != 200 ]; do
  kill -0 "$S3_PID" 2>/dev/null || { tail -20 "$LOG_DIR/s3mock.log"; fail "S3Mock exited at start"; }
  older_than "$S3_T0" 90 && { tail -20 "$LOG_DIR/s3mock.log"; fail "S3Mock did not answer on $S3_ENDPOINT within 90 s"; }
  sleep 0.2
done
say "S3Mock ready after $(secs "$S3_T0" "$(now)") s"

s3_location() { # prefix → an s3:// location on S3Mock (the keys come from Tidemark's environment)
  echo "s3://$BUCKET/$1?endpoint=$S3_ENDPOINT&force-path-style=true&region=us-east-1"
}

s3_objects() { # prefix [parquet] → "count bytes" of the objects under it (of its Parquet files only)
  local prefix="$1" only="${2:-}" token="" page count=0 bytes=0 n b
  while :; do
    page="$(curl -s --max-time 30 "$S3_ENDPOINT/$BUCKET?list-type=2&prefix=$(jq -rn --arg p "$prefix" '$p | @uri')${token:+&continuation-token=$(jq -rn --arg t "$token" '$t | @uri')}")"
    read -r n b < <(awk -v only="$only" 'BEGIN { RS = "<Contents>" } NR > 1 {
      k = $0; sub(/.*<Key>/, "", k); sub(/<\/Key>.*/, "", k)
      z = $0; sub(/.*<Size>/, "", z); sub(/<\/Size>.*/, "", z)
      if (only == "" || k ~ /\.parquet$/) { n++; b += z } } END { printf "%d %.0f\n", n, b }' <<<"$page")
    count=$((count + n)); bytes=$((bytes + b))
    grep -q '<IsTruncated>true</IsTruncated>' <<<"$page" || break
    token="$(sed -n 's/.*<NextContinuationToken>\([^<]*\)<\/NextContinuationToken>.*/\1/p' <<<"$page")"
    [ -n "$token" ] || break
  done
  echo "$count $bytes"
}

drop_target() { # leaves the target as empty as it started: no $DB, no tidemark_meta
  sql "$TGT_PORT" "DROP DATABASE IF EXISTS \`$DB\`; DROP DATABASE IF EXISTS tidemark_meta"
}

# ---------------------------------------------------------------------------------------------------------------
# 3. the exports, none timed: Parquet in S3 by Tidemark itself, CSV by SELECT … INTO OUTFILE, a mydumper dump
# ---------------------------------------------------------------------------------------------------------------
# Tidemark's Parquet dump: a mode-full migration with format parquet into S3; the rows it also loads into the target
# are dropped again. The dump stays at s3://bench/dumps/<migration id>/: schema files in Dumpling's names and the
# Parquet files as an Aurora snapshot export lays them out (<id>/bench/bench.tN/1/part-….parquet).
start_tidemark "$WORK/tidemark-dump" "${S3_ENV[@]}"
BODY="$(jq -n --arg sp "$SRC_PORT" --arg tp "$TGT_PORT" --arg pw "$PASS" --arg st "$(s3_location dumps)" --arg db "$DB" '{
  name: "bench parquet dump", mode: "full", format: "parquet",
  source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
  target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
  filter: [($db + ".*")], storage: $st }')"
say "Parquet export: POST /api/v1/migrations (mode full, format parquet, storage $(s3_location dumps))"
D_T0="$(now)"
post_migration "$BODY"
DUMP_MID="$MID"
await_migration "$DUMP_MID" "$D_T0" "$LOG_DIR/tidemark-dump-status.json"
D_DUMP="$(secs "$D_T0" "$T_SNAP")"; D_TOTAL="$(secs "$D_T0" "$T_DONE")"
read -r PQ_FILES PQ_BYTES < <(s3_objects "dumps/$DUMP_MID/" parquet)
read -r S3_FILES S3_BYTES < <(s3_objects "dumps/$DUMP_MID/")
say "Parquet export done: snapshot $D_DUMP s (mode full in all $D_TOTAL s); $PQ_FILES Parquet files, $((PQ_BYTES / 1048576)) MiB ($S3_FILES objects, $((S3_BYTES / 1048576)) MiB in all)"
[ "$PQ_FILES" -gt 0 ] || fail "the mode-full migration $DUMP_MID wrote no Parquet file under s3://$BUCKET/dumps/$DUMP_MID/"
say "checking the mode-full migration's own target (it read the same Parquet files), then dropping it"
verify_copy parquet "$TGT_PORT"
drop_target
stop_pid "$JAVA_PID"

# CSV: one file per table, written by the source server; the tables' CREATE statements kept for the loaders
read -r -d '' CSV_FORMAT <<'SQL' || true
CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '\\' LINES TERMINATED BY '\n'
SQL
say "CSV export: SELECT … INTO OUTFILE per table → $WORK/csv"
C_T0="$(now)"
for t in $SRC_TABLES; do
  sql "$SRC_PORT" "SELECT * FROM \`$DB\`.\`$t\` INTO OUTFILE '$WORK/csv/$t.csv' $CSV_FORMAT"
  sql "$SRC_PORT" "SHOW CREATE TABLE \`$DB\`.\`$t\`" --raw | cut -f2- >"$WORK/csv/$t.schema.sql"
done
C_DUMP="$(secs "$C_T0" "$(now)")"
CSV_BYTES="$(cat "$WORK"/csv/*.csv | wc -c)"
say "CSV export done in $C_DUMP s: $((CSV_BYTES / 1048576)) MiB"

say "mydumper → $WORK/mydumper ($THREADS threads)"
P_T0="$(now)"
TIME_V mydumper mydumper -h 127.0.0.1 -P "$SRC_PORT" -u root -p "$PASS" -B "$DB" -t "$THREADS" \
  -o "$WORK/mydumper" -v 3 >"$LOG_DIR/mydumper.log" 2>&1 || { tail -20 "$LOG_DIR/mydumper.log"; fail "mydumper failed"; }
P_DUMP="$(secs "$P_T0" "$(now)")"
P_DUMP_BYTES="$(du -sb "$WORK/mydumper" | cut -f1)"
say "mydumper done in $P_DUMP s: $((P_DUMP_BYTES / 1048576)) MiB"

# ---------------------------------------------------------------------------------------------------------------
# 4. parallel LOAD DATA LOCAL INFILE: tables created first (not timed), then one client per table, THREADS at once
# ---------------------------------------------------------------------------------------------------------------
say "LOAD DATA: creating $DB and its tables on the target from SHOW CREATE TABLE (not timed)"
sql "$TGT_PORT" "CREATE DATABASE \`$DB\` CHARACTER SET utf8mb4"
for t in $SRC_TABLES; do sql "$TGT_PORT" "$(cat "$WORK/csv/$t.schema.sql")" -D "$DB"; done
quiesce "$SRC_PORT" "$TGT_PORT"

load_table() { # table: one client, one LOAD DATA LOCAL INFILE; its exit code into $WORK/csv/<table>.rc
  local t="$1" rc=0
  TIME_V "load-data-$t" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$TGT_PORT" -u root --password="$PASS" \
    --default-character-set=utf8mb4 --local-infile=1 -e "LOAD DATA LOCAL INFILE '$WORK/csv/$t.csv'
      INTO TABLE \`$DB\`.\`$t\` $CSV_FORMAT" >"$LOG_DIR/load-data-$t.log" 2>&1 || rc=$?
  echo "$rc" >"$WORK/csv/$t.rc"
}
say "LOAD DATA LOCAL INFILE → target ($THREADS clients at once, one per table)"
LOADERS=()
L_T0="$(now)"
for t in $SRC_TABLES; do
  if [ "${#LOADERS[@]}" -ge "$THREADS" ]; then
    wait -n "${LOADERS[@]}" || true
    RUNNING=()
    for p in "${LOADERS[@]}"; do kill -0 "$p" 2>/dev/null && RUNNING+=("$p"); done
    LOADERS=("${RUNNING[@]}")
  fi
  load_table "$t" &
  LOADERS+=($!)
done
for p in "${LOADERS[@]}"; do wait "$p" || true; done
L_T1="$(now)"
L_LOAD="$(secs "$L_T0" "$L_T1")"
L_RSS=0
for t in $SRC_TABLES; do
  [ "$(cat "$WORK/csv/$t.rc" 2>/dev/null || echo missing)" = 0 ] \
    || { tail -20 "$LOG_DIR/load-data-$t.log"; fail "LOAD DATA of $t failed"; }
  r="$(rss_of "$LOG_DIR/load-data-$t.time")"
  [ "$r" = "?" ] || [ "$r" -le "$L_RSS" ] || L_RSS="$r"
done
say "LOAD DATA done in $L_LOAD s; verifying"
verify_copy load-data "$TGT_PORT"
drop_target

# ---------------------------------------------------------------------------------------------------------------
# 5. myloader
# ---------------------------------------------------------------------------------------------------------------
quiesce "$SRC_PORT" "$TGT_PORT"
say "myloader → target ($THREADS threads, --overwrite-tables)"
M_T0="$(now)"
TIME_V myloader myloader -h 127.0.0.1 -P "$TGT_PORT" -u root -p "$PASS" -d "$WORK/mydumper" -t "$THREADS" \
  --overwrite-tables -v 3 >"$LOG_DIR/myloader.log" 2>&1 || { tail -20 "$LOG_DIR/myloader.log"; fail "myloader failed"; }
M_LOAD="$(secs "$M_T0" "$(now)")"
say "myloader done in $M_LOAD s; verifying"
verify_copy myloader "$TGT_PORT"
drop_target

# ---------------------------------------------------------------------------------------------------------------
# 6. Tidemark, mode import: a fresh JVM (its peak RSS is the import's alone), the Parquet dump read from S3
# ---------------------------------------------------------------------------------------------------------------
start_tidemark "$WORK/tidemark-import" "${S3_ENV[@]}"
quiesce "$SRC_PORT" "$TGT_PORT"
{ echo 5 >"/proc/$S3_PID/clear_refs"; } 2>/dev/null || true # S3Mock's peak RSS from here on (5 resets VmHWM)
BODY="$(jq -n --arg tp "$TGT_PORT" --arg pw "$PASS" --arg st "$(s3_location "dumps/$DUMP_MID")" --arg db "$DB" '{
  name: "bench import", mode: "import", storage: $st,
  target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
  filter: [($db + ".*")] }')"
say "POST /api/v1/migrations (mode import, storage $(s3_location "dumps/$DUMP_MID"), filter $DB.*)"
T_T0="$(now)"
post_migration "$BODY"
await_migration "$MID" "$T_T0" "$LOG_DIR/tidemark-import-status.json"
J_RSS="$(peak_rss "$JAVA_PID")"
S3_RSS="$(peak_rss "$S3_PID")"
T_PREP="$(secs "$T_T0" "$T_SNAP")"; T_LOAD="$(secs "$T_T0" "$T_DONE")"
say "Tidemark import completed in $T_LOAD s ($T_PREP s until phase importing); verifying"
verify_copy tidemark "$TGT_PORT"

# ---------------------------------------------------------------------------------------------------------------
# 7. the result
# ---------------------------------------------------------------------------------------------------------------
rate() { awk -v n="$TOTAL_ROWS" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
{
  echo
  echo "== import: $TABLES tables x $ROWS rows = $TOTAL_ROWS rows ($((SRC_BYTES / 1048576)) MiB in InnoDB) into an empty target, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
  printf '%-34s %8s %10s %10s  %s\n' loader "load s" "rows/s" "files MiB" "peak RSS MiB"
  printf '%-34s %8s %10s %10s  %s\n' "LOAD DATA LOCAL INFILE ($THREADS clients)" "$L_LOAD" "$(rate "$L_LOAD")" \
    "$((CSV_BYTES / 1048576))" "largest client $L_RSS (the server does the work)"
  printf '%-34s %8s %10s %10s  %s\n' "myloader ($THREADS threads)" "$M_LOAD" "$(rate "$M_LOAD")" \
    "$((P_DUMP_BYTES / 1048576))" "myloader $(rss_of "$LOG_DIR/myloader.time")"
  printf '%-34s %8s %10s %10s  %s\n' "tidemark (mode import, S3 Parquet)" "$T_LOAD" "$(rate "$T_LOAD")" \
    "$((PQ_BYTES / 1048576))" "$J_RSS (whole JVM: Kafka broker + 4 services); S3Mock $S3_RSS"
  echo "ratio tidemark/LOAD DATA: $(ratio "$T_LOAD" "$L_LOAD")  tidemark/myloader: $(ratio "$T_LOAD" "$M_LOAD")  (wall clock, lower is better, <1x = Tidemark faster)"
  echo "all three targets verified: row count + checksum of every table equal to the source"
  echo "(tidemark = POST until phase completed, polled every ${POLL} s, of which $T_PREP s until phase importing; LOAD DATA = first client's start to last client's end;"
  echo " exports, not timed: Parquet by Tidemark mode full $D_DUMP s snapshot, CSV by SELECT … INTO OUTFILE $C_DUMP s, mydumper $P_DUMP s)"
} | tee "$LOG_DIR/result.txt"
