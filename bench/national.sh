#!/usr/bin/env bash
# bench/national.sh: issue 8's national benchmark (a, b, c and the restart time), on SQLite or PostgreSQL.
#   1. Generates the national election (SyntheticElection NATIONAL, seed 1: 820,161 TPS, 123 contests), stores the
#      set-up and enrols one phone per TPS (enrolment entries written straight to the store, as if before polling day).
#   2. Signs every TPS's PPWP sheet with its phone's key (in parallel, before the clock starts).
#   3. Starts 'rekap serve' in its own JVM, then submits every sheet over the officer HTTP API, one request per
#      sheet, over 128 keep-alive connections; each answer means durable. Prints wall time and sheets/s.
#   4. Freshness: a probe reads the national PPWP document's published log size every 10 ms; for each acknowledged
#      sheet, the delay until a published size covered it: p50, p99.
#   5. Exactness: the log size and the national PPWP totals against sums of the sheets themselves.
#   6. Memory: heap in use after a full GC (jcmd), with all 123 contests set up and PPWP counted.
#   7. Restart: stops the server and starts it again; time until it answers.
# Usage: bench/national.sh [--db postgresql://...] [--sheets N] [--connections C] [--dir DIR]
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-main.sh" -Xmx8g org.rekap.bench.NationalBench "$@"
