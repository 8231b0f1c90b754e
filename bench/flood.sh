#!/usr/bin/env bash
# bench/flood.sh: the flood test of issue 7 (item 6). In one JVM: a province election served with the production
# limits, then 20 s of baseline (normal readers and officers) and 20 s of attack (the same plus abusive clients at
# full speed and slowloris connections), each client class on its own loopback addresses. Prints one line per phase
# and the two ratios the issue sets goals for. Bounded: about 1.5 minutes with the set-up.
#
# Usage: bench/flood.sh [phase-seconds] [readers] [abuser-threads] [slowloris-connections]   (defaults 20 64 16 400)
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-main.sh" -Xmx3g org.rekap.web.FloodBench "$@"
