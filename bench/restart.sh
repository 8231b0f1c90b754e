#!/usr/bin/env bash
# bench/restart.sh: how long a restarted server takes to serve again (issue 8, fast restart), with a phase breakdown.
#
# Builds once (and reuses afterwards) a national synthetic election with a polling-day log written straight into
# the store: the set-up, one officer enrolment per TPS (820,161), then each TPS's sheets signed by its simulated
# phone (--contests ppwp: 820,161 PPWP sheets; all: PPWP, DPD and DPR, 2.46 million). Then starts the real server
# (RekapServer.start, the code 'rekap serve' runs) on it --runs times, each time on a freshly opened store, and
# prints the seconds of each phase (open, setup_load, tree_build, tally_init, restore/replay, first_publish, ...),
# when /api/v1/election.json first answered, and the heap in use after a GC.
#
# Usage: bench/restart.sh [--db postgresql://...?currentSchema=S] [--dir DIR] [--scale national|province|small]
#                         [--contests ppwp|all] [--runs N]
#   --dir    where the SQLite file (and the event log, events.log) live (default /tmp/rekap-restart-bench);
#            delete it to rebuild. With --db the data set lives in that schema instead.
# Building the national PPWP data set takes about 5 minutes on 2 cores; each start is measured after it.
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/test-main.sh" -XX:+UseParallelGC ${REKAP_JAVA_OPTS:--Xmx6g} org.rekap.web.RestartBench "$@"
