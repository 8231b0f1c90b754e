#!/usr/bin/env bash
# bench/cold-start.sh: how long 'rekap serve', started as its own process (a cold JVM, as an operator restarts it),
# takes to answer again on a data directory, with and without the JDK's ahead-of-time cache (./rekap's REKAP_AOT).
#
# restart.sh times RekapServer.start inside one JVM, whose code is compiled already from its first run; this times
# the whole process: JVM start, class loading, JIT warm-up, restore, first snapshot, listening.
# A server writes derived state into its store when it stops: give it a copy of a data set, never a shared one.
#
# Usage: bench/cold-start.sh --data DIR [options]
#   --data DIR       the data directory to serve (rekap.db, unless --db, and log.key)
#   --db URL         serve the election in this PostgreSQL schema instead of DIR/rekap.db
#   --runs N         starts of each kind, alternated (default 3)
#   --aot            also start with an AOT cache: one training start first (REKAP_AOT=train), then N starts with
#                    the cache, alternated with N without it
#   --port P         public port (default 18700; the officer side takes P+10)
#   --serve-opts O   REKAP_JAVA_OPTS of the server (default: none, the launcher's defaults)
# Environment: REKAP (default: ./rekap of this checkout)
# Examples:
#   bench/cold-start.sh --data /tmp/nb/data --runs 3 --aot     # national.sh's SQLite data set
#   bench/cold-start.sh --data /tmp/rall --runs 2               # restart.sh --contests all (after rekap keygen)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
REKAP="${REKAP:-$repo/rekap}"

data="" db="" runs=3 aot="" port=18700 serve_opts=""
usage() { sed -n '/^# Usage:/,/^# Examples:/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "cold-start: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --aot) aot=1; shift ;;
    --port) port="$2"; shift 2 ;;
    --serve-opts) serve_opts="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
[ -n "$data" ] || { usage >&2; die "--data is required"; }
[ -n "$db" ] || [ -f "$data/rekap.db" ] || die "$data holds no rekap.db (give --db URL for an election in PostgreSQL)"
[ -f "$data/log.key" ] || die "$data holds no signing key (log.key); make one with
  rekap keygen --out $data/log.key --origin rekap.bench/restart"
for n in "$port" "$runs"; do [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: '$n'"; done
command -v curl >/dev/null || die "curl is missing"

"$REKAP" --version >/dev/null || die "'$REKAP --version' failed"   # builds the jar first when it must
work="$(mktemp -d "${TMPDIR:-/tmp}/rekap-cold-start.XXXXXX")"
pid=""
stop() {
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
}
trap 'stop; rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

hz=$(getconf CLK_TCK)
url="http://127.0.0.1:$port/api/v1/election.json"
# One start: prints "seconds-to-answer cpu-seconds phases".
start() {
  local mode="$1" t0 t1 cpu
  curl -fs -o /dev/null --max-time 1 "$url" 2>/dev/null && die "something answers on port $port already"
  t0=$(date +%s%N)
  REKAP_AOT="${mode#use}" REKAP_JAVA_OPTS="$serve_opts" "$REKAP" serve --data "$data" ${db:+--db "$db"} --host 127.0.0.1 \
    --port "$port" --officer-port "$((port + 10))" --public-rate 0 --officer-rate 0 >"$work/serve.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null --max-time 1 "$url" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -20 "$work/serve.log" >&2; die "rekap serve exited during start-up"; }
    [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 900 ] || die "no answer within 900 s"
    sleep 0.02
  done
  t1=$(date +%s%N)
  cpu=$(sed 's/^.*) //' "/proc/$pid/stat" | awk -v hz="$hz" '{printf "%.1f", ($12 + $13) / hz}')
  phases=$(grep -o '"setup_load_ms".*}' "$work/serve.log" | head -1 | tr -d '"}' | sed 's/_ms//g; s/,/ /g')
  printf '%-9s %7.1f %7s  %s\n' "$mode" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print (b - a) / 1e9}')" "$cpu" "$phases"
  stop
}

echo "cold starts of rekap serve on ${db:-$data} ($(nproc) cores); seconds until $url answered, process CPU seconds,"
echo "then the server's start phases in ms"
printf '%-9s %7s %7s  %s\n' 'AOT cache' serving cpu phases
if [ -n "$aot" ]; then
  start train
  echo "(trained: $(du -h "$repo/target/rekap.aot" | cut -f1) AOT cache)"
fi
for ((r = 1; r <= runs; r++)); do
  start off
  [ -z "$aot" ] || start use
done
