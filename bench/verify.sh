#!/usr/bin/env bash
# bench/verify.sh: how long 'rekap verify' takes to check a whole site served by 'rekap serve' (issue 8, goal d).
#
# Serves a data directory (rekap serve on 127.0.0.1, rate limits off), waits until the published snapshot covers the
# whole log, then runs 'rekap verify <url>' (default checks, a fresh state file) --runs times and prints, per run:
# the verifier's wall time, CPU time (user + system) and peak RSS (/usr/bin/time -v), and the server's CPU time
# during the run (/proc/<pid>/stat), since both share the machine. Exits 1 when a verification does not say OK.
#
# A server started on a directory writes derived state into its store: give it a copy, never a shared data set.
#
# Usage: bench/verify.sh --data DIR [options] [-- extra 'rekap verify' arguments]
#   --data DIR          the data directory to serve (holding rekap.db, unless --db, and log.key)
#   --db URL            serve the election in this PostgreSQL schema instead of DIR/rekap.db
#   --port P            public port of the server (default 18600; the officer side takes P+10)
#   --runs N            verifications in a row (default 1)
#   --verify-opts OPTS  JVM options of the verifier (default: -Xmx8g)
#   --serve-opts OPTS   JVM options of the server (default: -Xmx8g)
#   --jfr FILE          record a JFR profile (settings=profile) of the first verification into FILE
#   --server-jfr FILE   record one of the server during the first verification
#   -h, --help
# Environment: REKAP (the command that runs the verifier; default <repo>/rekap), REKAP_SERVE (the one that runs the
#   server; default $REKAP).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
REKAP="${REKAP:-$repo/rekap}"
REKAP_SERVE="${REKAP_SERVE:-$REKAP}"

data="" db="" port=18600 runs=1 verify_opts="-Xmx8g" serve_opts="-Xmx8g" jfr="" server_jfr="" extra=()
usage() { sed -n '/^# Usage:/,/^# Environment:/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "verify-bench: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --verify-opts) verify_opts="$2"; shift 2 ;;
    --serve-opts) serve_opts="$2"; shift 2 ;;
    --jfr) jfr="$2"; shift 2 ;;
    --server-jfr) server_jfr="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[ -n "$data" ] || { usage >&2; die "--data is required"; }
[ -n "$db" ] || [ -f "$data/rekap.db" ] || die "$data holds no rekap.db (give --db URL for an election in PostgreSQL)"
[ -f "$data/log.key" ] || die "$data holds no signing key (log.key); the data sets of restart.sh have none: make one with
  rekap keygen --out $data/log.key --origin rekap.bench/restart"
for n in "$port" "$runs"; do [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: '$n'"; done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
command -v curl >/dev/null || die "curl is missing"
. "$repo/bin/find-jdk.sh"
rekap_find_jdk || die "no JDK >= 21"

work="$(mktemp -d "${TMPDIR:-/tmp}/rekap-verify-bench.XXXXXX")"
serve_pid=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$serve_pid" ] && kill -0 "$serve_pid" 2>/dev/null; then
    kill -TERM "$serve_pid" 2>/dev/null || true
    for _ in $(seq 150); do kill -0 "$serve_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$serve_pid" 2>/dev/null || true
    wait "$serve_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

"$REKAP" --version >/dev/null || die "'$REKAP --version' failed"
url="http://127.0.0.1:$port/"
log "starting rekap serve on $url ($data${db:+, $db})"
REKAP_JAVA_OPTS="$serve_opts" "$REKAP_SERVE" serve --data "$data" --host 127.0.0.1 --port "$port" \
  --officer-port "$((port + 10))" --public-rate 0 --officer-rate 0 ${db:+--db "$db"} >"$work/serve.log" 2>&1 &
serve_pid=$!
# A national start replays the log and renders every document: minutes, not more than 15.
deadline=$((SECONDS + 900))
size() { curl -fsS --max-time 10 "$url/api/v1/election.json" 2>/dev/null | sed -n 's/.*"logSize" *: *\([0-9]*\).*/\1/p'; }
checkpoint_size() { curl -fsS --max-time 10 "$url/checkpoint" 2>/dev/null | sed -n '2p'; }
until [ -n "$(size)" ] && [ "$(size)" = "$(checkpoint_size)" ]; do
  kill -0 "$serve_pid" 2>/dev/null || { tail -20 "$work/serve.log" >&2; die "rekap serve exited during start-up"; }
  [ $SECONDS -lt $deadline ] || die "the server did not publish its whole log within 900 s"
  sleep 1
done
log "serving log size $(size) (the published snapshot covers the whole log)"

hz=$(getconf CLK_TCK)
cpu_s() { sed 's/^.*) //' "/proc/$1/stat" | awk -v hz="$hz" '{printf "%.1f", ($12 + $13) / hz}'; }
failed=0
printf '%-4s %9s %9s %9s %10s  %s\n' run 'wall s' 'cpu s' 'rss MB' 'server s' result
for ((r = 1; r <= runs; r++)); do
  jvm="$verify_opts"
  [ "$r" = 1 ] && [ -n "$jfr" ] && jvm="$jvm -XX:StartFlightRecording=filename=$jfr,settings=profile"
  if [ "$r" = 1 ] && [ -n "$server_jfr" ]; then
    "$REKAP_JAVA_HOME/bin/jcmd" "$serve_pid" JFR.start name=verifybench settings=profile filename="$server_jfr" >/dev/null
  fi
  before=$(cpu_s "$serve_pid")
  rc=0
  REKAP_JAVA_OPTS="$jvm" /usr/bin/time -v -o "$work/time.txt" "$REKAP" verify "$url" --state "$work/state-$r.json" \
    "${extra[@]}" >"$work/verify.out" 2>"$work/verify.err" || rc=$?
  after=$(cpu_s "$serve_pid")
  if [ "$r" = 1 ] && [ -n "$server_jfr" ]; then
    "$REKAP_JAVA_HOME/bin/jcmd" "$serve_pid" JFR.stop name=verifybench >/dev/null
  fi
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.1f", s }' "$work/time.txt")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {printf "%.1f", u + s}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
  result=$(tail -1 "$work/verify.out")
  printf '%-4s %9s %9s %9s %10s  %s\n' "$r" "$wall" "$cpu" "$rss" "$(awk -v a="$after" -v b="$before" 'BEGIN {printf "%.1f", a - b}')" "$result"
  grep -E ' done$' "$work/verify.err" | sed 's/^/     /' || true
  if [ "$rc" != 0 ]; then
    failed=1
    sed -n '/^Findings/,$p' "$work/verify.out" | head -30 >&2
    tail -5 "$work/verify.err" >&2
  fi
done
echo "(wall, cpu and rss: the verifier, /usr/bin/time -v; server s: the server's CPU seconds during the run;" \
  "$(nproc) cores, $("$REKAP_JAVA_HOME/bin/java" -version 2>&1 | head -1))"
exit "$failed"
