#!/usr/bin/env bash
# Benchmark: fixed cost and scale of one standalone (issue 11, "Fixed cost and scale"). One MariaDB source and target;
# N small schemas (one table of ROWS rows each); the standalone with -Xmx512m. Measures:
#   1. one small migration (SMALL_ROWS rows, mode full): POST → completed          goal ≤ 2 s
#      on the fresh standalone, then once more on another schema (warm: what the first paid for start-up), each
#      with its timeline: when each command and status event of it was published (the records' Kafka CreateTime)
#   2. N migrations (mode full) POSTed concurrently (PAR at a time): per POST the time to the answer (202 with
#      ASYNC=1, 201 without), to its first status event on the status topic (its record's CreateTime: the
#      coordinator's migration-progressed)               goal p99 < 100 ms
#      and to its first event a worker sent (snapshot-started); nothing is polled during the burst
#   3. the time until all N completed; every target schema verified against the source (count + checksum)
#   4. GET /api/v1/migrations with N+1 listed: p50/p99 of LIST_CALLS calls              goal < 200 ms
#   5. the coordinator JVM's heap (jcmd GC.heap_info) after the burst and at the end, and its peak RSS
# The machine is shared and noisy: the load average is printed with the figures.
#
# Knobs (environment):
#   N=500 ROWS=100 SMALL_ROWS=1000   dataset: N schemas m00001… with one table t of ROWS rows; one schema `single`
#   PAR=16                  concurrent POSTs (xargs -P)
#   ASYNC=1                 POST with `Prefer: respond-async` (answered 202 before the prechecks run); 0: wait for
#                           them (201), as before
#   LIST_CALLS=20           GET /api/v1/migrations calls timed once all are listed
#   BUILD=auto TIDEMARK_JAR=… JAVA_OPTS=-Xmx512m STEP_TIMEOUT=900 LOG_DIR=bench/logs/… KEEP_WORK=0   as full-migration.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

N="${N:-500}"
ROWS="${ROWS:-100}"
SMALL_ROWS="${SMALL_ROWS:-1000}"
PAR="${PAR:-16}"
ASYNC="${ASYNC:-1}"
LIST_CALLS="${LIST_CALLS:-20}"
BUILD="${BUILD:-auto}"
DEFAULT_JAR="$ROOT/deploy/target/tidemark-standalone.jar"
TIDEMARK_JAR="${TIDEMARK_JAR:-$DEFAULT_JAR}"
JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
STEP_TIMEOUT="${STEP_TIMEOUT:-900}"
POLL=0.05 # the single migration's status poll: the timing resolution of its POST → completed
LOG_DIR="${LOG_DIR:-$ROOT/bench/logs/many-migrations-$(date +%Y%m%d-%H%M%S)}"
KEEP_WORK="${KEEP_WORK:-0}"
PASS="bench-pw"
DB="single"

mkdir -p "$LOG_DIR"
LOG_DIR="$(cd "$LOG_DIR" && pwd)"
exec > >(tee -a "$LOG_DIR/bench.out") 2>&1

WORK="$(mktemp -d /tmp/tidemark-bench.XXXXXX)"
PIDS=()   # processes this script started, stopped in reverse order on exit
JAVA_PID=""

. "$ROOT/bench/lib.sh"
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

. deploy/prereqs.sh
find_tools
build_if_needed
{
  environment_header
  echo "dataset:  $N schemas x 1 table x $ROWS rows, + 2 x 1 table x $SMALL_ROWS rows; $PAR concurrent POSTs$([ "$ASYNC" = 1 ] && echo ' with Prefer: respond-async'); JAVA_OPTS $JAVA_OPTS"
  echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (before the run)"
  echo "logs:     $LOG_DIR"
} | tee "$LOG_DIR/environment.txt"

# ---------------------------------------------------------------------------------------------------------------
# servers and data
# ---------------------------------------------------------------------------------------------------------------
init_mariadb_template
SRC_PORT="$(free_port)"
TGT_PORT="$(free_port)"
say "starting MariaDB source on 127.0.0.1:$SRC_PORT and target on 127.0.0.1:$TGT_PORT"
# each migration holds a few connections on each side at once: room for PAR of them in flight and more
start_mariadb source "$SRC_PORT" 256M --max-connections=2000 --server-id=1 \
  --log-bin="$WORK/source/mysql-bin" --binlog-format=ROW --binlog-row-image=FULL --sync-binlog=0
start_mariadb target "$TGT_PORT" 256M --max-connections=2000 --server-id=2

schema() { printf 'm%05d' "$1"; }
say "filling the source: $N schemas x $ROWS rows, and $DB.t x $SMALL_ROWS rows"
{
  # the seq_1_to_N engine needs a current database
  echo "CREATE DATABASE $DB; USE $DB; CREATE TABLE $DB.t (id BIGINT PRIMARY KEY, v VARCHAR(64) NOT NULL, n INT NULL);"
  echo "INSERT INTO $DB.t SELECT seq, CONCAT('single ', MD5(seq)), IF(seq % 7 = 0, NULL, seq) FROM seq_1_to_$SMALL_ROWS;"
  echo "CREATE DATABASE ${DB}2; CREATE TABLE ${DB}2.t LIKE $DB.t; INSERT INTO ${DB}2.t SELECT * FROM $DB.t;"
  for i in $(seq 1 "$N"); do
    s="$(schema "$i")"
    echo "CREATE DATABASE $s; CREATE TABLE $s.t (id BIGINT PRIMARY KEY, v VARCHAR(64) NOT NULL, n INT NULL);"
    echo "INSERT INTO $s.t SELECT seq, CONCAT('$s ', MD5(seq + $i)), IF(seq % 7 = 0, NULL, seq * $i) FROM seq_1_to_$ROWS;"
  done
} >"$WORK/fill.sql"
timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$SRC_PORT" -u root --password="$PASS" <"$WORK/fill.sql"

# count + checksum of every schema's table in one query per server (500 client runs per side would take minutes)
digest_all() { # port → lines "schema rows checksum"
  local q="" i s
  for i in $(seq 1 "$N"); do
    s="$(schema "$i")"
    q+="${q:+ UNION ALL }SELECT '$s', COUNT(*), COALESCE(BIT_XOR(CRC32(CONCAT_WS(0x1f, id, v, n, ISNULL(n)))), 0) FROM $s.t"
  done
  sql "$1" "$q" 2>&1 | tr '\t' ' '
}
digest_all "$SRC_PORT" >"$WORK/source.digest"

# ---------------------------------------------------------------------------------------------------------------
# the standalone
# ---------------------------------------------------------------------------------------------------------------
mkdir -p "$WORK/dumps"
KAFKA_PORT="$(free_port)" # to read the records' publication times (bench/TopicTimes.java) at the end
TM_ARGS="--kafka-port=$KAFKA_PORT" start_tidemark "$WORK/tidemark"
# the standalone's own Kafka client, to run bench/TopicTimes.java with
mkdir -p "$WORK/kafka-client"
unzip -q -o -j "$TIDEMARK_JAR" 'BOOT-INF/lib/kafka-clients-*' 'BOOT-INF/lib/slf4j-api-*' 'BOOT-INF/lib/lz4-*' \
  'BOOT-INF/lib/snappy-*' 'BOOT-INF/lib/zstd-*' -x '*-test.jar' -d "$WORK/kafka-client" || true
topic_times() { # topic… → "epochMillis topic key type phase" per record, in topic-partition order
  "$JAVA_HOME/bin/java" -cp "$(printf '%s:' "$WORK"/kafka-client/*.jar)" "$ROOT/bench/TopicTimes.java" \
    "127.0.0.1:$KAFKA_PORT" "$@" 2>>"$LOG_DIR/topic-times.err"
}
quiesce "$SRC_PORT" "$TGT_PORT"

body() { # filter-schema name
  jq -nc --arg sp "$SRC_PORT" --arg tp "$TGT_PORT" --arg pw "$PASS" --arg st "file://$WORK/dumps" --arg s "$1" --arg n "$2" '{
    name: $n, mode: "full",
    source: {host: "127.0.0.1", port: ($sp | tonumber), user: "root", password: $pw},
    target: {host: "127.0.0.1", port: ($tp | tonumber), user: "root", password: $pw},
    filter: [($s + ".*")], storage: $st }'
}
heap_used() { # MiB of heap in use now, from jcmd (the coordinator shares this JVM with the other services and Kafka)
  "$JAVA_HOME/bin/jcmd" "$JAVA_PID" GC.heap_info 2>/dev/null | awk '
    /garbage-first heap|def new generation|PSYoungGen|ZHeap|Shenandoah/ && /used/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }'
}
pct() { # p file-of-numbers → the p-th percentile (nearest rank), in ms
  sort -n "$2" | awk -v p="$1" '{ a[NR] = $1 } END { if (NR == 0) { print "?"; exit } r = int(p / 100 * NR + 0.999999); if (r < 1) r = 1; printf "%.0f", a[r] * 1000 }'
}

PREFER=()
[ "$ASYNC" = 1 ] && PREFER=(-H 'Prefer: respond-async')
submit() { # JSON body → MID (fails unless 202 with ASYNC=1, 201 without)
  local resp code want=201
  [ "$ASYNC" = 1 ] && want=202
  resp="$(curl -s --max-time 30 -w '\n%{http_code}' -H "Authorization: Bearer $API_TOKEN" "${PREFER[@]}" \
    -XPOST "$API/api/v1/migrations" -H 'Content-Type: application/json' -d "$1")"
  code="${resp##*$'\n'}"; resp="${resp%$'\n'*}"
  [ "$code" = "$want" ] || fail "POST /api/v1/migrations answered $code: $resp"
  MID="$(jq -r .id <<<"$resp")"
}

# 1. one small migration, POST → completed, on the idle standalone; then another (warm)
single_run() { # schema label → S_TOTAL; its timeline in $LOG_DIR/<label>-timeline.txt once the topics are read
  local schema="$1" label="$2"
  DB="$schema" digest_source "$SRC_PORT"
  say "$label migration: $schema.t ($SMALL_ROWS rows), polling every $POLL s"
  S_T0="$(now)"
  submit "$(body "$schema" "$label")"
  await_migration "$MID" "$S_T0" "$LOG_DIR/$label-status.json"
  S_TOTAL="$(awk -v a="$S_T0" -v b="$T_DONE" 'BEGIN { printf "%.2f", b - a }')"
  say "$label migration $MID completed ${S_TOTAL} s after its POST"
  DB="$schema" verify_copy "$label" "$TGT_PORT"
  echo "$MID $S_T0" >"$WORK/$label.post"
}
single_run "$DB" single
S_COLD="$S_TOTAL"
single_run "${DB}2" single-warm
S_WARM="$S_TOTAL"

# 2. N migrations at once: PAR at a time POSTed, each noting when it was sent and answered
export API API_TOKEN SRC_PORT TGT_PORT PASS WORK ASYNC
post_one() { # i → "i http-code seconds-to-answer id t0"; nothing polled (16 pollers spawning curl and jq every
  # few ms took the CPU the standalone needed): when its events came is read from the topics at the end
  local i="$1" s t0 out code t201 want=201 prefer=()
  [ "$ASYNC" = 1 ] && { want=202; prefer=(-H 'Prefer: respond-async'); }
  s="$(printf 'm%05d' "$i")"
  t0="$(date +%s.%N)"
  out="$(curl -s --max-time 60 -w '\n%{http_code} %{time_total}' -H "Authorization: Bearer $API_TOKEN" "${prefer[@]}" \
    -H 'Content-Type: application/json' -XPOST "$API/api/v1/migrations" --data-binary @"$WORK/bodies/$s.json")"
  read -r code t201 <<<"${out##*$'\n'}"
  if [ "$code" != "$want" ]; then echo "$i $code $t201 - - ${out%$'\n'*}" | tr '\n' ' '; echo; return 0; fi
  echo "$i $code $t201 $(jq -r .id <<<"${out%$'\n'*}") $t0"
}
export -f post_one
mkdir -p "$WORK/bodies"
for i in $(seq 1 "$N"); do body "$(schema "$i")" "many-$i" >"$WORK/bodies/$(schema "$i").json"; done
HEAP_BEFORE="$(heap_used)"
say "POSTing $N migrations, $PAR at a time (load $(cut -d' ' -f1-3 /proc/loadavg))"
B_T0="$(now)"
seq 1 "$N" | timeout "$STEP_TIMEOUT" xargs -P "$PAR" -I{} bash -c 'post_one {}' >"$LOG_DIR/posts.txt"
B_T1="$(now)"
HEAP_BURST="$(heap_used)"
WANT=201
[ "$ASYNC" = 1 ] && WANT=202
NOT201="$(awk -v w="$WANT" '$2 != w' "$LOG_DIR/posts.txt" | wc -l)"
awk -v w="$WANT" '$2 == w { print $3 }' "$LOG_DIR/posts.txt" >"$WORK/t201"
say "all POSTs answered in $(secs "$B_T0" "$B_T1") s; not $WANT: $NOT201"
[ "$NOT201" -eq 0 ] || awk -v w="$WANT" '$2 != w && n++ < 3 { print substr($0, 1, 400) }' "$LOG_DIR/posts.txt"
for s in source target; do # a refused POST is most often a server that died under the load: say so
  kill -0 "${MARIADB_PIDS[$s]}" 2>/dev/null || fail "the MariaDB $s died during the POSTs: see $LOG_DIR/mariadb-$s.err"
done

# 3. until every migration ended
say "waiting for all $N to end"
last="$B_T0"
while :; do
  LIST="$(curl -s --max-time 30 -H "Authorization: Bearer $API_TOKEN" "$API/api/v1/migrations")"
  t="$(now)"
  DONE="$(jq '[.[] | select(.name | startswith("many-")) | select(.phase == "completed")] | length' <<<"$LIST")"
  FAILED="$(jq '[.[] | select(.name | startswith("many-")) | select(.phase == "failed" or .phase == "replicating" or .phase == "stopped")] | length' <<<"$LIST")"
  [ $((DONE + FAILED)) -ge $((N - NOT201)) ] && break
  kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$TIDEMARK_OUT"; fail "Tidemark exited during the migrations"; }
  older_than "$B_T0" "$STEP_TIMEOUT" && { echo "$LIST" >"$LOG_DIR/list.json"; fail "not all ended within $STEP_TIMEOUT s: $DONE completed, $FAILED failed"; }
  older_than "$last" 10 && { say "  $(secs "$B_T0" "$t") s: $DONE completed, $FAILED failed, heap $(heap_used) MiB"; last="$t"; }
  sleep 1
done
B_T2="$t"
echo "$LIST" >"$LOG_DIR/list.json"
HEAP_END="$(heap_used)"
say "all ended $(secs "$B_T0" "$B_T2") s after the first POST: $DONE completed, $FAILED failed"
[ "$FAILED" -eq 0 ] || jq -c '[.[] | select(.phase == "failed") | {name, error}] | .[:5][]' "$LOG_DIR/list.json"

# 4. the list with every migration in it
LISTED="$(jq length "$LOG_DIR/list.json")"
: >"$WORK/tlist"
for _ in $(seq 1 "$LIST_CALLS"); do
  curl -s -o /dev/null --max-time 30 -w '%{time_total}\n' -H "Authorization: Bearer $API_TOKEN" "$API/api/v1/migrations" >>"$WORK/tlist"
done
LIST_BYTES="$(curl -s -H "Authorization: Bearer $API_TOKEN" "$API/api/v1/migrations" | wc -c)"

# when each migration's records were published: its first status event after its POST, and the single ones' timelines
topic_times tidemark.status tidemark.snapshot.commands tidemark.import.commands tidemark.migrations \
  | sort -n >"$LOG_DIR/topic-times.txt" || say "could not read the topics (see topic-times.err)"
first_status() { # awk condition on a status record's type → seconds from each POST to its first such record
  awk 'NR == FNR { if ($2 == w) t0[$4] = $5; next } ($2 == "tidemark.status") && ($3 in t0) && !($3 in first) && ('"$1"') {
         first[$3] = $1 / 1000 - t0[$3] } END { for (k in first) printf "%.4f\n", first[k] }' w="$WANT" \
    "$LOG_DIR/posts.txt" "$LOG_DIR/topic-times.txt"
}
first_status 1 >"$WORK/tevent"
first_status '$4 != "migration-progressed"' >"$WORK/tfirst"
for label in single single-warm; do
  read -r mid t0 <"$WORK/$label.post"
  awk -v m="$mid" -v t0="$t0" '$3 == m {
      printf "%+7.0f ms  %-28s %-22s %s\n", ($1 / 1000 - t0) * 1000, $2, $4, $5 }' "$LOG_DIR/topic-times.txt" \
    >"$LOG_DIR/$label-timeline.txt"
  say "$label migration $mid, ms after its POST: when each record of it was published"
  cat "$LOG_DIR/$label-timeline.txt"
done

# verification of every target schema (a missing one makes the query fail: its error is the diff)
digest_all "$TGT_PORT" >"$WORK/target.digest"
BAD="$(diff "$WORK/source.digest" "$WORK/target.digest" | grep -c '^>' || true)"
if [ "$BAD" -ne 0 ]; then diff "$WORK/source.digest" "$WORK/target.digest" | head -10 | tee "$LOG_DIR/diff.txt"; fi
J_RSS="$(peak_rss "$JAVA_PID")"

verdict() { awk -v v="$1" -v g="$2" 'BEGIN { if (v == "?") print "?"; else if (v + 0 <= g + 0) print "met"; else print "MISSED" }'; }
P201_50="$(pct 50 "$WORK/t201")"; P201_99="$(pct 99 "$WORK/t201")"
PF_50="$(pct 50 "$WORK/tfirst")"; PF_99="$(pct 99 "$WORK/tfirst")"
PE_50="$(pct 50 "$WORK/tevent")"; PE_99="$(pct 99 "$WORK/tevent")"
PL_50="$(pct 50 "$WORK/tlist")"; PL_99="$(pct 99 "$WORK/tlist")"
{
  echo
  echo "== $N migrations at once (mode full, 1 table x $ROWS rows each$([ "$ASYNC" = 1 ] && echo ', Prefer: respond-async')), standalone $JAVA_OPTS, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-46s %-22s %-10s %s\n' measure value goal verdict
  printf '%-46s %-22s %-10s %s\n' "single migration ($SMALL_ROWS rows) POST → completed" "${S_COLD} s" "≤ 2 s" "$(verdict "$S_COLD" 2)"
  printf '%-46s %-22s %-10s %s\n' "the same again, another schema (warm)" "${S_WARM} s" "≤ 2 s" "$(verdict "$S_WARM" 2)"
  printf '%-46s %-22s %-10s %s\n' "POST → $WANT, p50 / p99" "$P201_50 / $P201_99 ms" "" ""
  printf '%-46s %-22s %-10s %s\n' "POST → first status event on the topic, p50 / p99" "$PE_50 / $PE_99 ms" "p99 < 100" "$(verdict "$PE_99" 99.999)"
  printf '%-46s %-22s %-10s %s\n' "POST → a worker's first status event, p50 / p99" "$PF_50 / $PF_99 ms" "" ""
  printf '%-46s %-22s %-10s %s\n' "all $N POSTs answered" "$(secs "$B_T0" "$B_T1") s" "" "not $WANT: $NOT201"
  printf '%-46s %-22s %-10s %s\n' "first POST → all ended" "$(secs "$B_T0" "$B_T2") s" "" "$DONE completed, $FAILED failed"
  printf '%-46s %-22s %-10s %s\n' "targets equal to source (count + checksum)" "$((N - BAD)) of $N" "all" "$([ "$BAD" -eq 0 ] && [ "$DONE" -eq "$N" ] && echo met || echo MISSED)"
  printf '%-46s %-22s %-10s %s\n' "GET list of $LISTED ($LIST_BYTES B), p50 / p99 of $LIST_CALLS" "$PL_50 / $PL_99 ms" "< 200" "$(verdict "$PL_99" 199.999)"
  printf '%-46s %-22s %-10s %s\n' "heap used: before / after POSTs / at end" "$HEAP_BEFORE / $HEAP_BURST / $HEAP_END MiB" "bounded" "(whole JVM: Kafka + 4 services)"
  printf '%-46s %-22s %-10s %s\n' "peak RSS of the standalone" "$J_RSS MiB" "" ""
} | tee "$LOG_DIR/result.txt"
[ "$BAD" -eq 0 ] && [ "$FAILED" -eq 0 ] && [ "$NOT201" -eq 0 ] || fail "not every migration ended correct (see above)"
