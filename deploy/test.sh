#!/usr/bin/env bash
# Command two: the whole test suite, unit tests and integration tests against real parts (an in-process Kafka
# broker, real MariaDB processes), across all modules.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/prereqs.sh
# DashboardIT drives a real headless browser: Debian's chromium through its chromedriver (tests only, so not in
# prereqs.sh, which the demo sources too)
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "» installing chromium and chromium-driver (DashboardIT's browser)"
  _tm_apt chromium chromium-driver fonts-liberation # fonts: Recommends, which _tm_apt leaves out
fi
exec mvn -B verify "$@"
