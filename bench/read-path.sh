#!/usr/bin/env bash
# bench/read-path.sh: the read-path benchmark of issue 4 (item 5). Rekap against nginx serving the same bytes.
#
# What it does, in order:
#   1. Data set, in a fresh temporary directory (or --dir DIR):
#        province (default): rekap generate --scale province --seed 1 --sheets, rekap import, rekap enroll (officer
#          codes, when this build's simulate needs them), rekap serve, then rekap simulate submits all 60,000 sheets
#          over HTTP; checks that all were accepted and waits until /api/v1/election.json's logSize equals the
#          server's log size (every sheet published), so the documents carry real votes.
#        national: rekap generate --scale national --seed 1 (no sheets: 2.4 million would take too long), import,
#          serve. The documents have zero votes but the real structure, and sizes close to the real ones.
#   2. Fetches the province-level document (default /api/v1/regions/32/ppwp.json) from Rekap twice, with
#      'Accept-Encoding: gzip' and with 'Accept-Encoding: identity', and writes the exact bytes under an nginx root
#      (the .gz next to the identity file). Starts nginx with a minimal configuration of its own (never the system
#      one): worker_processes = nproc (2 on the 2-core machine of docs/benchmarks.md), access_log off,
#      gzip_static on, sendfile on, keep-alive, the same Content-Type and Cache-Control as Rekap. Checks with curl
#      that both answer 200 with byte-identical bodies for both request headers, and aborts if not.
#   3. Measures with wrk (-t2 --latency -H 'Accept-Encoding: gzip'), at 64 and 256 connections, alternating Rekap
#      and nginx (3 rounds each of 10 s after a 10 s warm-up of each), Rekap and nginx on two ports of 127.0.0.1.
#      Prints one line per run (connections, server, round, requests/s, p99, the server's CPU use and CPU time per
#      request), the medians per server, the ratio Rekap/nginx of requests/s, and whether Rekap's p99 at 256
#      connections is <= 10 ms (the goal of issue 4 is ratio >= 1.3 and p99 <= 10 ms).
#      wrk runs on the same 2 cores as the server it measures and uses a good part of them: the figures are those
#      of a 2-core machine shared by client and server, the same for both servers.
#   4. Stops everything it started (trap on EXIT: Rekap, the simulator, nginx, wrk), also on failure or Ctrl-C, and
#      removes the temporary directory (unless --keep or --dir).
#
# Exits non-zero when set-up fails (tools, build, data set, servers, identical bytes); the figures themselves are
# informational: no threshold fails the script.
#
# Needs: bash, curl, nginx, wrk, a JDK >= 21 and Maven (through ./rekap). nginx and wrk are installed with apt-get
# when missing (as root, or through 'sudo -n'). All traffic goes to 127.0.0.1; every load run is bounded in time.
#
# Usage: bench/read-path.sh [options]       (bench/README.md has examples and how to read the output)
#   --scale province|national   data set (default: province)
#   --seed N                    seed of the synthetic election (default: 1)
#   --doc PATH                  document under /api/v1/ to measure (default: regions/32/ppwp.json)
#   --connections "64 256"      connection counts (default: "64 256")
#   --rounds N                  measured runs per server and connection count (default: 3)
#   --duration S                seconds per measured run (default: 10)
#   --warmup S                  seconds of warm-up per server and connection count (default: 10; the JVM needs
#                               them: its JIT compiles the hot path under load)
#   --threads N                 wrk threads (default: 2)
#   --max-background PCT        before each measured run, wait until the machine, with no load of ours, is at most
#   --quiet-wait S              PCT % busy (default: 20), for at most S seconds (default: 30); then run anyway. On a
#                               shared machine other jobs' CPU use otherwise lands in the figures
#   --rekap-port P              (default: 18480)
#   --nginx-port P              (default: 18481)
#   --dir DIR                   work directory (kept); default: a temporary one, removed at exit. When DIR/data
#                               already holds a rekap.db (from an earlier --dir run), it is served as it is:
#                               generate, import and simulate are skipped
#   --keep                      keep the temporary directory
#   --results FILE              also write the runs as tab-separated values to FILE
#   --profile                   during the first Rekap run at the highest connection count, record a JFR profile
#                               and a 'top -H' of the Rekap JVM, and print the hottest frames
#   --nginx-open-file-cache     add 'open_file_cache' to nginx (off by default, as in Debian's nginx.conf)
#   --bare                      also measure bench/BareVertx.java: the same bytes from memory with bare Vert.x (no
#                               Router, prepared headers and buffer) on one event loop per core: what the framework
#                               reaches on this machine, a ceiling for Rekap's read path
#   --bare-loops N              event loops of the bare server (default: nproc); implies --bare
#   --bare-port P               (default: 18482)
#   -h, --help
# Environment: REKAP (the command that runs Rekap; default: <repo>/rekap), REKAP_JAVA_OPTS (passed to ./rekap),
#   REKAP_JAR (the jar BareVertx.java runs on; default: target/rekap.jar next to $REKAP), REKAP_REV (the revision
#   printed in the summary; default: git's HEAD next to $REKAP).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
REKAP="${REKAP:-$repo/rekap}"

scale=province seed=1 doc=regions/32/ppwp.json conns="64 256" rounds=3 duration=10 warmup=10 threads=2
max_bg=20 quiet_wait=30 rekap_port=18480 nginx_port=18481 bare_port=18482 dir="" keep=0 results="" profile=0 nginx_ofc=0 bare=0 bare_loops=""

usage() { sed -n '/^# Usage:/,/^# Environment:/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { echo "read-path: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --doc) doc="${2#/}"; doc="${doc#api/v1/}"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --max-background) max_bg="$2"; shift 2 ;;
    --quiet-wait) quiet_wait="$2"; shift 2 ;;
    --rekap-port) rekap_port="$2"; shift 2 ;;
    --nginx-port) nginx_port="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --results) results="$2"; shift 2 ;;
    --profile) profile=1; shift ;;
    --nginx-open-file-cache) nginx_ofc=1; shift ;;
    --bare) bare=1; shift ;;
    --bare-loops) bare=1; bare_loops="$2"; shift 2 ;;
    --bare-port) bare_port="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
case "$scale" in province|national) ;; *) die "--scale must be province or national, not '$scale'" ;; esac
bare_loops="${bare_loops:-$(nproc)}"
for n in "$seed" "$rounds" "$duration" "$warmup" "$threads" "$rekap_port" "$nginx_port" "$bare_port" "$bare_loops" "$max_bg" "$quiet_wait" $conns; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a whole number: '$n'"
done
[ "$rounds" -ge 1 ] && [ "$duration" -ge 1 ] || die "--rounds and --duration must be at least 1"

# ---------------------------------------------------------------------------------------------------------------
# Everything started here is recorded and stopped at exit, whatever the reason.
rekap_pid="" sim_pid="" nginx_pid="" bare_pid="" wrk_pid="" prof_pid="" created_dir=""
stop_pid() { # pid, seconds to wait after TERM before KILL
  local pid="$1" wait="${2:-10}" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < wait * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_pid "$prof_pid" 2
  stop_pid "$wrk_pid" 2
  stop_pid "$sim_pid" 5
  stop_pid "$nginx_pid" 5
  stop_pid "$bare_pid" 5
  stop_pid "$rekap_pid" 15
  if [ -n "$created_dir" ]; then
    if [ "$keep" = 1 ]; then log "kept $created_dir"; else rm -rf "$created_dir"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "read-path: stopped: line $LINENO failed: $BASH_COMMAND" >&2' ERR
trap 'echo "read-path: interrupted" >&2; exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------------
# Tools: curl, nginx, wrk; installed with apt-get when missing.
mentions() { # text, command...: whether the command's output mentions the text (no pipe: grep -q + pipefail)
  local text="$1" out; shift
  out=$("$@" 2>&1 || true)
  [[ "$out" == *"$text"* ]]
}
find_nginx() { command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true; }
need=()
command -v curl >/dev/null || need+=(curl)
[ -n "$(find_nginx)" ] || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null && sudo -n true 2>/dev/null || die "missing ${need[*]}; install them (apt-get install -y ${need[*]}) or run as root"
    sudo="sudo -n"
  fi
  command -v apt-get >/dev/null || die "missing ${need[*]} and no apt-get to install them with"
  log "installing ${need[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    $sudo apt-get update >/dev/null || die "apt-get update failed"
    if ! $sudo apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; then
      # Some releases have no nginx-light: the plain package has gzip_static too.
      alt=("${need[@]/nginx-light/nginx}")
      $sudo apt-get install -y --no-install-recommends "${alt[@]}" >/dev/null || die "apt-get install ${need[*]} failed"
    fi
  fi
fi
NGINX="$(find_nginx)"
[ -n "$NGINX" ] || die "nginx is still missing after installing it"
command -v wrk >/dev/null || die "wrk is still missing after installing it"
mentions --with-http_gzip_static_module "$NGINX" -V || die "$NGINX has no gzip_static module"

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_busy "$rekap_port" && die "port $rekap_port is in use; pick another with --rekap-port"
port_busy "$nginx_port" && die "port $nginx_port is in use; pick another with --nginx-port"
[ "$rekap_port" != "$nginx_port" ] || die "Rekap and nginx need two different ports"
if [ "$bare" = 1 ]; then
  port_busy "$bare_port" && die "port $bare_port is in use; pick another with --bare-port"
  [ "$bare_port" != "$rekap_port" ] && [ "$bare_port" != "$nginx_port" ] || die "--bare-port must differ from the others"
fi

# ---------------------------------------------------------------------------------------------------------------
# Work directory and data set.
if [ -z "$dir" ]; then
  dir="$(mktemp -d "${TMPDIR:-/tmp}/rekap-read-path.XXXXXX")"
  created_dir="$dir"
else
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  [ ! -e "$dir/data" ] || [ -f "$dir/data/rekap.db" ] || die "$dir/data exists but holds no rekap.db"
fi
log "work directory: $dir"

# The JDK ./rekap will use, for jcmd/jfr and the report.
# shellcheck source=../bin/find-jdk.sh
. "$repo/bin/find-jdk.sh"
rekap_find_jdk || die "no JDK >= 21"
JDK="$REKAP_JAVA_HOME"

log "building Rekap if needed"
"$REKAP" --version >/dev/null || die "'$REKAP --version' failed (build failure? see $repo/target-build.log)"

t0=$SECONDS
reuse=0
[ -f "$dir/data/rekap.db" ] && reuse=1
if [ "$reuse" = 1 ]; then
  log "reusing the data set in $dir/data (generate, import and simulate skipped)"
  sheets=0
elif [ "$scale" = province ]; then
  log "generating the province election with its sheets (seed $seed)"
  "$REKAP" generate --scale province --seed "$seed" --out "$dir/gen" --sheets >"$dir/generate.log" 2>&1 \
    || { cat "$dir/generate.log" >&2; die "rekap generate failed"; }
  sheets=$(wc -l <"$dir/gen/sheets.jsonl")
else
  log "generating the national election without sheets (seed $seed)"
  "$REKAP" generate --scale national --seed "$seed" --out "$dir/gen" >"$dir/generate.log" 2>&1 \
    || { cat "$dir/generate.log" >&2; die "rekap generate failed"; }
  sheets=0
fi
if [ "$reuse" = 0 ]; then
  log "importing"
  "$REKAP" import --data "$dir/data" --regions "$dir/gen/regions.csv" --contests "$dir/gen/contests.json" \
    >"$dir/import.log" 2>&1 || { cat "$dir/import.log" >&2; die "rekap import failed"; }
fi

# Since officers enrol their phones, simulate needs one-time codes ('rekap enroll'); older builds had no such step.
sim_codes=()
if [ "$sheets" -gt 0 ] && mentions --codes "$REKAP" simulate --help; then
  log "issuing officer enrolment codes (rekap enroll)"
  "$REKAP" enroll --data "$dir/data" --out "$dir/codes.csv" >"$dir/enroll.log" 2>&1 \
    || { cat "$dir/enroll.log" >&2; die "rekap enroll failed"; }
  sim_codes=(--codes "$dir/codes.csv")
fi

rekap_url="http://127.0.0.1:$rekap_port"
nginx_url="http://127.0.0.1:$nginx_port"
bare_url="http://127.0.0.1:$bare_port"
log "starting rekap serve on 127.0.0.1:$rekap_port"
# One client address stands for all readers and phones here: per-address rate limits are off (bench/flood.sh
# measures them).
"$REKAP" serve --data "$dir/data" --host 127.0.0.1 --port "$rekap_port" --officer-port "$((rekap_port + 10))" \
  --public-rate 0 --officer-rate 0 >"$dir/serve.log" 2>&1 &
rekap_pid=$!
# Starting a national server renders every document: allow several minutes, but no more.
deadline=$((SECONDS + 600))
until curl -fsS --max-time 5 -o /dev/null "$rekap_url/api/v1/election.json" 2>/dev/null; do
  kill -0 "$rekap_pid" 2>/dev/null || { tail -20 "$dir/serve.log" >&2; die "rekap serve exited during start-up"; }
  [ $SECONDS -lt $deadline ] || { tail -20 "$dir/serve.log" >&2; die "rekap serve did not answer within 600 s"; }
  sleep 0.5
done
log "Rekap answers ($((SECONDS - t0)) s since the start of set-up)"

log_size() { curl -fsS --max-time 5 "$rekap_url/api/v1/election.json" | sed -n 's/.*"logSize" *: *\([0-9]*\).*/\1/p'; }
log_written() { curl -fsS --max-time 5 "$rekap_url/metrics" | awk '$1 == "rekap_log_size" { printf "%d", $2 }'; }
if [ "$sheets" -gt 0 ]; then
  log "submitting $sheets sheets with rekap simulate (as fast as the server takes them)"
  timeout 900 "$REKAP" simulate --url "http://127.0.0.1:$((rekap_port + 10))" --scale "$scale" --seed "$seed" --rate 0 "${sim_codes[@]}" \
    >"$dir/simulate.log" 2>&1 &
  sim_pid=$!
  wait "$sim_pid" || { sim_pid=""; tail -5 "$dir/simulate.log" >&2; die "rekap simulate failed"; }
  sim_pid=""
  summary=$(tr '\r' '\n' <"$dir/simulate.log" | grep -a '^accepted' | tail -1)
  log "simulate: $summary"
  accepted=$(echo "$summary" | sed -n 's/^accepted \([0-9]*\).*/\1/p')
  [ "${accepted:-0}" = "$sheets" ] || die "the server accepted ${accepted:-no} of the $sheets sheets (see $dir/simulate.log)"
  # Every entry written (sheets, and enrolments where the build logs them) must be in the published documents.
  expected=$(log_written || true)
  [ -n "$expected" ] && [ "$expected" -ge "$sheets" ] || expected=$sheets
  deadline=$((SECONDS + 60))
  while [ "$(log_size)" != "$expected" ]; do
    [ $SECONDS -lt $deadline ] || die "published logSize is $(log_size), expected $expected, after 60 s"
    sleep 0.5
  done
fi
published=$(log_size)
log "published logSize: $published"
# One more publish interval, so no refresh is pending while we copy the bytes.
sleep 2

# ---------------------------------------------------------------------------------------------------------------
# The same bytes as a static file under nginx.
root="$dir/nginx/html"
file="$root/api/v1/$doc"
mkdir -p "$(dirname "$file")" "$dir/nginx/logs"
fetch() { # accept-encoding, body file, header file
  curl -sS --max-time 30 -H "Accept-Encoding: $1" -D "$3" -o "$2" -w '%{http_code}' "$rekap_url/api/v1/$doc"
}
header() { awk -v h="$1" 'BEGIN { h = tolower(h) ":" } tolower($1) == h { sub(/^[^:]*: */, ""); sub(/\r$/, ""); print; exit }' "$2"; }
code=$(fetch identity "$file" "$dir/rekap-identity.headers") || die "could not fetch /api/v1/$doc from Rekap"
[ "$code" = 200 ] || die "Rekap answered $code for /api/v1/$doc (a province code that exists? see --doc)"
code=$(fetch gzip "$file.gz" "$dir/rekap-gzip.headers") || die "could not fetch /api/v1/$doc (gzip) from Rekap"
[ "$code" = 200 ] || die "Rekap answered $code for /api/v1/$doc with Accept-Encoding: gzip"
[ "$(header Content-Encoding "$dir/rekap-gzip.headers")" = gzip ] || die "Rekap did not answer gzip to Accept-Encoding: gzip"
gzip -t "$file.gz" 2>/dev/null || die "Rekap's gzip body is not valid gzip"
cmp -s <(gzip -dc "$file.gz") "$file" || die "Rekap's gzip body does not decompress to its identity body"
[ "$(header X-Rekap-Log-Size "$dir/rekap-gzip.headers")" = "$published" ] || die "the document changed while it was copied"
ctype="$(header Content-Type "$dir/rekap-identity.headers")"
cache="$(header Cache-Control "$dir/rekap-identity.headers")"
[ -n "$ctype" ] && [ -n "$cache" ] || die "Rekap sent no Content-Type or Cache-Control"
# Same modification time for both files, as gzip_static expects of a pre-compressed copy.
touch -r "$file" "$file.gz"
id_bytes=$(stat -c %s "$file") gz_bytes=$(stat -c %s "$file.gz")
log "document /api/v1/$doc: $id_bytes bytes, $gz_bytes gzipped; Content-Type: $ctype"

# Workers started by root switch to 'nobody' unless told otherwise: keep the caller's user so they can read the root.
user_line=""
[ "$(id -u)" = 0 ] && user_line="user $(id -un) $(id -gn);"
ofc_lines=""
[ "$nginx_ofc" = 1 ] && ofc_lines="open_file_cache max=1000 inactive=60s; open_file_cache_valid 60s;"
cat >"$dir/nginx/nginx.conf" <<EOF
# Written by bench/read-path.sh: serves the bytes Rekap served, as a static file.
$user_line
worker_processes $(nproc);     # one per core: this machine has $(nproc)
daemon off;                    # the script starts and stops it
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;  # wrk keeps its connections; do not make nginx close them every 1,000 requests
    server_tokens off;
    $ofc_lines
    client_body_temp_path $dir/nginx/tmp/body;
    proxy_temp_path $dir/nginx/tmp/proxy;
    fastcgi_temp_path $dir/nginx/tmp/fastcgi;
    uwsgi_temp_path $dir/nginx/tmp/uwsgi;
    scgi_temp_path $dir/nginx/tmp/scgi;
    server {
        listen 127.0.0.1:$nginx_port;
        root $root;
        location /api/v1/ {
            types { }
            default_type "$ctype";
            gzip_static on;      # serves <file>.gz, the bytes Rekap sent, to clients that accept gzip
            gzip_vary on;        # Vary: Accept-Encoding, as Rekap
            add_header Cache-Control "$cache";
        }
    }
}
EOF
mkdir -p "$dir/nginx/tmp"
nginx_e=()   # -e (start-up error log) exists since nginx 1.19.5
if mentions '-e filename' "$NGINX" -h; then nginx_e=(-e "$dir/nginx/logs/error.log"); fi
"$NGINX" -t -q -p "$dir/nginx" "${nginx_e[@]}" -c "$dir/nginx/nginx.conf" \
  || die "nginx refused the configuration $dir/nginx/nginx.conf"
log "starting nginx on 127.0.0.1:$nginx_port"
"$NGINX" -p "$dir/nginx" "${nginx_e[@]}" -c "$dir/nginx/nginx.conf" &
nginx_pid=$!
deadline=$((SECONDS + 20))
until curl -fsS --max-time 2 -o /dev/null "$nginx_url/api/v1/$doc" 2>/dev/null; do
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$dir/nginx/logs/error.log" >&2; die "nginx exited at start-up"; }
  [ $SECONDS -lt $deadline ] || die "nginx did not answer within 20 s"
  sleep 0.2
done

# The calibration server (--bare): the same bytes from memory with bare Vert.x, see bench/BareVertx.java.
servers="rekap nginx"
if [ "$bare" = 1 ]; then
  jar="${REKAP_JAR:-$(cd "$(dirname "$REKAP")" && pwd)/target/rekap.jar}"
  [ -f "$jar" ] || die "no Rekap jar at $jar for --bare (set REKAP_JAR)"
  log "starting bench/BareVertx.java on 127.0.0.1:$bare_port with $bare_loops event loop(s)"
  "$JDK/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -cp "$jar" "$here/BareVertx.java" "$bare_port" \
    "$bare_loops" "/api/v1/$doc" "$file" "$file.gz" "$ctype" "$cache" >"$dir/bare.log" 2>&1 &
  bare_pid=$!
  deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 -o /dev/null "$bare_url/api/v1/$doc" 2>/dev/null; do
    kill -0 "$bare_pid" 2>/dev/null || { cat "$dir/bare.log" >&2; die "BareVertx exited at start-up"; }
    [ $SECONDS -lt $deadline ] || die "BareVertx did not answer within 60 s"
    sleep 0.3
  done
  servers="rekap nginx bare"
fi
url_of() { case "$1" in rekap) echo "$rekap_url" ;; nginx) echo "$nginx_url" ;; bare) echo "$bare_url" ;; esac; }

# All must answer 200 with the same bytes for the same request headers.
for enc in gzip identity; do
  for side in $servers; do
    code=$(curl -sS --max-time 10 -H "Accept-Encoding: $enc" -D "$dir/check-$side-$enc.headers" \
      -o "$dir/check-$side-$enc.body" -w '%{http_code}' "$(url_of $side)/api/v1/$doc") || die "$side did not answer"
    [ "$code" = 200 ] || die "$side answered $code with Accept-Encoding: $enc"
    cmp -s "$dir/check-rekap-$enc.body" "$dir/check-$side-$enc.body" \
      || die "Rekap and $side sent different bodies with Accept-Encoding: $enc (see $dir/check-*)"
    want=""; [ $enc = gzip ] && want=gzip
    got="$(header Content-Encoding "$dir/check-$side-$enc.headers")"; [ "$got" = identity ] && got=""
    [ "$got" = "$want" ] || die "$side sent Content-Encoding '$got' to Accept-Encoding: $enc"
    [ "$(header Content-Type "$dir/check-$side-$enc.headers")" = "$ctype" ] || die "$side sent another Content-Type"
    [ "$(header Cache-Control "$dir/check-$side-$enc.headers")" = "$cache" ] || die "$side sent another Cache-Control"
  done
done
log "checked: $servers answer 200 with byte-identical bodies (gzip: $gz_bytes bytes, identity: $id_bytes bytes)"

# ---------------------------------------------------------------------------------------------------------------
# Measurements.
hz=$(getconf CLK_TCK)
pids_of() { # the server's processes: the JVM, or nginx's master and workers
  case "$1" in
    rekap) echo "$rekap_pid" ;;
    bare) echo "$bare_pid" ;;
    nginx) echo "$nginx_pid"; ps -o pid= --ppid "$nginx_pid" 2>/dev/null || true ;;
  esac
}
cpu_ticks() { # user + system ticks of the given processes
  local total=0 p t
  for p in "$@"; do
    t=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; } # all cores, not idle
background() { # the machine's busy % over one second with no load running: other tenants, other jobs
  local b0 b1; b0=$(busy_ticks); sleep 1; b1=$(busy_ticks)
  awk -v t=$((b1 - b0)) -v hz="$hz" -v n="$ncpu" 'BEGIN { printf "%.0f", 100 * t / hz / n }'
}
to_ms() { # wrk's 1.23ms / 456.78us / 1.02s -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}
run_wrk() { # url, connections, seconds, output file
  timeout $(($3 + 30)) wrk -t"$threads" -c"$2" -d"$3"s --latency -H 'Accept-Encoding: gzip' "$1" >"$4" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || { wrk_pid=""; cat "$4" >&2; die "wrk failed against $1"; }
  wrk_pid=""
}
jfr_file="$dir/rekap.jfr"
profile_rekap() { # runs in the background during one measured Rekap run
  sleep 2
  "$JDK/bin/jcmd" "$rekap_pid" JFR.start name=readpath settings=profile duration=$((duration - 3))s filename="$jfr_file" \
    >"$dir/jcmd.log" 2>&1 || true
  sleep 3
  # The second frame: %CPU over its 2 s interval.
  top -H -b -n 2 -d 2 -p "$rekap_pid" 2>/dev/null | awk '/^top -/ {n++} n == 2' | head -25 >"$dir/top-threads.txt" || true
}

rows="$dir/runs.tsv"
printf 'connections\tserver\tround\treq_per_s\tp99_ms\tcpu_pct\tmachine_cpu_pct\tus_cpu_per_req\terrors\tbackground_busy_pct\n' >"$rows"
ncpu=$(nproc)
echo
echo "Note: wrk (the load client, -t$threads) runs on the same $ncpu cores as the server it measures and takes a good"
echo "part of them. 'cpu%' is the server's own use of the machine, 'all%' the whole machine's (100% = all $ncpu cores,"
echo "wrk and the kernel included); 'us/req' is the server's CPU time per request; 'bg%' is how busy the machine"
echo "was in the second before the run, with no load of ours running (other jobs on a shared machine add noise)."
echo
printf '%-6s %-6s %-6s %12s %9s %6s %6s %8s %6s  %s\n' conns server round 'req/s' 'p99 ms' 'cpu%' 'all%' 'us/req' 'bg%' 'errors'
maxc=$(printf '%s\n' $conns | sort -n | tail -1)
nservers=$(echo $servers | wc -w)
for c in $conns; do
  for side in $servers; do
    [ "$warmup" -gt 0 ] && run_wrk "$(url_of $side)/api/v1/$doc" "$c" "$warmup" "$dir/warmup-$side-$c.txt"
  done
  for ((r = 1; r <= rounds; r++)); do
    # Alternate who goes first: rotate the list of servers by one each round.
    k=$(((r - 1) % nservers))
    order="$(echo $servers $servers | cut -d' ' -f$((k + 1))-$((k + nservers)))"
    for side in $order; do
      out="$dir/wrk-$side-$c-$r.txt"
      prof_pid=""
      if [ "$profile" = 1 ] && [ $side = rekap ] && [ "$c" = "$maxc" ] && [ "$r" = 1 ] && [ "$duration" -ge 6 ]; then
        profile_rekap & prof_pid=$!
      fi
      waited=0
      while bg=$(background); [ "$bg" -gt "$max_bg" ] && [ "$waited" -lt "$quiet_wait" ]; do waited=$((waited + 1)); done
      # shellcheck disable=SC2046
      before=$(cpu_ticks $(pids_of $side)) mbefore=$(busy_ticks)
      run_wrk "$(url_of $side)/api/v1/$doc" "$c" "$duration" "$out"
      # shellcheck disable=SC2046
      after=$(cpu_ticks $(pids_of $side)) mafter=$(busy_ticks)
      [ -n "$prof_pid" ] && wait "$prof_pid" 2>/dev/null || true
      prof_pid=""
      rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
      p99=$(awk '$1 == "99%" {print $2}' "$out")
      [ -n "$rps" ] && [ -n "$p99" ] || { cat "$out" >&2; die "could not read wrk's output ($out)"; }
      p99=$(to_ms "$p99")
      total=$(awk '/requests in/ {print $1}' "$out")
      errs=$(awk '/Non-2xx or 3xx responses:/ {n += $NF} /Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$out")
      read -r cpu allcpu usreq < <(awk -v t=$((after - before)) -v m=$((mafter - mbefore)) -v hz="$hz" -v d="$duration" \
        -v n="$ncpu" -v req="${total:-0}" \
        'BEGIN { s = t / hz; printf "%.0f %.0f %.1f\n", 100 * s / d / n, 100 * m / hz / d / n, (req > 0 ? 1e6 * s / req : 0) }')
      printf '%-6s %-6s %-6s %12.0f %9s %6s %6s %8s %6s  %s\n' "$c" "$side" "$r" "$rps" "$p99" "$cpu" "$allcpu" "$usreq" "$bg" "$errs"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$c" "$side" "$r" "$rps" "$p99" "$cpu" "$allcpu" "$usreq" "$errs" "$bg" >>"$rows"
    done
  done
done

median() { sort -n | awk '{a[NR] = $1} END { if (NR == 0) print 0; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v c="$1" -v s="$2" -v k="$3" 'NR > 1 && $1 == c && $2 == s {print $k}' "$rows"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
echo "Medians over $rounds rounds of ${duration} s (wrk -t$threads --latency -H 'Accept-Encoding: gzip', $gz_bytes-byte gzip body):"
printf '%-6s %-6s %12s %9s %8s\n' conns server 'req/s' 'p99 ms' 'us/req'
for c in $conns; do
  for side in $servers; do
    printf '%-6s %-6s %12.0f %9.2f %8.1f\n' "$c" "$side" "$(col "$c" $side 4 | median)" "$(col "$c" $side 5 | median)" \
      "$(col "$c" $side 8 | median)"
  done
done
busy=$(awk -F'\t' -v m="$max_bg" 'NR > 1 && $10 > m' "$rows" | wc -l)
if [ "$busy" -gt 0 ]; then
  echo "$busy of $(($(wc -l <"$rows") - 1)) runs started on a machine more than $max_bg% busy with other work (bg% above);"
  echo "medians of the other runs only (count in brackets):"
  for c in $conns; do
    for side in $servers; do
      q=$(awk -F'\t' -v c="$c" -v s="$side" -v m="$max_bg" 'NR > 1 && $1 == c && $2 == s && $10 <= m' "$rows")
      [ -n "$q" ] || { printf '%-6s %-6s %12s\n' "$c" "$side" '(none)'; continue; }
      printf '%-6s %-6s %12.0f %9.2f %8.1f  (%d)\n' "$c" "$side" "$(echo "$q" | cut -f4 | median)" "$(echo "$q" | cut -f5 | median)" \
        "$(echo "$q" | cut -f8 | median)" "$(echo "$q" | wc -l)"
    done
  done
fi
echo
for c in $conns; do
  last_c=$c last_ratio=$(ratio "$(col "$c" rekap 4 | median)" "$(col "$c" nginx 4 | median)") last_p99=$(col "$c" rekap 5 | median)
  line="at $c connections: Rekap/nginx requests/s = $last_ratio"
  [ "$bare" = 1 ] && line="$line (bare Vert.x/nginx = $(ratio "$(col "$c" bare 4 | median)" "$(col "$c" nginx 4 | median)"))"
  echo "$line"
done
goal_p99=$(awk -v p="$last_p99" 'BEGIN { print (p <= 10 ? "yes" : "no") }')
goal_ratio=$(awk -v r="$last_ratio" 'BEGIN { print (r >= 1.3 ? "yes" : "no") }')
echo "Rekap/nginx requests/s at $last_c connections >= 1.3: $goal_ratio ($last_ratio)"
echo "Rekap p99 at $last_c connections <= 10 ms: $goal_p99 ($last_p99 ms)"
echo "(goal of issue 4: ratio >= 1.3 with p99 <= 10 ms at 256 connections; informational, does not fail the script)"

if [ "$profile" = 1 ]; then
  echo
  if [ -s "$dir/top-threads.txt" ]; then
    echo "Threads of the Rekap JVM during the profiled run (top -H; the first line is the whole process):"
    sed -n '7,16p' "$dir/top-threads.txt"
  fi
  for i in $(seq 50); do [ -s "$jfr_file" ] && break; sleep 0.2; done
  if [ -s "$jfr_file" ]; then
    "$JDK/bin/jfr" print --stack-depth 64 --events jdk.ExecutionSample "$jfr_file" >"$dir/samples.txt" 2>/dev/null || true
    "$JDK/bin/jfr" print --events jdk.NativeMethodSample "$jfr_file" >"$dir/native-samples.txt" 2>/dev/null || true
    samples=$(grep -c 'jdk.ExecutionSample' "$dir/samples.txt" || true)
    echo
    echo "Hottest top frames in $samples JFR Java execution samples (count, frame):"
    grep -A1 'stackTrace = \[' "$dir/samples.txt" | grep -v -e 'stackTrace = \[' -e '^--$' \
      | sed -e 's/^ *//' -e 's/ *line: [0-9]*//' | sort | uniq -c | sort -rn | head -20 || true
    echo
    echo "Frames of Rekap and vertx-web present in those samples (count of samples including the frame):"
    awk '/jdk.ExecutionSample/ { delete seen } /^ +(org\.rekap|io\.vertx\.ext\.web|io\.vertx\.core\.buffer|io\.vertx\.core\.http\.impl\.http1\.Http1ServerResponse)/ {
           f = $0; sub(/^ +/, "", f); sub(/ +line: [0-9]+.*/, "", f); if (!(f in seen)) { seen[f] = 1; n[f]++ } }
         END { for (f in n) print n[f] "\t" f }' "$dir/samples.txt" | sort -rn | head -15 | sed 's/^/  /' || true
    echo
    echo "Native-method samples (system calls) of the event-loop threads (count, frame):"
    awk '/jdk.NativeMethodSample/ { loop = 0 } /sampledThread = "vert\.x-eventloop/ { loop = 1 }
         /stackTrace = \[/ && loop { getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); n[$0]++ } END { for (f in n) print n[f] "\t" f }' \
      "$dir/native-samples.txt" | sort -rn | head -6 | sed 's/^/  /' || true
    echo "(JFR recording: $jfr_file; samples: $dir/samples.txt, $dir/native-samples.txt)"
  else
    echo "no JFR recording was written (see $dir/jcmd.log)"
  fi
fi

if [ -n "$results" ]; then cp "$rows" "$results"; log "runs written to $results"; fi
echo
rev="${REKAP_REV:-$(git -C "$(dirname "$REKAP")" rev-parse --short HEAD 2>/dev/null || echo '?')}"
echo "Rekap $rev ($REKAP) on $ncpu x $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'),"\
  "$("$JDK/bin/java" -version 2>&1 | head -1), $("$NGINX" -v 2>&1 | sed 's/.*: //'), $(wrk --version 2>&1 | head -1 | awk '{print $1, $2}');"\
  "$scale data set, logSize $published, $(date -u +%Y-%m-%dT%H:%MZ)"
