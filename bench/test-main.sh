#!/usr/bin/env bash
# Runs a benchmark's main class from the test sources with a JDK >= 21, after compiling them.
# Usage: bench/test-main.sh [JVM options...] CLASS [arguments...]   (JVM options are the arguments starting with -)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/find-jdk.sh"
rekap_find_jdk
cd "$root"
jvm=()
while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do jvm+=("$1"); shift; done
[ $# -gt 0 ] || { echo "usage: bench/test-main.sh [JVM options] CLASS [arguments]" >&2; exit 2; }
JAVA_HOME="$REKAP_JAVA_HOME" mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test.cp >/dev/null
exec "$REKAP_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED "${jvm[@]}" \
  -cp "target/test-classes:target/classes:$(cat target/test.cp)" "$@"
