# Helpers shared by the benchmarks. Sourced, not run: they read the calling script's settings
# (STEP_TIMEOUT, MARIADB, PASS, DB, TIDEMARK_JAR, DEFAULT_JAR, BUILD).

say() { printf '» %s\n' "$*"; }

fail() { printf '✗ %s\n' "$*" >&2; exit 1; }

now() { date +%s.%N; }

secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

stop_pid() { # TERM, wait up to 30 s, then KILL
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
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

free_port() { # a loopback port nobody listens on, not handed out before in this run
  local p i
  for i in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    case " ${USED_PORTS:-} " in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS="${USED_PORTS:-} $p"; echo "$p"; return 0; fi
  done
  fail "no free loopback port found"
}

sql() { # port, SQL (more arguments go to the client)
  local port="$1" q="$2"; shift 2
  timeout "$STEP_TIMEOUT" "$MARIADB" --protocol=TCP -h 127.0.0.1 -P "$port" -u root --password="$PASS" \
    --default-character-set=utf8mb4 -N -B "$@" -e "$q"
}

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }
