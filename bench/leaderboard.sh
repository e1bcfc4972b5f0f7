#!/usr/bin/env bash
# Load test, loopback only and bounded in time: the cached leaderboard
# endpoint of the demo against a bare Fiber handler serving the same bytes.
#   bash bench/leaderboard.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
go build -o "$out/thidua" .
go build -o "$out/bare" ./bench/bare

THIDUA_ADDR=127.0.0.1:18089 THIDUA_SCHEDULER=off THIDUA_LOG_LEVEL=${THIDUA_LOG_LEVEL:-warn} "$out/thidua" demo >"$out/demo.log" 2>&1 &
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18089/readyz >/dev/null && break; sleep 0.5; done
url=http://127.0.0.1:18089/api/v1/campaigns/cong-dan-so/leaderboard
curl -sf "$url" >"$out/body.json"
"$out/bare" -addr 127.0.0.1:18090 -file "$out/body.json" &
for _ in $(seq 1 40); do curl -sf http://127.0.0.1:18090/ >/dev/null && break; sleep 0.25; done

rps() { wrk -t2 -c"$conns" -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "response: $(wc -c <"$out/body.json") bytes"
lb=$(rps "$url")
bare=$(rps http://127.0.0.1:18090/)
echo "cached leaderboard: $lb req/s"
echo "bare Fiber handler: $bare req/s"
awk -v a="$lb" -v b="$bare" 'BEGIN { printf "ratio: %.0f%% of the bare handler\n", 100*a/b }'
