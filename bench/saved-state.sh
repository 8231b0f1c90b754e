#!/usr/bin/env bash
# bench/saved-state.sh: where a start from saved state spends its time (issue 8): reading the saved bytes out of the
# store, parsing them, Restore.run as a start does it, each part's size, and saving it again.
#
# Usage: bench/saved-state.sh (--dir DIR | --db postgresql://...?currentSchema=S)
#   on a data set that holds saved state (bench/restart.sh leaves one after its first run). It writes the saved
#   state again (the same bytes' worth), so run it on a copy of a shared data set. The JVM gets -Xmx8g unless
#   REKAP_JAVA_OPTS says otherwise.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-main.sh" -XX:+UseParallelGC ${REKAP_JAVA_OPTS:--Xmx8g} org.rekap.state.SavedStateBench "$@"
