# Sourced by bench/replication.sh when LIVE_SECONDS > 0: replication LAG under a live write load, the issue-11 goal
# "lag p99 < 1 s under sysbench oltp_write_only with 4 threads, converged ≤ 2 s after the load stops". The native
# replica and Tidemark (the first of WORKER_COUNTS) replicate side by side from the same start while sysbench writes
# on the source. Binlog event timestamps have one-second resolution, so lag is measured the way DBAs do it:
# pt-heartbeat --update writes a microsecond UTC timestamp into bench.heartbeat on the source every 0.1 s, and
# pt-heartbeat --monitor on each replica says, every LAG_POLL s, how old the newest timestamp it has applied is.
# Uses replication.sh's settings and helpers (sql, status, checkpoint, tidemark_body, await_claim, slave_status, …).

HB_ARGS=() # set by live_run: pt-heartbeat's options for $DB.heartbeat, in UTC (add -P port and the mode)

lag_sampler() { # name port: pt-heartbeat --monitor on that replica, every LAG_POLL s a line "epoch-seconds lag-seconds"
  # pt-heartbeat flushes its output only when daemonized: Flush.pm (below) makes STDOUT autoflush, so that each line
  # is stamped when it is printed, not when a 4 KiB buffer fills
  local line
  PERL5LIB="$WORK/perl" PERL5OPT=-MFlush pt-heartbeat --monitor "${HB_ARGS[@]}" -P "$2" --master-server-id 1 \
    --interval "$LAG_POLL" 2>>"$LOG_DIR/pt-heartbeat-$1.err" | while IFS= read -r line; do
    printf '%s %s\n' "$EPOCHREALTIME" "${line%%s *}"
  done >"$LOG_DIR/lag-$1.txt"
}

lag_stats() { # file t0 t1 → "p50 p99 max samples missing" of the lags sampled between t0 and t1
  local missing
  missing="$(awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b && $2 == "NA" { n++ } END { print n + 0 }' "$1")"
  awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b && $2 != "NA" { print $2 }' "$1" | sort -g | awk -v missing="$missing" '
    { v[NR] = $1 }
    END {
      if (NR == 0) { printf "n/a n/a n/a 0 %d\n", missing; exit }
      i50 = int(0.50 * NR); if (i50 < 0.50 * NR) i50++
      i99 = int(0.99 * NR); if (i99 < 0.99 * NR) i99++
      printf "%.2f %.2f %.2f %d %d\n", v[i50], v[i99], v[NR], NR, missing
    }'
}

hb_ts() { sql "$1" "SELECT ts FROM $DB.heartbeat WHERE server_id = 1" 2>/dev/null || true; }

ts_at_least() { [ -n "$1" ] && { [[ "$1" > "$2" ]] || [ "$1" = "$2" ]; }; } # ISO timestamps, fixed width

native_at() { # file pos → true when the native replica has executed up to there
  local st
  st="$(slave_status)"
  at_or_past "$(slave_field "$st" Relay_Master_Log_File)" "$(slave_field "$st" Exec_Master_Log_Pos)" "$1" "$2"
}

tidemark_at() { # port file pos → true when Tidemark's checkpoint (every row its workers committed) is there
  local f p
  read -r f p < <(checkpoint "$1") || true
  at_or_past "${f:-}" "${p:-}" "$2" "$3"
}

live_run() {
  local wc="${WORKER_COUNTS%% *}" port t
  port="${TMK_PORT[$wc]}"
  say "LIVE: native replica A starts replicating (slave_parallel_threads=$NATIVE_THREADS), Tidemark workerCount $wc into B$wc"
  sql "$NAT_PORT" "START SLAVE"
  P_T0="$(now)"
  post_migration "$(tidemark_body "$wc" "$port")"
  await_claim "$port"
  say "  Tidemark claimed $(secs "$P_T0" "$C_T0") s after its POST"

  HB_ARGS=(--utc -D "$DB" --table heartbeat -h 127.0.0.1 -u root -p "$PASS")
  mkdir -p "$WORK/perl"
  printf 'package Flush;\n$| = 1;\n1;\n' >"$WORK/perl/Flush.pm"
  pt-heartbeat --update "${HB_ARGS[@]}" -P "$SRC_PORT" --interval 0.1 --replace >"$LOG_DIR/pt-heartbeat-update.out" 2>&1 &
  local hb_pid=$!
  PIDS+=("$hb_pid")
  # both replicas must show a heartbeat before the load starts, or the first samples would be missing, not late
  t="$(now)"
  until ts_at_least "$(hb_ts "$NAT_PORT")" "0" && ts_at_least "$(hb_ts "$port")" "0"; do
    kill -0 "$hb_pid" 2>/dev/null || { cat "$LOG_DIR/pt-heartbeat-update.out"; fail "pt-heartbeat --update exited"; }
    fail_if_tidemark_failed "$(status)"
    older_than "$t" 60 && fail "the heartbeat did not reach both replicas within 60 s"
    sleep 0.1
  done
  lag_sampler native "$NAT_PORT" &
  local s1=$!
  disown "$s1" # stopped below or by the EXIT trap: no "Terminated" line from the shell
  PIDS+=("$s1")
  lag_sampler tidemark "$port" &
  local s2=$!
  disown "$s2"
  PIDS+=("$s2")
  sleep 1

  local j0 b0 a0 src0
  j0="$(cpu_secs "$JAVA_PID")"; b0="$(cpu_secs "${MARIADB_PIDS[tidemark-target-$wc]}")"
  a0="$(cpu_secs "${MARIADB_PIDS[native]}")"; src0="$(cpu_secs "${MARIADB_PIDS[source]}")"
  say "sysbench oltp_write_only on the source: $LIVE_SECONDS s, $SB_THREADS threads, rate $SB_RATE (0 = unthrottled)"
  local l0 l1
  l0="$(now)"
  timeout $((LIVE_SECONDS + STEP_TIMEOUT)) sysbench oltp_write_only "${SB_OPTS[@]}" --threads="$SB_THREADS" \
    --time="$LIVE_SECONDS" --rate="$SB_RATE" --report-interval=5 run >"$LOG_DIR/workload.out" 2>&1 \
    || { tail -20 "$LOG_DIR/workload.out"; fail "sysbench run failed on the source"; }
  l1="$(now)"
  local load_s cpu
  load_s="$(secs "$l0" "$l1")"
  cpu="JVM $(cpu_used "$JAVA_PID" "$j0" "$load_s"), source $(cpu_used "${MARIADB_PIDS[source]}" "$src0" "$load_s"), native replica A $(cpu_used "${MARIADB_PIDS[native]}" "$a0" "$load_s"), Tidemark's target B$wc $(cpu_used "${MARIADB_PIDS[tidemark-target-$wc]}" "$b0" "$load_s")"

  # converged: everything the source had written when the load stopped is applied — by the data (the heartbeat the
  # source held at that moment is visible on the replica) and by the position (native Exec_Master_Log_Pos; Tidemark's
  # checkpoint, the point a restart would resume from)
  local stop_ts stop_file stop_pos
  stop_ts="$(hb_ts "$SRC_PORT")"
  read -r stop_file stop_pos _ < <(sql "$SRC_PORT" "SHOW MASTER STATUS")
  local n_data="" n_pos="" t_data="" t_pos=""
  while [ -z "$n_data" ] || [ -z "$n_pos" ] || [ -z "$t_data" ] || [ -z "$t_pos" ]; do
    t="$(now)"
    [ -n "$n_data" ] || ! ts_at_least "$(hb_ts "$NAT_PORT")" "$stop_ts" || n_data="$(secs "$l1" "$t")"
    [ -n "$t_data" ] || ! ts_at_least "$(hb_ts "$port")" "$stop_ts" || t_data="$(secs "$l1" "$t")"
    [ -n "$n_pos" ] || ! native_at "$stop_file" "$stop_pos" || n_pos="$(secs "$l1" "$t")"
    [ -n "$t_pos" ] || ! tidemark_at "$port" "$stop_file" "$stop_pos" || t_pos="$(secs "$l1" "$t")"
    fail_if_tidemark_failed "$(status)"
    older_than "$l1" "$STEP_TIMEOUT" && fail "replicas not converged within $STEP_TIMEOUT s after the load (native data ${n_data:-no} pos ${n_pos:-no}, Tidemark data ${t_data:-no} pos ${t_pos:-no})"
    sleep 0.05
  done
  stop_pid "$hb_pid"; pkill -P "$s1" 2>/dev/null || true; pkill -P "$s2" 2>/dev/null || true; stop_pid "$s1"; stop_pid "$s2"

  # the heartbeat stopped: both replicas catch up to the very end, then every table is compared with the source
  local end_file end_pos
  read -r end_file end_pos _ < <(sql "$SRC_PORT" "SHOW MASTER STATUS")
  t="$(now)"
  until native_at "$end_file" "$end_pos" && tidemark_at "$port" "$end_file" "$end_pos"; do
    fail_if_tidemark_failed "$(status)"
    older_than "$t" "$STEP_TIMEOUT" && fail "replicas not at the source's end $end_file:$end_pos within $STEP_TIMEOUT s"
    sleep 0.1
  done
  digest_source "$SRC_PORT"
  verify_copy native "$NAT_PORT"
  verify_copy "tidemark-$wc" "$port"

  local tps n_stats t_stats
  tps="$(awk '/transactions:/ { gsub(/[(]/, "", $3); print $3; exit }' "$LOG_DIR/workload.out")"
  read -r -a n_stats < <(lag_stats "$LOG_DIR/lag-native.txt" "$l0" "$l1")
  read -r -a t_stats < <(lag_stats "$LOG_DIR/lag-tidemark.txt" "$l0" "$l1")
  goal() { awk -v v="$1" -v l="$2" 'BEGIN { if (v == "n/a") print "n/a"; else print (v + 0 < l + 0 ? "met" : "MISSED") }'; }
  {
    echo
    echo "== replication live: sysbench oltp_write_only $load_s s, $SB_THREADS threads, $tps transactions/s (x 4 row changes), $TABLES tables x $SB_TABLE_SIZE rows, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
    printf '%-34s %22s %9s   %s\n' replica "lag p50/p99/max s" "samples" "converged after the load stopped: data (heartbeat) / position"
    printf '%-34s %22s %9s   %s\n' "native (slave_parallel_threads=$NATIVE_THREADS)" "${n_stats[0]} / ${n_stats[1]} / ${n_stats[2]}" "${n_stats[3]}" "$n_data s / $n_pos s"
    printf '%-34s %22s %9s   %s\n' "tidemark (workerCount $wc)" "${t_stats[0]} / ${t_stats[1]} / ${t_stats[2]}" "${t_stats[3]}" "$t_data s / $t_pos s"
    [ "${n_stats[4]}${t_stats[4]}" = 00 ] || echo "samples pt-heartbeat could not read: native ${n_stats[4]}, tidemark ${t_stats[4]}"
    echo "CPU seconds under the load (share of one core): $cpu"
    echo "goals: Tidemark lag p99 < 1 s: $(goal "${t_stats[1]}" 1); converged ≤ 2 s after the load stopped: $(goal "$t_pos" 2.001) (by position), $(goal "$t_data" 2.001) (by data)"
    echo "both replicas verified after the load: row count + checksum of every table equal to the source"
    echo "(lag sampled every $LAG_POLL s by pt-heartbeat --monitor --utc on each replica; the source's pt-heartbeat --update writes every 0.1 s)"
  } | tee "$LOG_DIR/result.txt"
}
