#!/usr/bin/env bash
# Load test of everyday writes on PostgreSQL, loopback only and bounded in
# time, beside what the same PostgreSQL does with a bare transaction of two
# INSERTs (pgbench), measured in the same run:
#   - report PUT, each request another of 500 units (the admin's token);
#   - progress POST to one project (its unit's officer);
#   - judge score PUT, each request another of a judge's assigned projects.
# Every acknowledged write is counted and checked against what is stored
# (its audit entry, or the note). Each round runs pgbench and the three in
# turn, so that other work on the machine weighs on each alike, and prints
# their ratios; the last lines give each ratio's median and spread. Beside
# each rate: the CPU time per request (per transaction for pgbench) of the
# server and of PostgreSQL (every backend, and those that ended), read from
# /proc: on a machine shared with other work, the steadier figure.
#   bash bench/writes.sh [seconds] [connections] [rounds]
# THIDUA_BENCH_ADDR (default 127.0.0.1:18091) and THIDUA_BENCH_DB (default
# thidua_bench_writes) name the server's address and its database, so that
# two benchmarks can run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-8}
conns=${2:-64}
rounds=${3:-1}
pg=${PGURL:-postgres://postgres@127.0.0.1:5432}
db=${THIDUA_BENCH_DB:-thidua_bench_writes}
[[ $db =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "THIDUA_BENCH_DB must be a lower-case SQL name"; exit 1; }
for tool in wrk pgbench psql curl python3; do command -v $tool >/dev/null || { echo "$tool is needed"; exit 1; }; done

out=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$out"' EXIT
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
go build -o "$out/thidua" .
addr=${THIDUA_BENCH_ADDR:-127.0.0.1:18091}
THIDUA_DEMO_DATABASE_URL="$pg/$db?sslmode=disable" THIDUA_ADDR=$addr THIDUA_SCHEDULER=off \
  THIDUA_LOG_LEVEL=${THIDUA_LOG_LEVEL:-warn} "$out/thidua" demo >"$out/demo.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf http://$addr/readyz >/dev/null && break; sleep 0.5; done
base=http://$addr
login() { curl -sf $base/api/v1/auth/login -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
admin=$(login admin demo-admin)
officer=$(login dinhcong demo-unit)
judge=$(login judge1 demo-judge)
month=$(date -u +%Y-%m)
units=$(curl -sf "$base/api/v1/units?limit=500&level=commune" | python3 -c 'import json,sys; print(",".join(json.dumps(u["code"]) for u in json.load(sys.stdin)["items"]))')
indicator=$(curl -sf "$base/api/v1/campaigns/cong-dan-so/indicators" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["key"])')
project=$(curl -sf "$base/api/v1/campaigns/cong-dan-so/projects?unit=P-DINHCONG&limit=100" |
  python3 -c 'import json,sys; print([p["id"] for p in json.load(sys.stdin)["items"] if p["status"] not in ("rejected","withdrawn")][0])')
assigned=$(curl -sf "$base/api/v1/me/assignments?limit=500" -H "Authorization: Bearer $judge" |
  python3 -c 'import json,sys; print(",".join(str(a["project"]["id"]) for a in json.load(sys.stdin)["items"]))')
# Each Lua script counts its 2xx answers per thread; done() prints the sum.
count='
local threads = {}
setup = function(t) table.insert(threads, t); t:set("thread", #threads) end
ok = 0 -- a global: done() reads it from each thread
response = function(status) if status >= 200 and status < 300 then ok = ok + 1 end end
done = function() local n = 0 for _, t in ipairs(threads) do n = n + t:get("ok") end print("acknowledged " .. n) end
'
cat >"$out/report.lua" <<LUA
local units = {$units}
local i = 0
request = function()
  -- each thread starts at another unit: two would otherwise write the same
  -- units in step, and wait on each other's locks as no two officers do
  i = i + 1
  local u = units[((i + thread * math.floor(#units / 2)) % #units) + 1]
  return wrk.format("PUT", "/api/v1/campaigns/cong-dan-so/units/" .. u .. "/reports/$month",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $admin"}, '{"values":{"$indicator":' .. (i % 100) / 100 .. '}}')
end
$count
LUA
cat >"$out/progress.lua" <<LUA
request = function()
  return wrk.format("POST", "/api/v1/projects/$project/progress",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $officer"}, '{"note":"Buổi hướng dẫn kỹ năng số"}')
end
$count
LUA

cat >"$out/score.lua" <<LUA
local projects = {$assigned}
local half = math.floor(#projects / 2)
local i = 0
request = function()
  -- each thread scores its own half of the projects, each visit another
  -- score than the last (an unchanged score writes nothing)
  i = i + 1
  local p = projects[(thread - 1) * half + (i % half) + 1]
  local v = math.floor(i / half) % 10
  return wrk.format("PUT", "/api/v1/projects/" .. p .. "/scores",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer $judge"},
    '{"criteria":{"innovation":' .. v .. ',"effectiveness":' .. v .. ',"replicability":' .. v .. '},"comment":"Chấm lại"}')
end
$count
LUA

# ticks pid… → the CPU ticks the processes spent, with their ended children.
ticks() { for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null; done | sed 's/^.*) //' | awk '{ n += $12 + $13 + $14 + $15 } END { print n + 0 }'; }
pgticks() { ticks $(pgrep -x postgres); }
# cpu ticks requests → microseconds per request
cpu() { awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", n ? 1e6 * t / hz / n : 0 }'; }

# run name script table condition → one line: req/s, p99, and the writes
# acknowledged against the rows of table that condition keeps added
# meanwhile. wrk stops counting at the deadline with up to one request in
# flight per connection: those are stored without being acknowledged.
run() {
  local before after acked stored verdict s0 p0 s1 p1 n
  before=$(psql "$pg/$db" -tAc "SELECT COUNT(*) FROM $3 WHERE $4")
  s0=$(ticks $server) p0=$(pgticks)
  wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$2" "$base/" >"$out/$1.txt"
  s1=$(ticks $server) p1=$(pgticks)
  after=$(psql "$pg/$db" -tAc "SELECT COUNT(*) FROM $3 WHERE $4")
  acked=$(grep -o '[0-9]*$' <(grep acknowledged "$out/$1.txt"))
  stored=$((after - before))
  verdict="each stored once"
  if [ "$stored" -lt "$acked" ] || [ "$stored" -gt $((acked + conns)) ]; then verdict="MISMATCH: $stored stored"; fi
  n=$(awk '/ requests in / { print $1 }' "$out/$1.txt")
  printf '  %-28s %8.0f req/s  p99 %8s  CPU µs/req server %4s, PostgreSQL %4s  %6d acknowledged, %s\n' "$1" \
    "$(awk '/Requests\/sec/ {print $2}' "$out/$1.txt")" "$(awk '$1 == "99%" {print $2}' "$out/$1.txt")" \
    "$(cpu $((s1 - s0)) "$n")" "$(cpu $((p1 - p0)) "$n")" "$acked" "$verdict"
  [ "$verdict" = "each stored once" ] || mismatched=1
}
psql "$pg/$db" -qc "CREATE TABLE bench_a (id bigserial PRIMARY KEY, v text, at timestamptz DEFAULT now()); CREATE TABLE bench_b (id bigserial PRIMARY KEY, v text, at timestamptz DEFAULT now())"
printf 'BEGIN;\nINSERT INTO bench_a (v) VALUES (:client_id);\nINSERT INTO bench_b (v) VALUES (:client_id);\nEND;\n' >"$out/two.sql"

writes=("report PUT (500 units)" "progress POST (one project)" "score PUT (judge's projects)")
echo "== $(date -u +%FT%TZ), $(nproc) cores, $conns connections, ${secs}s each, $rounds rounds"
for r in $(seq 1 "$rounds"); do
  p0=$(pgticks)
  pgbench -n -c"$conns" -j2 -T"$secs" -f "$out/two.sql" "$pg/$db" >"$out/pgbench.txt" 2>/dev/null
  p1=$(pgticks)
  tps=$(awk '/^tps/ {print $3; exit}' "$out/pgbench.txt")
  echo "round $r: pgbench, two INSERTs a transaction: $tps tps, CPU µs/transaction PostgreSQL $(cpu $((p1 - p0)) \
    "$(awk '/^number of transactions actually processed/ { split($NF, a, "/"); print a[1] }' "$out/pgbench.txt")")"
  run "${writes[0]}" "$out/report.lua" audit_log "entity = 'report'"
  run "${writes[1]}" "$out/progress.lua" progress_notes "true"
  # A comment of its own each round: the round's first visits would
  # otherwise repeat the last round's scores, which writes nothing.
  sed "s/Chấm lại/Chấm lại, vòng $r/" "$out/score.lua" >"$out/score-$r.lua"
  run "${writes[2]}" "$out/score-$r.lua" audit_log "entity = 'judge_score'"
  line=""
  for i in 0 1 2; do
    ratio=$(awk -v n="$(awk '/Requests\/sec/ {print $2}' "$out/${writes[$i]}.txt")" -v t="$tps" 'BEGIN { printf "%.0f", 100*n/t }')
    echo "$ratio" >>"$out/ratio$i.txt"
    line="$line, ${writes[$i]%% (*} $ratio%"
  done
  echo "  of pgbench:${line#,}"
done
for i in 0 1 2; do
  sort -n "$out/ratio$i.txt" | awk -v f="${writes[$i]}" '{ v[NR] = $1 } END { printf "%s: %d%% of pgbench (median of %d rounds; %d–%d%%)\n", f, v[int((NR + 1) / 2)], NR, v[1], v[NR] }'
done
echo "server RSS: $(( $(ps -o rss= -p $server) / 1024 )) MB"
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
[ -z "${mismatched:-}" ] || { echo "MISMATCH: an acknowledged write was not stored once"; exit 1; }
