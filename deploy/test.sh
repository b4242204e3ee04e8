#!/usr/bin/env bash
# Command two: the whole test suite, unit tests and integration tests against real parts (an in-process Kafka
# broker, real MariaDB processes), across all modules.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/prereqs.sh
exec mvn -B verify "$@"
