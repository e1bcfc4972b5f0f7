#!/usr/bin/env bash
# Load test at national scale, loopback only and bounded in time: the
# campaign that BenchmarkRunNational generates and scores (100,000 units;
# run it first, see the README), served by `thidua serve` on that database.
# Prints how long the first leaderboard read takes after the start, then
# for the JSON leaderboard and each public page its rate, p99 and the
# server's RSS after it.
#   THIDUA_BENCH_DATABASE_URL=postgres://… bash bench/national.sh [seconds] [connections]
# THIDUA_BENCH_ADDR (default 127.0.0.1:18093) is the server's address, so
# that two benchmarks can run at once (each on its own database).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
conns=${2:-64}
url=${THIDUA_BENCH_DATABASE_URL:?set THIDUA_BENCH_DATABASE_URL to the database BenchmarkRunNational prepared}
for tool in wrk curl; do command -v $tool >/dev/null || { echo "$tool is needed"; exit 1; }; done

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
go build -o "$out/thidua" .
addr=${THIDUA_BENCH_ADDR:-127.0.0.1:18093}
base=http://$addr
start=$(date +%s.%N)
DATABASE_URL="$url" THIDUA_ADDR=$addr THIDUA_SCHEDULER=off THIDUA_LOG_LEVEL=${THIDUA_LOG_LEVEL:-warn} \
  "$out/thidua" serve >"$out/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf $base/readyz >/dev/null && break; sleep 0.1; done
ready=$(date +%s.%N)
first=$(curl -sf -o /dev/null -w '%{time_total}' "$base/api/v1/campaigns/national/leaderboard")
rss() { echo $(( $(ps -o rss= -p $server) / 1024 )); }
echo "== $(date -u +%FT%TZ), $(nproc) cores, $conns connections, ${secs}s each, national campaign"
awk -v s="$start" -v r="$ready" -v f="$first" 'BEGIN { printf "ready after %.2f s; the first leaderboard read then took %.3f s\n", r - s, f }'
echo "RSS after the first read: $(rss) MB"
row() { # name path
  curl -sf -o /dev/null "$base$2" || { echo "$1: $2 failed"; exit 1; }
  wrk -t2 -c"$conns" -d"${secs}s" --latency "$base$2" >"$out/run.txt"
  printf '%-32s %9s req/s  p99 %8s  RSS %4s MB\n' "$1" "$(awk '/Requests\/sec/ {print $2}' "$out/run.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$out/run.txt")" "$(rss)"
}
row "JSON leaderboard" "/api/v1/campaigns/national/leaderboard"
row "home /" "/"
row "leaderboard page" "/c/national"
row "unit page" "/c/national/u/T01-X0000"
row "coverage page" "/c/national/coverage"
row "honour roll" "/c/national/honours"
