#!/usr/bin/env bash
# Throughput of a trivial actix route with no CORS middleware, ours (`Cors`),
# ours with the route's own `#[cors]` policy under `Cors` (`routes`) and
# actix-cors 0.7, on equivalent policies, measured with wrk on
# 127.0.0.1. See BENCHMARKS.md.
#
#   scripts/load.sh                    # 3 rounds of 5 s per mode and script
#   DURATION=10 ROUNDS=5 scripts/load.sh
#
# Environment: DURATION (seconds per wrk run, default 5), ROUNDS (default 3),
# THREADS (wrk threads), CONNECTIONS (default 32), WORKERS (server workers,
# default 1), PORT (first port, default 18080), PIN (default 1 with two or
# more cores and taskset: the server runs on CPU 0 and wrk on the others, so
# they do not take turns on one core; THREADS then defaults to the number of
# other cores, else to 2).
#
# Each round runs every mode once per script, the modes interleaved, so a
# change in machine load skews them alike; the table shows each mode's
# median over the rounds. Every server is killed on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-5}"
ROUNDS="${ROUNDS:-3}"
CPUS=$(nproc)
if [ -z "${PIN:-}" ]; then
    PIN=0
    if [ "$CPUS" -ge 2 ] && command -v taskset >/dev/null 2>&1; then PIN=1; fi
fi
if [ "$PIN" = 1 ]; then
    SERVER_ON=(taskset -c 0)
    CLIENT_ON=(taskset -c "1-$((CPUS - 1))")
    THREADS="${THREADS:-$((CPUS - 1))}"
    PIN_NOTE="server on CPU 0, wrk on CPUs 1-$((CPUS - 1))"
else
    SERVER_ON=()
    CLIENT_ON=()
    THREADS="${THREADS:-2}"
    PIN_NOTE="not pinned"
fi
CONNECTIONS="${CONNECTIONS:-32}"
WORKERS="${WORKERS:-1}"
PORT="${PORT:-18080}"
MODES=(none floor ours routes actix-cors)
SCRIPTS=(actual preflight)

if ! command -v wrk >/dev/null 2>&1; then
    echo "wrk is not installed: install it with 'apt-get install -y wrk' (Debian/Ubuntu), then run this again." >&2
    exit 1
fi
for tool in curl timeout; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed (apt-get install -y $tool)" >&2; exit 1; }
done

echo "== building examples/load_server.rs (release)"
cargo build --release --example load_server
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
SERVER="$TARGET_DIR/release/examples/load_server"
[ -x "$SERVER" ] || { echo "no server binary at $SERVER" >&2; exit 1; }

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT TERM

# start_server MODE PORT: starts the server and waits (at most 10 s) until it answers.
start_server() {
    "${SERVER_ON[@]}" "$SERVER" "$1" "$2" "$WORKERS" >/dev/null &
    SERVER_PID=$!
    for _ in $(seq 100); do
        if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$2/items"; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "load_server $1 exited early (is port $2 free?)" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "load_server $1 did not answer on port $2 within 10 s" >&2
    exit 1
}

# check_headers MODE PORT: the actual request must get the CORS headers
# exactly when a middleware is on, so wrk measures what it is meant to.
check_headers() {
    local acao
    acao=$(curl -s -D - -o /dev/null --max-time 2 -H 'Origin: https://app.example' "http://127.0.0.1:$2/items" |
        tr -d '\r' | awk -F': ' 'tolower($1) == "access-control-allow-origin" { print $2 }')
    if [ "$1" = none ] && [ -n "$acao" ]; then
        echo "mode none answered with ACAO '$acao'" >&2
        exit 1
    fi
    if [ "$1" != none ] && [ "$acao" != "https://app.example" ]; then
        echo "mode $1 answered with ACAO '$acao', expected https://app.example" >&2
        exit 1
    fi
}

declare -A RESULTS # "script mode" -> space-separated requests/s of each round
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "== load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS round(s), server workers: $WORKERS, $PIN_NOTE"
for round in $(seq "$ROUNDS"); do
    port=$PORT
    for mode in "${MODES[@]}"; do
        start_server "$mode" "$port"
        check_headers "$mode" "$port"
        for script in "${SCRIPTS[@]}"; do
            # floor writes the actual request's headers only; it does not
            # answer preflights
            if [ "$mode" = floor ] && [ "$script" = preflight ]; then continue; fi
            # wrk stops by itself after DURATION; timeout is a safety net.
            out=$(timeout $((DURATION + 30)) "${CLIENT_ON[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" \
                -s "scripts/$script.lua" "http://127.0.0.1:$port/items")
            rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
            errors=$(awk '/Non-2xx or 3xx responses:/ { print $5 }' <<<"$out")
            printf '   round %s  %-10s %-10s %12s req/s%s\n' "$round" "$script" "$mode" "$rps" \
                "${errors:+  (non-2xx: $errors)}"
            RESULTS["$script $mode"]="${RESULTS["$script $mode"]:-} $rps"
        done
        stop_server
        port=$((port + 1))
    done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }

# On a shared VM a run's throughput often falls into one of two levels
# (other guests, host scheduling); the best run of each mode is the one
# least disturbed, the median the typical one. Both are shown.
for stat in median best; do
    echo
    echo "$stat requests/s over $ROUNDS round(s):"
    printf '%-10s %10s %10s %10s %10s %11s %10s %11s %10s %16s\n' script none floor ours routes actix-cors \
        "ours/none" "routes/none" "floor/none" "ours/actix-cors"
    for script in "${SCRIPTS[@]}"; do
        none=$($stat <<<"${RESULTS["$script none"]}")
        floor=$($stat <<<"${RESULTS["$script floor"]:-0}")
        ours=$($stat <<<"${RESULTS["$script ours"]}")
        routes=$($stat <<<"${RESULTS["$script routes"]}")
        theirs=$($stat <<<"${RESULTS["$script actix-cors"]}")
        awk -v s="$script" -v n="$none" -v f="$floor" -v o="$ours" -v r="$routes" -v t="$theirs" 'BEGIN {
            fs = f > 0 ? sprintf("%10.0f", f) : sprintf("%10s", "-")
            fr = f > 0 ? sprintf("%9.1f%%", 100 * f / n) : sprintf("%10s", "-")
            printf "%-10s %10.0f %s %10.0f %10.0f %10.0f %10.1f%% %10.1f%% %s %15.1f%%\n", s, n, fs, o, r, t, 100 * o / n, 100 * r / n, fr, 100 * o / t }'
    done
done
echo "(the preflight's 'none' answers 404: no route takes OPTIONS without a CORS middleware;"
echo " 'floor' writes the allowed actual request's headers in the handler, with no middleware)"
