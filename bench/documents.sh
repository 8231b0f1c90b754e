#!/usr/bin/env bash
# bench/documents.sh: what the publisher costs (issue 8): a synthetic election's tally with every TPS's sheets applied
# in memory, then the publisher's set-up and first snapshot (wall and CPU seconds), the size of the frozen views, the
# heap after a GC, and per deep document the CPU time of its tag, rendering, gzip and brotli (a cache miss's work).
#
# Usage: bench/documents.sh [--scale national|province|small] [--contests ppwp|all] [--samples N]
#   National scale needs a few GB of heap: run it under the shared lock (flock /tmp/national.lock ...).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-main.sh" -XX:+UseParallelGC ${REKAP_JAVA_OPTS:--Xmx6g} org.rekap.publish.DocumentBench "$@"
