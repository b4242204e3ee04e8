#!/usr/bin/env bash
# Command one: a real migration on the embedded default. Builds Tidemark, starts a local MariaDB source (binlog on,
# sample data) and target, starts Tidemark standalone (in-process Kafka, all four services, local disk), migrates
# in mode `all`, writes more rows on the source, shows them arrive and verifies every table. The API stays up.
# Extra arguments go to the launcher, e.g. `deploy/demo.sh --port=9090`.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/prereqs.sh
echo "» building (mvn package, tests skipped: run deploy/test.sh for those)"
mvn -B -q -Dstyle.color=never -DskipTests package 2>&1 | sed -u "s/\x1b\[[0-9;]*m//g"
exec "$JAVA_HOME/bin/java" $TM_JAVA_OPTS -jar deploy/target/tidemark-standalone.jar --demo "$@"
