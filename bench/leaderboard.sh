#!/usr/bin/env bash
# Load test, loopback only and bounded in time: the cached leaderboard
# endpoint of the demo against a bare Fiber handler serving the same
# response (its body and its headers, but the date), and against one
# serving the body alone. The three are measured in turn, round after
# round, so that other work on the machine weighs on each alike; each
# round prints its ratios, and the last line their median and spread.
#   bash bench/leaderboard.sh [seconds] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-64}
rounds=${3:-3}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
go build -o "$out/thidua" .
go build -o "$out/bare" ./bench/bare

THIDUA_ADDR=127.0.0.1:18089 THIDUA_SCHEDULER=off THIDUA_LOG_LEVEL=${THIDUA_LOG_LEVEL:-warn} "$out/thidua" demo >"$out/demo.log" 2>&1 &
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:18089/readyz >/dev/null && break; sleep 0.5; done
url=http://127.0.0.1:18089/api/v1/campaigns/cong-dan-so/leaderboard
curl -sf -D "$out/headers.txt" "$url" >"$out/body.json"
"$out/bare" -addr 127.0.0.1:18090 -file "$out/body.json" -headers "$out/headers.txt" &
"$out/bare" -addr 127.0.0.1:18091 -file "$out/body.json" &
for port in 18090 18091; do
  for _ in $(seq 1 40); do curl -sf http://127.0.0.1:$port/ >/dev/null && break; sleep 0.25; done
done
# The same bytes, but the date and the request id (a fixed one, of the same length).
curl -sf -D "$out/bare-headers.txt" -o "$out/bare-body.json" http://127.0.0.1:18090/
fields() { grep -iv '^date:\|^x-request-id:' "$1" | tr -d '\r' | sort; }
cmp -s "$out/body.json" "$out/bare-body.json" && diff <(fields "$out/headers.txt") <(fields "$out/bare-headers.txt") ||
  { echo "the bare handler does not send the same response"; exit 1; }

rps() { wrk -t2 -c"$conns" -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "response: $(wc -c <"$out/body.json") bytes, headers $(wc -c <"$out/headers.txt") bytes; $rounds rounds of ${secs}s each, $conns connections"
for r in $(seq 1 "$rounds"); do
  lb=$(rps "$url")
  same=$(rps http://127.0.0.1:18090/)
  body=$(rps http://127.0.0.1:18091/)
  echo "$lb $same $body" >>"$out/rounds.txt"
  awk -v r="$r" -v a="$lb" -v b="$same" -v c="$body" 'BEGIN { printf "round %d: cached leaderboard %6.0f req/s, bare (same response) %6.0f: %3.0f%%, bare (body only) %6.0f: %3.0f%%\n", r, a, b, 100*a/b, c, 100*a/c }'
done
awk 'function median(a, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  { same[NR] = 100 * $1 / $2; body[NR] = 100 * $1 / $3 }
  END { n = NR; m = median(same, n); lo = same[1]; hi = same[n]; mb = median(body, n)
    printf "ratio: %.0f%% of the bare handler serving the same response (rounds %.0f–%.0f%%); %.0f%% of one serving the body alone (%.0f–%.0f%%)\n", m, lo, hi, mb, body[1], body[n] }' "$out/rounds.txt"
