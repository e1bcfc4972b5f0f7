#!/usr/bin/env bash
# Load test, loopback only and bounded in time: the cached leaderboard
# endpoint of the demo against a bare Fiber handler serving the same
# response (its body and its headers, but the date), and against one
# serving the body alone. The three are measured in turn, round after
# round, so that other work on the machine weighs on each alike; each
# round prints its ratios, and the last line their median and spread.
# Beside the rates, the CPU time each server spent per request (from
# /proc): on a machine shared with other work, the steadier figure.
#   bash bench/leaderboard.sh [seconds] [connections] [rounds]
# THIDUA_BENCH_PORT (default 18085) is the server's port on 127.0.0.1;
# the two bare handlers take the next two, so that another benchmark can
# run beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
rounds=${3:-3}
port=${THIDUA_BENCH_PORT:-18085}
[[ $port =~ ^[0-9]+$ ]] || { echo "THIDUA_BENCH_PORT must be a port number"; exit 1; }
bare_port=$((port + 1)) body_port=$((port + 2))
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
go build -o "$out/thidua" .
go build -o "$out/bare" ./bench/bare

THIDUA_ADDR=127.0.0.1:$port THIDUA_SCHEDULER=off THIDUA_LOG_LEVEL=${THIDUA_LOG_LEVEL:-warn} "$out/thidua" demo >"$out/demo.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:$port/readyz >/dev/null && break; sleep 0.5; done
url=http://127.0.0.1:$port/api/v1/campaigns/cong-dan-so/leaderboard
curl -sf -D "$out/headers.txt" "$url" >"$out/body.json"
"$out/bare" -addr 127.0.0.1:$bare_port -file "$out/body.json" -headers "$out/headers.txt" &
same=$!
"$out/bare" -addr 127.0.0.1:$body_port -file "$out/body.json" &
bodyonly=$!
for p in $bare_port $body_port; do
  for _ in $(seq 1 40); do curl -sf http://127.0.0.1:$p/ >/dev/null && break; sleep 0.25; done
done
# The same bytes, but the date and the request id (a fixed one, of the same length).
curl -sf -D "$out/bare-headers.txt" -o "$out/bare-body.json" http://127.0.0.1:$bare_port/
fields() { grep -iv '^date:\|^x-request-id:' "$1" | tr -d '\r' | sort; }
cmp -s "$out/body.json" "$out/bare-body.json" && diff <(fields "$out/headers.txt") <(fields "$out/bare-headers.txt") ||
  { echo "the bare handler does not send the same response"; exit 1; }

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# measure pid url → requests per second and the server's CPU microseconds per request
measure() {
  local t0 t1
  t0=$(ticks "$1")
  wrk -t2 -c"$conns" -d"${secs}s" "$2" >"$out/wrk.txt"
  t1=$(ticks "$1")
  awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" '/ requests in / { n = $1 } /Requests\/sec/ { r = $2 }
    END { printf "%s %.1f\n", r, 1e6 * t / hz / n }' "$out/wrk.txt"
}
echo "response: $(wc -c <"$out/body.json") bytes, headers $(wc -c <"$out/headers.txt") bytes; $rounds rounds of ${secs}s each, $conns connections"
for r in $(seq 1 "$rounds"); do
  read -r lb lbcpu < <(measure $server "$url")
  read -r sm smcpu < <(measure $same http://127.0.0.1:$bare_port/)
  read -r bo bocpu < <(measure $bodyonly http://127.0.0.1:$body_port/)
  echo "$lb $sm $bo $lbcpu $smcpu" >>"$out/rounds.txt"
  awk -v r="$r" -v a="$lb" -v b="$sm" -v c="$bo" -v ac="$lbcpu" -v bc="$smcpu" -v cc="$bocpu" 'BEGIN {
    printf "round %d: cached leaderboard %6.0f req/s (%5.1f µs CPU each), bare (same response) %6.0f (%5.1f µs): %3.0f%%, bare (body only) %6.0f (%5.1f µs): %3.0f%%\n",
      r, a, ac, b, bc, 100*a/b, c, cc, 100*a/c }'
done
awk 'function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { same[NR] = 100 * $1 / $2; body[NR] = 100 * $1 / $3; cpu[NR] = 100 * $5 / $4 }
  END { n = NR; m = median(same, n); mb = median(body, n); mc = median(cpu, n)
    printf "ratio: %.0f%% of the bare handler serving the same response (rounds %.0f–%.0f%%); %.0f%% of one serving the body alone (%.0f–%.0f%%)\n", m, same[1], same[n], mb, body[1], body[n]
    printf "CPU per request: the bare handler (same response) needs %.0f%% of what the service needs (rounds %.0f–%.0f%%)\n", mc, cpu[1], cpu[n] }' "$out/rounds.txt"
