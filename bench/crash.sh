#!/usr/bin/env bash
# bench/crash.sh: the crash-safety harness of issue 7 (part 5).
#
# Prepares a data directory (the province election's set-up and one officer code per TPS, as 'rekap import' and
# 'rekap enroll' would), starts 'rekap serve' as a process of its own, enrols the officers' phones, then for each
# trial: 64 officers submit signed sheets as fast as the server answers, the server is killed with SIGKILL at a
# random moment (seeded: a random delay, or a random number of acknowledged sheets if that comes first), restarted,
# and checked:
#   - every sheet it acknowledged (HTTP 201 with a receipt) is in the log, byte for byte the entry the receipt names;
#   - every entry decodes, is canonical, signed by an enrolled device, and no retry became a second entry;
#   - the published totals (the nation and the regions of two random sheets, every contest) equal the harness's own
#     recount of the log's sheets;
#   - the new signed checkpoint extends every checkpoint seen before, in every trial (roots recomputed from the
#     entries, and the server's consistency proofs verified).
# Then the phones retry what got no answer (each must be answered, once) and 100 acknowledged sheets are sent again
# (each must get its first receipt back). At the end 'rekap verify' checks the whole site.
#
# Prints one line per trial and a summary; exits 1 if any check failed, 2 on bad options.
# The Java code is src/test/java/org/rekap/reliability/ (CrashMain, CrashHarness); the fast version runs in the test
# suite as CrashSafetyTest. Everything runs on 127.0.0.1; every wait is bounded.
#
# Usage: bench/crash.sh [options]        (--help lists them; docs/reliability.md has measured figures)
#   --trials N          crashes to cause (default 25)
#   --seed N            seed of the election, the order of sheets and the kill moments (default 1)
#   --tps N             TPS whose officers submit (default 0: all 20,000 of the province)
#   --min-delay MS, --max-delay MS   when to kill, after the load starts (default 500 and 4000)
#   --min-acks N, --max-acks N       or once this many sheets are acknowledged, if earlier (default 100 and 2000)
#   --verify-each-trial  run rekap verify after every restart too
#   --dir DIR | --keep   keep the work directory (database, server logs)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
# shellcheck source=../bin/find-jdk.sh
. "$repo/bin/find-jdk.sh"
rekap_find_jdk
command -v mvn >/dev/null || { echo "crash.sh: Maven (mvn) is needed to build; install it (apt-get install maven)." >&2; exit 2; }

cd "$repo"
echo "[$(date +%H:%M:%S)] building (mvn test-compile)..." >&2
cp_file="$repo/target/crash-classpath.txt"
if ! JAVA_HOME="$REKAP_JAVA_HOME" mvn -q -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file" >"$repo/target-crash-build.log" 2>&1; then
  echo "crash.sh: the build failed; see $repo/target-crash-build.log" >&2
  exit 2
fi
rm -f "$repo/target-crash-build.log"
echo "[$(date +%H:%M:%S)] Rekap $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'), $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')" >&2
exec "$REKAP_JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
  -cp "$repo/target/test-classes:$repo/target/classes:$(cat "$cp_file")" org.rekap.reliability.CrashMain "$@"
