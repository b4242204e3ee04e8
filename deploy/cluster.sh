#!/usr/bin/env bash
# Tidemark as a cluster of processes on one machine: a Kafka broker (KRaft) in its own JVM, the coordinator, and N
# instances of each worker service, each its own JVM, talking only through Kafka as on separate machines.
#
#   deploy/cluster.sh start  [--snapshot=N] [--lightning=N] [--dm=N] [--coordinators=N] [--port=8080] [--kafka=HOST:PORT]
#                            [--data-dir=DIR]
#   deploy/cluster.sh scale  lightning=N|snapshot=N|dm=N …     start more instances, or stop (SIGTERM) the newest ones;
#                                                             for lightning, prints the chunks/s before and after
#   deploy/cluster.sh status                                  every process: name, pid, alive or not, log
#   deploy/cluster.sh kill NAME                               SIGKILL one process by its name in status (a crash)
#   deploy/cluster.sh restart NAME                            start a killed or stopped process again, as before:
#                                                             same arguments, the broker on its port and log dirs
#   deploy/cluster.sh stop                                    workers, then the coordinator, then the broker
#
# Defaults: one of each worker, one coordinator (--coordinators=2: two, one active, at ports 8080 and 8081), port 8080,
# an own broker, data in .tidemark-cluster (secret key, broker log, logs/,
# pids/). --data-dir (or TIDEMARK_CLUSTER_DIR) picks the cluster for scale/status/stop as well. Each service's Spring
# properties can be passed after `--` to start (e.g. `-- --tidemark.lightning.workers=4`): they go to every service.
# TIDEMARK_CLASSPATH, when set, is used instead of the standalone jar (the tests run the classes they were built from);
# TIDEMARK_JAVA_OPTS are added to every JVM (default: -Xmx512m for a service, -Xmx768m for the broker; serial GC).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/deploy/target/tidemark-standalone.jar"

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "cluster: $*" >&2; exit 2; }

verb="${1:-}"; [ -n "$verb" ] || { usage; exit 2; }; shift
dir="${TIDEMARK_CLUSTER_DIR:-.tidemark-cluster}"
declare -A want=([snapshot]=1 [lightning]=1 [dm]=1)
port=8080; kafka=""; extra=(); coordinators=1
scale_args=(); names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir=*) dir="${1#*=}" ;;
    --port=*) port="${1#*=}" ;;
    --kafka=*) kafka="${1#*=}" ;;
    --coordinators=*) coordinators="${1#*=}"
      [[ "$coordinators" =~ ^[1-9][0-9]*$ ]] || die "--coordinators=$coordinators: give a number of at least 1" ;;
    --snapshot=*|--lightning=*|--dm=*) k="${1%%=*}"; want[${k#--}]="${1#*=}" ;;
    --help|-h) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    snapshot=*|lightning=*|dm=*) scale_args+=("$1") ;;
    -*) die "unknown argument '$1' (see deploy/cluster.sh --help)" ;;
    *) [ "$verb" = kill ] || [ "$verb" = restart ] || die "unknown argument '$1' (see deploy/cluster.sh --help)"
       names+=("$1") ;;
  esac
  shift
done
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
logs="$dir/logs"; pids="$dir/pids"
mkdir -p "$logs" "$pids"

java_bin() {
  local java="${JAVA_HOME:+$JAVA_HOME/bin/}java" v
  v=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1) || true
  if [ -z "$v" ] || [ "${v%%.*}" -lt 21 ] 2>/dev/null; then
    . "$root/deploy/prereqs.sh" >/dev/null
    java="$JAVA_HOME/bin/java"
  fi
  echo "$java"
}

ensure_jar() {
  if [ -z "${TIDEMARK_CLASSPATH:-}" ] && [ ! -f "$jar" ]; then
    [ -f "$root/pom.xml" ] || die "$jar is missing and there are no sources to build it from"
    echo "» building $jar (mvn package, tests skipped)" >&2
    (cd "$root" && . deploy/prereqs.sh && mvn -B -q -Dmaven.test.skip=true -pl deploy -am package) >&2
  fi
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# launch NAME KIND ARGS…: one JVM in the background, its pid in pids/NAME.pid, its output in logs/NAME.log, its
# kind and arguments in pids/NAME.args (one a line), so that `restart` starts it again exactly so
launch() {
  local name="$1" kind="$2"; shift 2
  printf '%s\n' "$kind" "$@" > "$pids/$name.args"
  local heap="-Xmx512m"; [ "$kind" = broker ] && heap="-Xmx768m"
  local main=(-Dloader.main=io.tidemark.deploy.cluster.Node -cp "$jar" org.springframework.boot.loader.launch.PropertiesLauncher)
  [ -n "${TIDEMARK_CLASSPATH:-}" ] && main=(-cp "$TIDEMARK_CLASSPATH" io.tidemark.deploy.cluster.Node)
  # shellcheck disable=SC2086  # options are words
  nohup "$JAVA" $heap -XX:+UseSerialGC ${TIDEMARK_JAVA_OPTS:-} "${main[@]}" "$kind" --data-dir="$dir" "$@" \
    > "$logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$pids/$name.pid"
}

# await NAME PATTERN SECONDS: until the log shows PATTERN, or fail with the log's tail
await() {
  local name="$1" pattern="$2" deadline=$((SECONDS + $3))
  while ! grep -q "$pattern" "$logs/$name.log" 2>/dev/null; do
    if ! alive "$pids/$name.pid"; then
      echo "✗ $name exited; the end of $logs/$name.log:" >&2; tail -20 "$logs/$name.log" >&2; exit 1
    fi
    [ $SECONDS -lt $deadline ] || { echo "✗ $name did not start within $3 s; see $logs/$name.log" >&2; exit 1; }
    sleep 0.3
  done
}

instances() { # the running instances of KIND, oldest first
  local kind="$1" f
  for f in $(ls "$pids"/"$kind"-*.pid 2>/dev/null | sort -t- -k2 -n); do
    alive "$f" && basename "$f" .pid
  done
  return 0
}

bootstrap() { cat "$dir/bootstrap" 2>/dev/null || die "no cluster runs in $dir (start it first)"; }

start_workers() { # KIND COUNT: start instances until COUNT run, all at once, then wait for each
  local kind="$1" count="$2" running n next started=()
  running=$(instances "$kind" | wc -l)
  next=$(( $(ls "$pids"/"$kind"-*.pid 2>/dev/null | sed 's/.*-\([0-9]*\)\.pid/\1/' | sort -n | tail -1 || echo 0) + 1 ))
  for ((n = running; n < count; n++)); do
    launch "$kind-$next" "$kind" --kafka="$(bootstrap)" "${extra[@]}"
    started+=("$kind-$next")
    next=$((next + 1))
  done
  for name in "${started[@]}"; do
    await "$name" "Started " 300
    echo "  $name  pid $(cat "$pids/$name.pid")  log $logs/$name.log"
  done
}

# chunks imported so far by each running lightning instance: "NAME COUNT" lines, from its /actuator/prometheus (its
# HTTP port is the one its log says Tomcat took)
chunk_counts() {
  local name port count
  for name in $(instances lightning); do
    port=$(grep -o 'Tomcat started on port [0-9]*' "$logs/$name.log" 2>/dev/null | tail -1 | grep -o '[0-9]*$') || true
    [ -n "$port" ] || continue
    count=$(curl -s --max-time 3 "http://127.0.0.1:$port/actuator/prometheus" 2>/dev/null \
      | awk '/^tidemark_chunks_imported_total/ { s += $NF } END { printf "%d", s }') || true
    echo "$name ${count:-0}"
  done
}

# chunk_rate SECONDS: chunks/s the lightning instances imported over the next SECONDS (an instance started meanwhile
# counts from 0, one stopped meanwhile not at all)
chunk_rate() {
  local window="$1" before after
  before="$(chunk_counts)"; sleep "$window"; after="$(chunk_counts)"
  awk -v w="$window" 'NR == FNR { c[$1] = $2; next } { d += $2 - ($1 in c ? c[$1] : 0) }
    END { printf "%.1f chunks/s", d / w }' <(echo "$before") <(echo "$after")
}

stop_process() { # NAME: SIGTERM, then SIGKILL after 30 s
  local f="$pids/$1.pid" pid i
  alive "$f" || { rm -f "$f"; return 0; }
  pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
  for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  rm -f "$f"
}

case "$verb" in
  start)
    [ -z "$(instances coordinator)" ] || die "a cluster already runs in $dir (deploy/cluster.sh status)"
    ensure_jar; JAVA="$(java_bin)"
    # one key for every process, made before any starts: services started side by side must not each make their own
    if [ -z "${TIDEMARK_SECRET_KEY:-}" ] && [ ! -s "$dir/secret.key" ]; then
      (umask 077; head -c 32 /dev/urandom | base64 > "$dir/secret.key")
    fi
    if [ -z "$kafka" ]; then
      launch broker broker
      await broker "Kafka broker ready at" 90
      kafka="$(sed -n 's/^Kafka broker ready at \([^ ]*\).*/\1/p' "$logs/broker.log" | head -1)"
      echo "» Kafka broker $kafka  pid $(cat "$pids/broker.pid")  log $logs/broker.log"
    fi
    echo "$kafka" > "$dir/bootstrap"
    # the coordinator first: it creates every topic with its partition count; a worker started beside it could make
    # the broker auto-create a command topic with one partition, whose consumers then miss the partitions added
    # after (seen in ClusterIT: a snapshot request never taken); the workers then start side by side
    # several coordinators: one active, the others standbys (coordinator high availability, README); each at its port
    ha() { [ "$coordinators" -gt 1 ] && echo "--tidemark.coordinator.ha.enabled=true" \
      "--tidemark.coordinator.ha.advertised-url=http://localhost:$1"; return 0; }
    # shellcheck disable=SC2046  # the settings are words
    launch coordinator-1 coordinator --kafka="$kafka" --port="$port" $(ha "$port") "${extra[@]}"
    await coordinator-1 "Started " 300
    for ((n = 2; n <= coordinators; n++)); do
      # shellcheck disable=SC2046
      launch "coordinator-$n" coordinator --kafka="$kafka" --port="$((port + n - 1))" $(ha "$((port + n - 1))") \
        "${extra[@]}"
    done
    for kind in snapshot lightning dm; do
      for ((n = 1; n <= ${want[$kind]}; n++)); do launch "$kind-$n" "$kind" --kafka="$kafka" "${extra[@]}"; done
    done
    echo "» coordinator  http://localhost:$port/api/v1/migrations  pid $(cat "$pids/coordinator-1.pid")  log $logs/coordinator-1.log"
    for ((n = 2; n <= coordinators; n++)); do
      await "coordinator-$n" "Started " 300
      echo "» coordinator  http://localhost:$((port + n - 1))/api/v1/migrations (standby while coordinator-1 is active; GET /api/v1/coordinator)  pid $(cat "$pids/coordinator-$n.pid")  log $logs/coordinator-$n.log"
    done
    if [ -n "${TIDEMARK_API_TOKENS:-}" ]; then
      echo "» API token    from TIDEMARK_API_TOKENS"
    else
      echo "» API token    in $dir/api-token (TIDEMARK_TOKEN_FILE=$dir/api-token deploy/tidemark …)"
    fi
    for kind in snapshot lightning dm; do
      for ((n = 1; n <= ${want[$kind]}; n++)); do
        await "$kind-$n" "Started " 300
        echo "  $kind-$n  pid $(cat "$pids/$kind-$n.pid")  log $logs/$kind-$n.log"
      done
    done
    echo "Tidemark cluster is up in $dir — scale with 'deploy/cluster.sh scale lightning=N', stop with 'deploy/cluster.sh stop'"
    ;;
  scale)
    [ ${#scale_args[@]} -gt 0 ] || die "scale what? e.g. deploy/cluster.sh scale lightning=3"
    ensure_jar; JAVA="$(java_bin)"
    for a in "${scale_args[@]}"; do
      kind="${a%%=*}"; count="${a#*=}"
      [[ "$count" =~ ^[0-9]+$ ]] || die "'$a': the count must be a number"
      running=($(instances "$kind"))
      # the import throughput around a change of the lightning instances, measured over TIDEMARK_RATE_WINDOW s
      window="${TIDEMARK_RATE_WINDOW:-10}"
      if [ "$kind" = lightning ]; then
        echo "» chunk throughput before: $(chunk_rate "$window") (${#running[@]} lightning)"
      fi
      if [ ${#running[@]} -lt "$count" ]; then
        start_workers "$kind" "$count"
      else
        for ((i = ${#running[@]} - 1; i >= count; i--)); do
          stop_process "${running[$i]}"; echo "  ${running[$i]} stopped"
        done
      fi
      if [ "$kind" = lightning ]; then
        echo "» chunk throughput after:  $(chunk_rate "$window") ($(instances lightning | wc -l) lightning)"
      fi
    done
    ;;
  status)
    printf '%-14s %-8s %-6s %s\n' NAME PID ALIVE LOG
    for f in $(ls "$pids"/*.pid 2>/dev/null); do
      name=$(basename "$f" .pid)
      printf '%-14s %-8s %-6s %s\n' "$name" "$(cat "$f")" "$(alive "$f" && echo yes || echo no)" "$logs/$name.log"
    done
    ;;
  kill)
    [ ${#names[@]} -gt 0 ] || die "kill what? give a name that 'deploy/cluster.sh status' lists, e.g. kill lightning-1"
    for name in "${names[@]}"; do
      f="$pids/$name.pid"
      [ -f "$f" ] || die "no process '$name' in $dir: 'deploy/cluster.sh status' lists the names"
      alive "$f" || die "$name (pid $(cat "$f")) is not running; start it again with 'deploy/cluster.sh restart $name'"
      pid=$(cat "$f")
      kill -9 "$pid"
      # gone, not just signalled: a restart right after must find its port free
      for ((i = 0; i < 300; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      echo "  $name killed (SIGKILL, pid $pid)"
    done
    ;;
  restart)
    [ ${#names[@]} -gt 0 ] || die "restart what? give a name that 'deploy/cluster.sh status' lists, e.g. restart broker"
    ensure_jar; JAVA="$(java_bin)"
    for name in "${names[@]}"; do
      [ -f "$pids/$name.args" ] \
        || die "no process '$name' was started in $dir: 'deploy/cluster.sh status' lists the names"
      ! alive "$pids/$name.pid" || die "$name runs (pid $(cat "$pids/$name.pid")): kill or stop it first"
      mapfile -t args < "$pids/$name.args"
      # the log of the run before is kept beside, numbered: what a crashed process wrote last is evidence
      n=1; while [ -e "$logs/$name.log.$n" ]; do n=$((n + 1)); done
      [ ! -f "$logs/$name.log" ] || mv "$logs/$name.log" "$logs/$name.log.$n"
      # the same kind and arguments; the broker, started without a port, takes the one its log dir recorded
      launch "$name" "${args[@]}"
      if [ "${args[0]}" = broker ]; then await "$name" "Kafka broker ready at" 90; else await "$name" "Started " 300; fi
      echo "  $name restarted  pid $(cat "$pids/$name.pid")  log $logs/$name.log$([ "${args[0]}" != broker ] || \
        sed -n 's/^Kafka broker ready at \([^ ]*\).*/  at \1/p' "$logs/$name.log" | head -1)"
    done
    ;;
  stop)
    for kind in dm lightning snapshot coordinator; do
      for name in $(instances "$kind"); do stop_process "$name"; echo "  $name stopped"; done
    done
    stop_process broker && echo "  broker stopped"
    rm -f "$pids"/*.pid "$pids"/*.args
    ;;
  *) usage; exit 2 ;;
esac
