#!/usr/bin/env bash
# Command two: the whole test suite, unit tests and integration tests against real parts (an in-process Kafka
# broker, real MariaDB processes), across all modules.
#
# The modules' tests are independent of each other (each starts its own broker, servers and ports), so after one
# build they run in two lanes at once, balanced by their measured time: deploy's end-to-end tests with the
# coordinator's, and the other services' with the common modules'. Each lane's Maven output goes to
# target/test-lanes/<lane>.log and is printed when both are done. Arguments go to every Maven call
# (e.g. -Dtest=CoordinatorIT -Dsurefire.failIfNoSpecifiedTests=false). TIDEMARK_TEST_LANES=1 runs one lane, serially.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/prereqs.sh
# DashboardIT drives a real headless browser: Debian's chromium through its chromedriver (tests only, so not in
# prereqs.sh, which the demo sources too)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "» installing chromium and chromium-driver (DashboardIT's browser)"
  _tm_apt chromium chromium-driver fonts-liberation # fonts: Recommends, which _tm_apt leaves out
fi
case "${TIDEMARK_TEST_LANES:-2}" in
  1) exec mvn -B verify "$@" ;;
  2) ;;
  *) echo "✗ TIDEMARK_TEST_LANES=${TIDEMARK_TEST_LANES}: the suite runs in 1 lane (serial) or 2 (the default); set it to 1 or 2, or unset it" >&2
     exit 2 ;;
esac

start="$(date +%s)"
echo "» building every module once (tests compiled, not run)"
mvn -B -q install -DskipTests "$@"

lanes=(
  "deploy-coordinator:coordinator,deploy"
  "services-common:common/contract,common/mysql-kit,common/service-kit,common/storage-s3,common/test-kit,snapshot-service,lightning-service,dm-service"
)
dir="target/test-lanes"
mkdir -p "$dir"
# job control on: without it bash starts background jobs with SIGINT ignored, every process they start inherits
# that, and the CLI's Ctrl-C test (InterruptTest) waited forever for a client that could not be interrupted
set -m
declare -A pid
trap 'for p in "${pid[@]}"; do kill -- "-$p" 2>/dev/null || true; done' EXIT
for lane in "${lanes[@]}"; do
  name="${lane%%:*}"
  echo "» lane $name: mvn verify -pl ${lane#*:}  (log: $dir/$name.log)"
  # --fail-at-end: a failing module does not hide the results of the lane's other modules
  mvn -B --fail-at-end verify -pl "${lane#*:}" "$@" >"$dir/$name.log" 2>&1 &
  pid[$name]=$!
done
failed=()
for name in "${!pid[@]}"; do
  wait "${pid[$name]}" || failed+=("$name")
done
trap - EXIT
for lane in "${lanes[@]}"; do
  name="${lane%%:*}"
  echo
  echo "═══ lane $name ═══"
  cat "$dir/$name.log"
done
echo
echo "» both lanes done in $(( $(date +%s) - start )) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "✗ failed: ${failed[*]} (see the lane's log above, and each module's target/surefire-reports)" >&2
  exit 1
fi
echo "✓ every test passed"
