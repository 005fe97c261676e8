#!/usr/bin/env bash
# Benchmark of the survey web server (a benchmark, not a test: it prints figures and asserts nothing
# except that its own tools work). About 80 s:
#
#   1. wrk against the minimal Poco server (tests/bench/MinimalServer.cpp, same thread/queue/keep-alive
#      settings as Mindset): the fastest a Poco server answers a ~2 KB page on this machine;
#   2. wrk against Mindset's survey page, GET /surveys/<survey>;
#   3. wrk posting a new valid response per request (submit.lua), then the stored row count;
#   4. fairness: one silent client holding a connection + wrk -c64 + fresh curl requests, then 64
#      keep-alive clients counting the answers each one gets (fairness.py);
#   5. the same page with as many connections as worker threads (how much of the tail is queueing);
#   6. thread exhaustion: as many silent, then as many slowly dribbling ("slowloris") connections as the
#      server has threads, each followed by one curl;
#   7. a table of requests/s, p50, p99, max latency and error counts, and Mindset page / minimal page.
#
# Mindset runs with a fresh temporary --data-dir and the default survey folder (surveys/). Both
# servers are stopped by the PIDs this script started, also on error or Ctrl+C.
#
# usage: bash tests/bench/run.sh [--mindset PATH] [--minimal-server PATH] [--survey ID]
#                                [--duration S] [--connections N] [--wrk-threads N] [--keep]
# or:    cmake --build build --target bench
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
mindset=$repo/build/bin/mindset
minimal=$repo/build/bin/mindset_bench_minimal_server
survey=riverside-2026
duration=10
connections=64
wrkThreads=2
keepWork=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case $1 in
        --mindset) mindset=$2; shift 2 ;;
        --minimal-server) minimal=$2; shift 2 ;;
        --survey) survey=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --wrk-threads) wrkThreads=$2; shift 2 ;;
        --keep) keepWork=1; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    esac
done

fail() { echo "run.sh: $*" >&2; exit 1; }
section() { printf '\n== %s\n' "$*"; }

# ---------------------------------------------------------------- tools

asRoot() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo "$@"
    else
        fail "'$*' needs root: run it yourself, or this script as root or with password-less sudo"
    fi
}

# ensureTool COMMAND DEBIAN_PACKAGE
ensureTool() {
    command -v "$1" >/dev/null && return
    echo "installing $2 (apt-get) for '$1'"
    export DEBIAN_FRONTEND=noninteractive
    asRoot apt-get install -y -qq "$2" >/dev/null || { asRoot apt-get update -qq && asRoot apt-get install -y -qq "$2" >/dev/null; }
    command -v "$1" >/dev/null || fail "installed $2 but '$1' is still not on PATH"
}

ensureTool wrk wrk
ensureTool sqlite3 sqlite3
ensureTool curl curl
command -v python3 >/dev/null || ensureTool python3 python3

[[ -x $mindset ]] || fail "no mindset executable at $mindset: build first (cmake --build build)"
[[ -x $minimal ]] || fail "no minimal server at $minimal: build target mindset_bench_minimal_server"

# ---------------------------------------------------------------- server settings
# Mindset has no command-line options for its HTTPServerParams, so read the values it uses from its
# source (ServerOptions defaults and HttpServer.cpp) and give the same ones to the minimal server.

read -r threads minThreads queue backlog keepAliveS maxKeepAlive timeoutS < <(python3 - "$repo/host/web" <<'PY'
import re, sys
web = sys.argv[1]
header = open(f"{web}/HttpServer.h").read()
source = open(f"{web}/HttpServer.cpp").read()
def find(pattern, text, fallback, name):
    m = re.search(pattern, text)
    if m:
        return m.group(1)
    print(f"run.sh: could not read {name} from host/web/HttpServer.*; assuming {fallback}", file=sys.stderr)
    return fallback
values = [
    find(r"int\s+threads\s*=\s*(\d+)", header, "16", "threads"),
    find(r"ThreadPool>\(\s*(\d+)\s*,", source, "2", "the thread pool's minimum"),
    find(r"int\s+queueLength\s*=\s*(\d+)", header, "256", "queueLength"),
    find(r"ServerSocket\s+\w+\([^;]*,\s*(\d+)\s*\)\s*;", source, "64", "the listen backlog"),
    find(r"int\s+keepAliveTimeoutSeconds\s*=\s*(\d+)", header, "5", "keepAliveTimeoutSeconds"),
    find(r"int\s+maxKeepAliveRequests\s*=\s*(\d+)", header, "100", "maxKeepAliveRequests"),
    find(r"setTimeout\(\s*Poco::Timespan\(\s*(\d+)\s*,", source, "60", "the request timeout"),
]
print(" ".join(values))
PY
)

# ---------------------------------------------------------------- processes

work=$(mktemp -d "${TMPDIR:-/tmp}/mindset-bench.XXXXXX")
pids=()

stopPid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do stopPid "$pid"; done
    if [[ $keepWork -eq 1 || $status -ne 0 ]]; then
        echo "work files (logs, database) kept in $work"
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r mindsetPort minimalPort < <(python3 -c '
import socket
a, b = socket.socket(), socket.socket()
a.bind(("127.0.0.1", 0)); b.bind(("127.0.0.1", 0))
print(a.getsockname()[1], b.getsockname()[1])')

mindsetUrl=http://127.0.0.1:$mindsetPort
minimalUrl=http://127.0.0.1:$minimalPort
pageUrl=$mindsetUrl/surveys/$survey
submitUrl=$mindsetUrl/surveys/$survey/responses
database=$work/data/mindset.sqlite

# waitUntilAnswered URL PID LOG NAME
waitUntilAnswered() {
    for _ in $(seq 150); do
        curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || { cat "$3" >&2; fail "$4 exited before answering $1"; }
        sleep 0.1
    done
    cat "$3" >&2
    fail "$4 did not answer $1 within 15 s"
}

section "setup"
echo "machine: $(nproc) CPU(s), shared by wrk and the servers; $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2)"
echo "server settings (from host/web/HttpServer.*, given to both servers): maxThreads $threads" \
     "(ThreadPool $minThreads..$threads), maxQueued $queue, backlog $backlog, keepAliveTimeout ${keepAliveS} s," \
     "maxKeepAliveRequests $maxKeepAlive, timeout ${timeoutS} s"

"$mindset" serve --port "$mindsetPort" --data-dir "$work/data" >"$work/mindset.log" 2>&1 &
pids+=($!)
mindsetPid=$!
"$minimal" "$minimalPort" --threads "$threads" --min-threads "$minThreads" --queue "$queue" --backlog "$backlog" \
    --keep-alive-timeout "$keepAliveS" --max-keep-alive-requests "$maxKeepAlive" --timeout "$timeoutS" \
    >"$work/minimal.log" 2>&1 &
pids+=($!)
minimalPid=$!

waitUntilAnswered "$mindsetUrl/healthz" "$mindsetPid" "$work/mindset.log" "mindset"
waitUntilAnswered "$minimalUrl/" "$minimalPid" "$work/minimal.log" "the minimal server"
echo "mindset (pid $mindsetPid) on $mindsetUrl, data in $work/data; minimal server (pid $minimalPid) on $minimalUrl"

read -r pageStatus pageBytes < <(curl -s -o "$work/page.html" -w '%{http_code} %{size_download}\n' "$pageUrl")
read -r minimalStatus minimalBytes < <(curl -s -o /dev/null -w '%{http_code} %{size_download}\n' "$minimalUrl/")
pageTitle=$(grep -o '<title>[^<]*' "$work/page.html" | head -n1 | cut -c8- || true)
echo "GET $pageUrl -> $pageStatus, $pageBytes bytes, \"$pageTitle\""
echo "GET $minimalUrl/ -> $minimalStatus, $minimalBytes bytes"
[[ $minimalStatus == 200 ]] || fail "the minimal server answered $minimalStatus"
[[ $pageStatus == 200 ]] || echo "warning: the survey page answered $pageStatus; its figures measure that reply"

python3 "$here/submission_fields.py" "$repo/surveys/$survey.json" "$repo/plugins" "$work/fields.lua"

# ---------------------------------------------------------------- throughput

declare -A result

# wrkCommand KEY SECONDS URL SCRIPT: wrk with this run's settings, its report in $work/KEY.out.
wrkCommand() {
    wrk -t"$wrkThreads" -c"$connections" -d"${2}s" --timeout 2s --latency -s "$4" "$3" >"$work/$1.out" 2>&1
}

# reportWrk KEY: prints wrk's report and keeps the values of its BENCH line (report.lua) in result.
reportWrk() {
    grep -v '^BENCH ' "$work/$1.out" | sed 's/^/  /'
    local line pair
    line=$(grep '^BENCH ' "$work/$1.out" | tail -n1 || true)
    [[ -n $line ]] || { echo "  (no figures from wrk for $1)"; return 0; }
    for pair in ${line#BENCH }; do result[$1.${pair%%=*}]=${pair#*=}; done
}

# checkServers: stop here (with the server's log) if a server died, e.g. crashed under load or Ctrl+C.
checkServers() {
    kill -0 "$mindsetPid" 2>/dev/null || { tail -n 20 "$work/mindset.log" >&2; fail "mindset (pid $mindsetPid) is no longer running"; }
    kill -0 "$minimalPid" 2>/dev/null || { tail -n 20 "$work/minimal.log" >&2; fail "the minimal server (pid $minimalPid) is no longer running"; }
}

runWrk() {
    wrkCommand "$@" || echo "(wrk exited with status $?)" >>"$work/$1.out"
    reportWrk "$1"
    checkServers
}

section "minimal Poco server: GET / (${duration} s, $connections connections)"
runWrk minimal "$duration" "$minimalUrl/" "$here/report.lua"

section "Mindset survey page: GET /surveys/$survey (${duration} s, $connections connections)"
runWrk page "$duration" "$pageUrl" "$here/report.lua"

# A respondent's form page (the first instrument's 14 items) needs a draft: start one like a
# browser would, save answers to the page's statements (issue 12 measures the page as it comes
# back with saved answers, which is rendered for each request, not cached), then send the draft's
# cookies with every request.
jar=$work/cookies.txt
curl -s -c "$jar" -o /dev/null "$pageUrl"
csrf=$(awk '$6 == "mindset_csrf" { print $7 }' "$jar")
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$csrf&lang=en" "$mindsetUrl/surveys/$survey/start"
draftCookies=$(awk '$6 ~ /^mindset_/ { printf "%s=%s; ", $6, $7 }' "$jar")
formPageUrl=$mindsetUrl/surveys/$survey/pages/2
savedAnswers=$(curl -s -H "Cookie: $draftCookies" "$formPageUrl" | grep -o 'name="i\.[^"]*" value="2"' |
    sed -E 's/name="([^"]*)" value="([^"]*)"/\1=\2/' | paste -sd '&' -)
curl -s -o /dev/null -H "Cookie: $draftCookies" -d "csrf=$csrf&lang=en&action=later&$savedAnswers" "$formPageUrl"
read -r formStatus formBytes < <(curl -s -o /dev/null -H "Cookie: $draftCookies" -w '%{http_code} %{size_download}\n' "$formPageUrl")
savedCount=$(curl -s -H "Cookie: $draftCookies" "$formPageUrl" | grep -o ' checked>' | wc -l)
echo "GET $formPageUrl with a draft -> $formStatus, $formBytes bytes, $savedCount saved answers shown"

section "Mindset form page: GET /surveys/$survey/pages/2 with a draft holding its answers (${duration} s, $connections connections)"
wrk -t"$wrkThreads" -c"$connections" -d"${duration}s" --timeout 2s --latency -H "Cookie: $draftCookies" \
    -s "$here/report.lua" "$formPageUrl" >"$work/formPage.out" 2>&1 || echo "(wrk exited with status $?)" >>"$work/formPage.out"
reportWrk formPage
checkServers

# The form page is seven times the minimal page's bytes, which the kernel copies and wrk reads on
# the same two cores: a minimal server with a page of the form page's size tells the cost of the
# bytes from the cost of Mindset's work.
largeMinimalPort=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
largeMinimalUrl=http://127.0.0.1:$largeMinimalPort
"$minimal" "$largeMinimalPort" --threads "$threads" --min-threads "$minThreads" --queue "$queue" --backlog "$backlog" \
    --keep-alive-timeout "$keepAliveS" --max-keep-alive-requests "$maxKeepAlive" --timeout "$timeoutS" --page-bytes "$formBytes" \
    >"$work/minimal-large.log" 2>&1 &
pids+=($!)
waitUntilAnswered "$largeMinimalUrl/" "$!" "$work/minimal-large.log" "the minimal server with a large page"
read -r largeMinimalBytes < <(curl -s -o /dev/null -w '%{size_download}\n' "$largeMinimalUrl/")
section "minimal Poco server, page as large as the form page: GET / ($largeMinimalBytes B, ${duration} s, $connections connections)"
runWrk minimalLarge "$duration" "$largeMinimalUrl/" "$here/report.lua"

countResponses() { sqlite3 -cmd ".timeout 5000" "$database" "select count(*) from responses" 2>/dev/null || echo "?"; }

section "Mindset submissions: POST /surveys/$survey/responses (${duration} s, $connections connections)"
storedBefore=$(countResponses)
export MINDSET_BENCH_FIELDS=$work/fields.lua
runWrk submit "$duration" "$submitUrl" "$here/submit.lua"
# Requests still in flight when wrk stopped may be stored after it returns: wait for the count to settle.
stored=$(countResponses)
for _ in $(seq 20); do
    sleep 0.25
    now=$(countResponses)
    [[ $now == "$stored" ]] && break
    stored=$now
done
submitLine=$(grep '^SUBMIT sent=' "$work/submit.out" | tail -n1 || true)
for pair in ${submitLine#SUBMIT }; do result[submit.${pair%%=*}]=${pair#*=}; done
wrkCount=${result[submit.requests]:-?}
got303=${result[submit.got303]:-?}
sent=${result[submit.sent]:-?}
if [[ $stored == "?" || $storedBefore == "?" ]]; then
    verdict="could not read $database"
else
    stored=$((stored - storedBefore))
    if [[ $got303 == "?" ]]; then
        verdict="no counts from submit.lua"
    elif [[ $stored -eq $got303 ]]; then
        verdict="MATCH: every 303 is a stored row, and nothing else was stored"
    elif [[ $stored -gt $got303 && $stored -le $sent ]]; then
        verdict="CONSISTENT: $((stored - got303)) request(s) in flight when wrk stopped were stored; wrk never saw their 303"
    elif [[ $stored -lt $got303 ]]; then
        verdict="MISMATCH: $((got303 - stored)) response(s) answered 303 but not stored"
    else
        verdict="MISMATCH: $((stored - sent)) more row(s) stored than requests sent"
    fi
fi
echo "  wrk requests $wrkCount (303: $got303, other: ${result[submit.non303]:-?} [${result[submit.statuses]:-?}]);" \
     "sent by submit.lua $sent; rows stored in responses: $stored"
echo "  $verdict"

# ---------------------------------------------------------------- fairness and starvation

fairSeconds=5
section "fairness: 1 silent connection + wrk $connections connections (${fairSeconds} s) + fresh curl requests"

# startHolders KEY MODE COUNT SECONDS [GAP]: connections to Mindset that never finish a request, held
# by fairness.py in the background (MODE idle: send nothing; dribble: one header line every GAP s).
startHolders() {
    python3 "$here/fairness.py" "$2" 127.0.0.1 "$mindsetPort" "${@:3}" >"$work/$1.out" 2>&1 &
    pids+=($!)
    holderPid=$!
    for _ in $(seq 50); do
        grep -q '^ready' "$work/$1.out" && return 0
        kill -0 "$holderPid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/$1.out" >&2
    fail "could not open $3 $2 connection(s) to Mindset"
}
holderReport() { grep -v '^ready' "$work/$1.out" | sed 's/^/  /'; }

# probe MAX_SECONDS: one request on a fresh connection; prints "STATUS SECONDS" (000 = no answer).
probe() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time "$1" "$pageUrl" || true; }

startHolders idle1 idle 1 15
idle1Pid=$holderPid
# wrk itself in the background (not a function's subshell), so $! is the PID to stop.
wrk -t"$wrkThreads" -c"$connections" -d"${fairSeconds}s" --timeout 2s --latency -s "$here/report.lua" "$pageUrl" \
    >"$work/fair.out" 2>&1 &
fairWrkPid=$!
pids+=($fairWrkPid)
probes=()
sleep 1
for _ in 1 2 3; do
    probes+=("$(probe 5)")
    sleep 0.7
done
wait "$fairWrkPid" || echo "(wrk exited with status $?)" >>"$work/fair.out"
reportWrk fair
checkServers
probeWorst=$(printf '%s\n' "${probes[@]}" | sort -k2 -g | tail -n1)
probeStatuses=$(printf '%s\n' "${probes[@]}" | cut -d' ' -f1 | sort | uniq -c | awk '{printf "%s%sx%s", sep, $2, $1; sep=","}')
echo "  fresh curl requests during the run: ${probes[*]// /:} (status:seconds); statuses $probeStatuses; slowest ${probeWorst#* } s"

section "fairness: $connections keep-alive clients, answers per client (${fairSeconds} s, the silent connection still open)"
python3 "$here/fairness.py" clients 127.0.0.1 "$mindsetPort" "/surveys/$survey" "$connections" "$fairSeconds" \
    >"$work/clients.out" 2>&1 || true
sed 's/^/  /' "$work/clients.out"
wait "$idle1Pid" || true
holderReport idle1

# The same load with as many connections as worker threads: how much of the tail above is time spent
# waiting for a thread rather than being served.
section "Mindset survey page with $threads connections (= maxThreads, ${fairSeconds} s)"
savedConnections=$connections
connections=$threads
runWrk threadsOnly "$fairSeconds" "$pageUrl" "$here/report.lua"
connections=$savedConnections

section "thread exhaustion: $threads silent connections (= maxThreads), then one fresh request"
# Both exhaustion stages last a little longer than Poco's request timeout (HTTPServerParams::setTimeout).
startHolders idleAll idle "$threads" $((timeoutS + 4))
idleAllPid=$holderPid
sleep 0.3
exhausted=$(probe $((timeoutS + 3)))
echo "  fresh request while $threads silent connections are open: status ${exhausted% *}, ${exhausted#* } s"
wait "$idleAllPid" || true
holderReport idleAll

dribbleGap=$(( timeoutS > 4 ? 3 : 1 ))
section "thread exhaustion: $threads connections sending one header line every $dribbleGap s (slowloris), then one fresh request"
startHolders dribbleAll dribble "$threads" $((timeoutS + 4)) "$dribbleGap"
dribbleAllPid=$holderPid
sleep 0.3
dribbled=$(probe $((timeoutS + 2)))
echo "  fresh request while they dribble: status ${dribbled% *}, ${dribbled#* } s" \
     "(curl gives up at $((timeoutS + 2)) s, past the ${timeoutS} s timeout; 000 = no answer)"
wait "$dribbleAllPid" || true
holderReport dribbleAll
recovered=$(probe 5)
echo "  fresh request once they are released: status ${recovered% *}, ${recovered#* } s"

# ---------------------------------------------------------------- summary

ms() { awk -v us="${1:-}" 'BEGIN { if (us == "") print "-"; else printf "%.2f", us / 1000 }'; }

row() {
    local key=$1 label=$2
    printf '%-44s %10s %9s %9s %9s %12s  %s\n' "$label" "${result[$key.rps]:--}" "$(ms "${result[$key.p50_us]:-}")" \
        "$(ms "${result[$key.p99_us]:-}")" "$(ms "${result[$key.max_us]:-}")" "${result[$key.non2xx3xx]:--}" \
        "${result[$key.connect]:--}/${result[$key.read]:--}/${result[$key.write]:--}/${result[$key.timeout]:--}"
}

section "summary (wrk -t$wrkThreads -c$connections; latency in ms; socket errors connect/read/write/timeout)"
printf '%-44s %10s %9s %9s %9s %12s  %s\n' "target" "req/s" "p50" "p99" "max" "non-2xx/3xx" "socket errors"
row minimal "minimal Poco page (${minimalBytes} B)"
row page "Mindset GET /surveys/$survey (${pageBytes} B)"
row formPage "Mindset GET .../pages/2, saved answers (${formBytes} B)"
row minimalLarge "minimal Poco page as large (${largeMinimalBytes} B)"
row submit "Mindset POST responses"
row fair "Mindset page + 1 silent connection (${fairSeconds} s)"
row threadsOnly "Mindset page, $threads connections (${fairSeconds} s)"
echo "submissions: non-303 replies ${result[submit.non303]:-?} [${result[submit.statuses]:-?}]; rows stored $stored vs 303 replies $got303 (wrk requests $wrkCount) -> ${verdict%%:*}"
fairnessLine=$(grep '^FAIRNESS' "$work/clients.out" || true)
echo "per-client fairness: ${fairnessLine#FAIRNESS }"
echo "fresh requests: under load slowest ${probeWorst#* } s; with $threads silent connections open ${exhausted#* } s" \
     "(status ${exhausted% *}); with $threads dribbling connections ${dribbled#* } s (status ${dribbled% *})"
for key in page formPage; do
    awk -v name="$key" -v page="${result[$key.rps]:-0}" -v minimal="${result[minimal.rps]:-0}" \
        -v pageP99="${result[$key.p99_us]:-0}" -v minimalP99="${result[minimal.p99_us]:-0}" 'BEGIN {
        if (minimal > 0 && minimalP99 > 0)
            printf "Mindset %s / minimal page: %.3f of the requests/s (%.1fx the p99 latency)\n", name, page / minimal, pageP99 / minimalP99
        else
            printf "Mindset %s / minimal page: n/a (missing figures)\n", name
    }'
done
awk -v form="${result[formPage.rps]:-0}" -v large="${result[minimalLarge.rps]:-0}" 'BEGIN {
    if (large > 0) printf "Mindset formPage / minimal page of the same size: %.3f of the requests/s\n", form / large
}'
