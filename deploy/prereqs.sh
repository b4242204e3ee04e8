#!/usr/bin/env bash
# Installs what Tidemark needs on a fresh Debian/Ubuntu machine and exports JAVA_HOME (a JDK 21 or newer).
# Source it: `. deploy/prereqs.sh`. Installs with apt-get only what is missing (as root, or through sudo).
set -euo pipefail

_tm_apt() {
  local SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  if [ -z "${_TM_APT_UPDATED:-}" ]; then
    $SUDO apt-get update -qq
    _TM_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

_tm_java_major() { # prints the major version of the java binary $1
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1
}

_tm_find_jdk() { # prints a JAVA_HOME with javac of major version >= 21
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do [ -d "$d" ] && candidates+=("$d"); done
  local best="" bestv=0 v
  for h in "${candidates[@]}"; do
    [ -x "$h/bin/javac" ] || continue
    v=$(_tm_java_major "$h/bin/java" || echo 0)
    if [ "${v:-0}" -ge 21 ] 2>/dev/null && [ "$v" -gt "$bestv" ]; then best="$h"; bestv="$v"; fi
  done
  echo "$best"
}

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "» installing mariadb-server (the demo's and the tests' local databases)"
  _tm_apt mariadb-server mariadb-client
fi
if ! command -v mvn >/dev/null 2>&1; then
  echo "» installing maven"
  _tm_apt maven
fi
JDK="$(_tm_find_jdk)"
if [ -z "$JDK" ]; then
  echo "» installing a JDK 21+"
  _tm_apt openjdk-21-jdk-headless || _tm_apt openjdk-25-jdk-headless
  JDK="$(_tm_find_jdk)"
fi
if [ -z "$JDK" ]; then
  echo "✗ no JDK 21 or newer found or installable: install one and set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME="$JDK"
export PATH="$JAVA_HOME/bin:$PATH"
# JDK 24+ warns about sun.misc.Unsafe used by Maven's own libraries: allow it quietly
if [ "$(_tm_java_major "$JAVA_HOME/bin/java")" -ge 24 ] 2>/dev/null; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
# the same for the JVMs we start ourselves (Kafka's clients use sun.misc.Unsafe too)
TM_JAVA_OPTS=""
if [ "$(_tm_java_major "$JAVA_HOME/bin/java")" -ge 24 ] 2>/dev/null; then
  TM_JAVA_OPTS="--sun-misc-unsafe-memory-access=allow"
fi
export TM_JAVA_OPTS
