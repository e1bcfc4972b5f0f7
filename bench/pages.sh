#!/usr/bin/env bash
# Load test of what people load, loopback only and bounded in time, measured
# in one run beside the cached JSON leaderboard: the public pages, then the
# database-backed lists of the API, each with its rate, its p99, its ratio to
# the JSON leaderboard, and the server's RSS after it.
#   bash bench/pages.sh [seconds] [connections]
# The demo runs on the embedded database, or on PostgreSQL when PGURL is set
# (an empty database is made for it and dropped afterwards).
# THIDUA_BENCH_ADDR (default 127.0.0.1:18092) and THIDUA_BENCH_DB (default
# thidua_bench_pages) name the server's address and that database, so that
# two benchmarks can run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
conns=${2:-64}
for tool in wrk curl python3; do command -v $tool >/dev/null || { echo "$tool is needed"; exit 1; }; done

out=$(mktemp -d)
db=${THIDUA_BENCH_DB:-thidua_bench_pages}
[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "THIDUA_BENCH_DB must be a lower-case SQL name"; exit 1; }
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
go build -o "$out/thidua" .
addr=${THIDUA_BENCH_ADDR:-127.0.0.1:18092}
env=(THIDUA_ADDR=$addr THIDUA_SCHEDULER=off THIDUA_LOG_LEVEL=${THIDUA_LOG_LEVEL:-warn})
if [ -n "${PGURL:-}" ]; then
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
  env+=(THIDUA_DEMO_DATABASE_URL="$PGURL/$db?sslmode=disable")
fi
env "${env[@]}" "$out/thidua" demo >"$out/demo.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf http://$addr/readyz >/dev/null && break; sleep 0.5; done
base=http://$addr
admin=$(curl -sf $base/api/v1/auth/login -H 'Content-Type: application/json' -d '{"username":"admin","password":"demo-admin"}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
auth="Authorization: Bearer $admin"

rss() { echo $(( $(ps -o rss= -p $server) / 1024 )); }
measure() { # name path [header] → req/s p99
  local h=()
  [ -n "${3:-}" ] && h=(-H "$3")
  curl -sf "${h[@]}" -o /dev/null "$base$2" || { echo "$1: $2 failed"; exit 1; }
  wrk -t2 -c"$conns" -d"${secs}s" --latency "${h[@]}" "$base$2" >"$out/run.txt"
  echo "$(awk '/Requests\/sec/ {print $2}' "$out/run.txt") $(awk '$1 == "99%" {print $2}' "$out/run.txt")"
}
echo "== $(date -u +%FT%TZ), $(nproc) cores, $conns connections, ${secs}s each, $([ -n "${PGURL:-}" ] && echo PostgreSQL || echo embedded database)"
read -r json json99 < <(measure json "/api/v1/campaigns/cong-dan-so/leaderboard")
printf '%-34s %9s req/s  p99 %8s  %6s  RSS %4s MB\n' "JSON leaderboard" "$json" "$json99" "100%" "$(rss)"
row() {
  read -r n p99 < <(measure "$@")
  printf '%-34s %9s req/s  p99 %8s  %5.0f%%  RSS %4s MB\n' "$1" "$n" "$p99" "$(awk -v a="$n" -v b="$json" 'BEGIN { print 100*a/b }')" "$(rss)"
}
echo "-- pages"
row "home /" "/"
row "leaderboard page /c/cong-dan-so" "/c/cong-dan-so"
row "unit page" "/c/cong-dan-so/u/P-DINHCONG"
row "coverage page" "/c/cong-dan-so/coverage"
row "honour roll" "/c/cong-dan-so/honours"
echo "-- lists (database)"
row "projects" "/api/v1/campaigns/cong-dan-so/projects?limit=50"
row "units" "/api/v1/units?limit=50&level=commune"
row "runs" "/api/v1/campaigns/cong-dan-so/runs?limit=50"
row "reports queue (admin)" "/api/v1/campaigns/cong-dan-so/reports?status=submitted&limit=50" "$auth"
row "audit (admin)" "/api/v1/audit?limit=50" "$auth"
[ -n "${PGURL:-}" ] && psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
true
