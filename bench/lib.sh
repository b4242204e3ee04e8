# Helpers shared by the benchmarks. Sourced, not run: they read the calling script's settings (STEP_TIMEOUT, PASS,
# DB, WORK, LOG_DIR, KEEP_WORK, TIDEMARK_JAR, DEFAULT_JAR, BUILD, JAVA_OPTS, POLL) and keep what they start in PIDS.
# The callers source deploy/prereqs.sh (JAVA_HOME, TM_JAVA_OPTS, _tm_apt) before they use the tools below.

say() { printf '» %s\n' "$*"; }

fail() { printf '✗ %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

older_than() { awk -v a="$1" -v b="$(now)" -v l="$2" 'BEGIN { exit !(b - a > l) }'; } # t0 limit: true once past

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }

stop_pid() { # TERM, wait up to 30 s, then KILL
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

bench_cleanup() { # the EXIT trap: stops what was started (newest first), keeps the logs, removes WORK
  local rc=$? i d
  set +e
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[$i]}"; done
  for d in "$WORK"/*/; do
    d="${d%/}"
    # a Tidemark data directory (tidemark, tidemark-import, …) → <name>.log; a server's → mariadb-<name>.err
    [ -f "$d/tidemark.log" ] && cp "$d/tidemark.log" "$LOG_DIR/${d##*/}.log"
    [ -f "$d/init.sql" ] && [ -f "$d/error.log" ] && cp "$d/error.log" "$LOG_DIR/mariadb-${d##*/}.err"
  done
  if [ "$KEEP_WORK" = 1 ]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi
  [ "$rc" -ne 0 ] && printf '✗ benchmark FAILED (exit %s); logs: %s\n' "$rc" "$LOG_DIR" >&2
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------------------------
# tools and the launcher jar
# ---------------------------------------------------------------------------------------------------------------

need_command() { # command apt-package: installs the package when the command is missing
  command -v "$1" >/dev/null 2>&1 || { say "installing $2"; _tm_apt "$2"; }
}

find_tools() { # → MARIADBD, INSTALL_DB, MARIADB; jq and curl installed
  need_command jq jq
  need_command curl curl
  MARIADBD="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
  INSTALL_DB="$(command -v mariadb-install-db || echo /usr/bin/mariadb-install-db)"
  MARIADB="$(command -v mariadb || command -v mysql)"
}

find_mydumper() { # mydumper and myloader, and /usr/bin/time for peak RSS
  command -v mydumper >/dev/null 2>&1 || { say "installing mydumper (with myloader)"; _tm_apt mydumper; }
  command -v myloader >/dev/null 2>&1 || fail "myloader not found although mydumper is installed"
  [ -x /usr/bin/time ] || { say "installing time (for peak RSS)"; _tm_apt time || true; }
}

needs_build() {
  [ "$TIDEMARK_JAR" = "$DEFAULT_JAR" ] || return 1
  case "$BUILD" in
    always) return 0 ;;
    never) return 1 ;;
  esac
  [ -f "$TIDEMARK_JAR" ] || return 0
  [ -n "$(find . \( -path '*/src/*' -o -name pom.xml \) -newer "$TIDEMARK_JAR" -not -path './bench/*' -print -quit)" ]
}

build_if_needed() { # the launcher jar, built from this tree when a source is newer (BUILD=auto)
  if needs_build; then
    say "building (mvn -B -q -DskipTests package; log: $LOG_DIR/build.log)"
    # removed first: with deploy's own classes unchanged the jar plugin keeps the old jar, and Spring Boot's repackage
    # then skips it as repackaged already — a change in another module never reached the launcher
    rm -f "$DEFAULT_JAR"
    timeout "$STEP_TIMEOUT" mvn -B -q -DskipTests package >"$LOG_DIR/build.log" 2>&1 \
      || { tail -30 "$LOG_DIR/build.log"; fail "build failed"; }
  fi
  [ -f "$TIDEMARK_JAR" ] || fail "no launcher jar at $TIDEMARK_JAR"
}

environment_header() { # the lines every result's environment.txt starts with
  echo "date:     $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "host:     $(uname -n), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
  echo "repo:     HEAD $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
  echo "jar:      $TIDEMARK_JAR ($(date -r "$TIDEMARK_JAR" +%Y-%m-%dT%H:%M:%S)$([ "$TIDEMARK_JAR" = "$DEFAULT_JAR" ] || echo ', given: not built from this tree'))"
  echo "java:     $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "mariadb:  $("$MARIADBD" --version | sed 's/^.*Ver //')"
}

free_port() { # a loopback port nobody listens on, not handed out before in this run
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    case " ${USED_PORTS:-} " in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS="${USED_PORTS:-} $p"; echo "$p"; return 0; fi
  done
  fail "no free loopback port found"
}

# ---------------------------------------------------------------------------------------------------------------
# throw-away MariaDB servers
# ---------------------------------------------------------------------------------------------------------------

init_mariadb_template() { # one initialised data directory, $WORK/template, that start_mariadb copies
  USER_OPT=()
  [ "$(id -u)" -eq 0 ] && USER_OPT=(--user=root)
  say "initialising a MariaDB data directory"
  timeout 300 "$INSTALL_DB" --no-defaults --datadir="$WORK/template" --auth-root-authentication-method=normal \
    --skip-test-db "${USER_OPT[@]}" >"$LOG_DIR/install-db.log" 2>&1 || { cat "$LOG_DIR/install-db.log"; fail "mariadb-install-db failed"; }
}

declare -A MARIADB_PIDS=() # name → pid of each server start_mariadb started
start_mariadb() { # name port buffer-pool [mariadbd option…] → pid into MARIADB_PID and MARIADB_PIDS[name]
  local name="$1" port="$2" pool="$3" dir="$WORK/$1" i
  shift 3
  cp -a "$WORK/template" "$dir"
  # install-db's root@127.0.0.1 (no password) would shadow root@'%' for TCP logins: drop it
  cat >"$dir/init.sql" <<EOF
DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1', ''@'localhost', ''@'%';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$PASS';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
EOF
  # the options after the pool are the caller's (role, server id, connections): a later option wins over an earlier
  local opts=(--no-defaults --datadir="$dir" --port="$port" --bind-address=127.0.0.1 --socket="$dir/mysqld.sock"
    --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" --init-file="$dir/init.sql" --skip-name-resolve
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci --default-time-zone=+00:00
    --innodb-buffer-pool-size="$pool" --innodb-log-file-size=256M --innodb-flush-log-at-trx-commit=2
    --innodb-doublewrite=0 --max-allowed-packet=256M "$@" "${USER_OPT[@]}")
  "$MARIADBD" "${opts[@]}" >"$dir/stdout.log" 2>&1 &
  MARIADB_PID=$!
  PIDS+=("$MARIADB_PID")
  MARIADB_PIDS[$name]="$MARIADB_PID"
  for i in $(seq 1 600); do
    kill -0 "$MARIADB_PID" 2>/dev/null || { tail -20 "$dir/error.log"; fail "mariadbd $name exited at start"; }
    if [ -f "$dir/mysqld.pid" ] && sql "$port" "SELECT 1" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  tail -20 "$dir/error.log"
  fail "mariadbd $name did not accept connections within 60 s"
}

sql() { # port, SQL (more arguments go to the client)
  local port="$1" q="$2"; shift 2
  timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$port" -u root --password="$PASS" \
    --default-character-set=utf8mb4 -N -B "$@" -e "$q"
}

fill_source() { # port tables rows: $DB.t1…tN of mixed types → TOTAL_ROWS, SRC_BYTES
  local port="$1" tables="$2" rows="$3" t t0
  say "filling the source: $tables tables x $rows rows"
  t0="$(now)"
  sql "$port" "CREATE DATABASE $DB CHARACTER SET utf8mb4"
  for t in $(seq 1 "$tables"); do
    # mixed types, NULLs, utf8mb4 (4-byte emoji included), quotes, backslashes and newlines in text
    sed -e "s/@DB@/$DB/g" -e "s/@T@/$t/g" -e "s/@ROWS@/$rows/g" >"$WORK/fill-$t.sql" <<'SQL'
USE @DB@;
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
    timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$port" -u root --password="$PASS" \
      --default-character-set=utf8mb4 <"$WORK/fill-$t.sql"
  done
  TOTAL_ROWS=$((tables * rows))
  SRC_BYTES="$(sql "$port" "SELECT SUM(data_length + index_length) FROM information_schema.TABLES WHERE table_schema = '$DB'")"
  say "filled in $(secs "$t0" "$(now)") s: $TOTAL_ROWS rows, $((SRC_BYTES / 1048576)) MiB on disk (data + indexes)"
}

quiesce() { # port…: let InnoDB flush its dirty pages on each server (bounded to ~30 s each), then a short settle
  local port pct lwm cap capmax dirty i
  for port in "$@"; do
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

# ---------------------------------------------------------------------------------------------------------------
# verification: row count + checksum per table, as common's TableChecksum (sync-diff-inspector's way)
# ---------------------------------------------------------------------------------------------------------------

digest() { # port table → "rows checksum"
  local port="$1" table="$2" cols expr c
  cols="$(sql "$port" "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY ORDINAL_POSITION SEPARATOR ' ') FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '$DB' AND TABLE_NAME = '$table'")"
  [ -n "$cols" ] && [ "$cols" != NULL ] || { echo "missing"; return 0; }
  expr="CONCAT_WS(0x1f"
  for c in $cols; do expr+=", \`$c\`"; done
  for c in $cols; do expr+=", ISNULL(\`$c\`)"; done
  expr+=")"
  sql "$port" "SET SESSION time_zone = '+00:00'; SELECT COUNT(*), COALESCE(BIT_XOR(CRC32($expr)), 0) FROM \`$DB\`.\`$table\`" | tr '\t' ' '
}

tables_of() { sql "$1" "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$DB' ORDER BY TABLE_NAME" | tr '\n' ' '; }

digest_source() { # port → SRC_TABLES and SRC_DIGEST[table], what verify_copy compares with
  local t
  SRC_TABLES="$(tables_of "$1")"
  declare -gA SRC_DIGEST=()
  for t in $SRC_TABLES; do SRC_DIGEST[$t]="$(digest "$1" "$t")"; done
}

verify_copy() { # label port: aborts the benchmark on any difference from the source
  local label="$1" port="$2" t d bad=0 tables
  tables="$(tables_of "$port")"
  if [ "$tables" != "$SRC_TABLES" ]; then
    echo "  tables on source: $SRC_TABLES; on $label: ${tables:-none}"; bad=1
  fi
  for t in $SRC_TABLES; do
    d="$(digest "$port" "$t")"
    if [ "$d" = "${SRC_DIGEST[$t]}" ]; then
      printf '  %-9s %-8s ok   rows=%s checksum=%s\n' "$label" "$t" "${d%% *}" "${d#* }"
    else
      printf '  %-9s %-8s DIFF source=%s %s=%s\n' "$label" "$t" "${SRC_DIGEST[$t]}" "$label" "$d"; bad=1
    fi
  done
  [ "$bad" -eq 0 ] || fail "$label: the copy on port $port differs from the source: the benchmark result is void"
}

# ---------------------------------------------------------------------------------------------------------------
# peak memory
# ---------------------------------------------------------------------------------------------------------------

TIME_V() { # name command…: runs under /usr/bin/time -v (into $LOG_DIR/name.time) when there is one
  local name="$1"; shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -v -o "$LOG_DIR/$name.time" timeout "$STEP_TIMEOUT" "$@"
  else timeout "$STEP_TIMEOUT" "$@"; fi
}

rss_of() { # /usr/bin/time -v output → MiB
  [ -f "$1" ] || { echo "?"; return 0; }
  awk -F: '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"
}

peak_rss() { # pid → its VmHWM in MiB (the process must still run)
  awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}

# ---------------------------------------------------------------------------------------------------------------
# Tidemark standalone: in-process Kafka + the four services in one JVM, driven through its REST API
# ---------------------------------------------------------------------------------------------------------------

start_tidemark() { # data-dir [VAR=value…] → JAVA_PID, API, API_TOKEN, TIDEMARK_OUT; the values go into its environment,
  # $TM_ARGS (e.g. --kafka-port=…) onto its command line;
  # waits until it is healthy. Its output goes to $LOG_DIR/<data-dir's name>.out, its log to <data-dir>/tidemark.log
  local dir="$1" out t0
  shift
  out="$LOG_DIR/${dir##*/}.out"
  TIDEMARK_OUT="$out"
  API_PORT="$(free_port)"
  API="http://127.0.0.1:$API_PORT"
  say "starting Tidemark on $API (log: $out, ${dir##*/}.log)"
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # the JAVA_OPTS are lists of options
  API_TOKEN="$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
  env TIDEMARK_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" TIDEMARK_API_TOKENS="$API_TOKEN" "$@" "$JAVA_HOME/bin/java" $TM_JAVA_OPTS $JAVA_OPTS \
    -jar "$TIDEMARK_JAR" --port="$API_PORT" --data-dir="$dir" ${TM_ARGS:-} >"$out" 2>&1 &
  JAVA_PID=$!
  PIDS+=("$JAVA_PID")
  t0="$(now)"
  while :; do
    kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$out"; fail "Tidemark exited at start"; }
    [ "$(curl -s --max-time 2 "$API/actuator/health" | jq -r '.status // empty' 2>/dev/null)" = UP ] && break
    older_than "$t0" 180 && { tail -30 "$out"; fail "Tidemark not healthy within 180 s"; }
    sleep 0.5
  done
  say "Tidemark healthy after $(secs "$t0" "$(now)") s (not counted)"
}

post_migration() { # JSON body → MID (fails unless 201)
  local resp code
  resp="$(curl -s --max-time 30 -w '\n%{http_code}' -H "Authorization: Bearer $API_TOKEN" -XPOST "$API/api/v1/migrations" -H 'Content-Type: application/json' -d "$1")"
  code="${resp##*$'\n'}"; resp="${resp%$'\n'*}"
  [ "$code" = 201 ] || fail "POST /api/v1/migrations answered $code: $resp"
  MID="$(jq -r .id <<<"$resp")"
  say "migration $MID accepted"
}

await_migration() { # mid t0 status-file: polls every POLL s until phase completed, from t0 (the POST) on.
  # → T_SNAP (the phase left pending/snapshotting), T_DONE, STATUS; a failed migration or one past STEP_TIMEOUT fails
  local mid="$1" t0="$2" file="$3" t phase last="$2"
  T_SNAP=""; T_DONE=""
  while :; do
    STATUS="$(curl -s --max-time 10 -H "Authorization: Bearer $API_TOKEN" "$API/api/v1/migrations/$mid" || true)"
    t="$(now)"
    phase="$(jq -r '.phase // empty' <<<"$STATUS" 2>/dev/null || true)"
    case "$phase" in
      pending | snapshotting | "") ;;
      *) [ -n "$T_SNAP" ] || T_SNAP="$t" ;;
    esac
    case "$phase" in
      completed) T_DONE="$t"; break ;;
      failed)
        echo "$STATUS" >"$file"
        jq '{phase, error, tables}' <<<"$STATUS" || echo "$STATUS"
        fail "Tidemark migration $mid failed: $(jq -r '.error | "\(.code): \(.message) — \(.remedy)"' <<<"$STATUS")" ;;
      replicating | stopped) fail "migration $mid reached phase $phase, which modes full and import never should" ;;
    esac
    kill -0 "$JAVA_PID" 2>/dev/null || { tail -30 "$TIDEMARK_OUT"; fail "Tidemark exited during the migration"; }
    if awk -v a="$t0" -v b="$t" -v l="$STEP_TIMEOUT" 'BEGIN { exit !(b - a > l) }'; then
      echo "$STATUS" >"$file"
      fail "Tidemark migration $mid not completed within $STEP_TIMEOUT s (phase ${phase:-unknown})"
    fi
    if awk -v a="$last" -v b="$t" 'BEGIN { exit !(b - a >= 10) }'; then
      say "  $(secs "$t0" "$t") s: $phase, $(jq -r '[.tables[]?.rowsDumped] | add // 0' <<<"$STATUS") rows dumped, $(jq -r '[.tables[]?.rowsImported] | add // 0' <<<"$STATUS") imported"
      last="$t"
    fi
    sleep "$POLL"
  done
  echo "$STATUS" >"$file"
}
