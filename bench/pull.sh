#!/usr/bin/env bash
# Benchmark: `svc pull` of ~100,000 messages from the embedded sandbox into a fresh state file, beside
# the ceiling of plain batched SQLite inserts of the same rows (bench/plain_insert.cpp).
#
#   bench/pull.sh [WORLD_SIZE]            (default 97500: about 100,000 stored messages, WeChat outbound records included)
#
# Environment: SVC (the svc binary), PLAIN_INSERT (the plain_insert binary); both default to
# build-bench/ (configure it with -DCMAKE_BUILD_TYPE=Release -DSVC_BUILD_TESTS=OFF -DSVC_BUILD_BENCH=ON).
# SVC_BENCH_KEEP=1 keeps the temporary directory (state files, sandbox output) and prints its path.
#
# What is timed:
#   svc pull end to end         `svc --format json pull --limit 10000` in a fresh process against a fresh
#                               state file with the three accounts bound: process start, HTTP to the
#                               sandbox (a separate process), JSON parsing, storing, one commit per page.
#                               --limit 10000 is each platform's largest page once the adapters clamp it:
#                               Weibo count 200, Telegram limit 100, WeChat number 10000. The count is the
#                               sum of "new" in the JSON output (checked against the messages table).
#   plain batched inserts       the same rows (messages, and the contacts and conversations they need) read
#                               back from the pulled state file and inserted into a fresh state file opened
#                               by svc's own open_store (same schema, indexes, WAL, synchronous=FULL,
#                               foreign keys), one prepared INSERT per table, one transaction per batch of
#                               the platform's page size, so the same number of commits as the pull.
# Not timed: the sandbox generating its world (reported separately), binding the accounts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
world_size=${1:-97500}
svc=${SVC:-$root/build-bench/svc}
plain=${PLAIN_INSERT:-$root/build-bench/bench/plain_insert}
for bin in "$svc" "$plain"; do
  [ -x "$bin" ] || { echo "missing $bin: build it (ninja -C build-bench svc plain_insert)" >&2; exit 2; }
done

work=$(mktemp -d)
sandbox=
cleanup() {
  [ -n "$sandbox" ] && kill "$sandbox" 2>/dev/null && wait "$sandbox" 2>/dev/null
  if [ "${SVC_BENCH_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# 1. The sandbox, its world generated before anything is timed.
t0=$(now)
"$svc" sandbox serve --port 0 --port-file "$work/port" --world-size "$world_size" --seed 1 \
  >"$work/sandbox.json" 2>"$work/sandbox.err" &
sandbox=$!
for _ in $(seq 1200); do [ -s "$work/port" ] && [ -s "$work/sandbox.json" ] && break; sleep 0.05; done
[ -s "$work/sandbox.json" ] || { echo "the sandbox did not start:" >&2; cat "$work/sandbox.err" >&2; exit 1; }
t1=$(now)
world_seconds=$(elapsed "$t0" "$t1")

field() {
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); a={x['platform']:x for x in d['accounts']}; print(eval(sys.argv[2]))" \
    "$work/sandbox.json" "$1"
}
url=$(field "d['url']")
pullable=$(curl -s "$url/_sandbox/messages" | python3 -c "
import json, sys
print(sum(1 for m in json.load(sys.stdin) if not (m['platform'] == 'weibo' and m['channel'] == 'dm')))")

# 2. A fresh state file with the three accounts; secrets in the environment only.
export SVC_STATE=$work/state.db
export BENCH_WEIBO_TOKEN=$(field "a['weibo']['token']")
export BENCH_TELEGRAM_TOKEN=$(field "a['telegram']['token']")
export BENCH_WECHAT_SECRET=$(field "a['wechat']['secret']")
"$svc" -q account bind weibo wb --token-env BENCH_WEIBO_TOKEN --base-url "$url" >/dev/null
"$svc" -q account bind telegram tg --token-env BENCH_TELEGRAM_TOKEN --base-url "$url" >/dev/null
"$svc" -q account bind wechat wx --app-id "$(field "a['wechat']['app_id']")" --secret-env BENCH_WECHAT_SECRET \
  --base-url "$url" >/dev/null

# 3. The pull, timed end to end.
t2=$(now)
"$svc" --format json pull --limit 10000 >"$work/pull.json"
t3=$(now)
pull_seconds=$(elapsed "$t2" "$t3")
pulled=$(python3 -c "import json,sys; print(sum(r['new'] for r in json.load(open(sys.argv[1]))))" "$work/pull.json")
stored=$(sqlite3 "$SVC_STATE" "SELECT count(*) FROM messages")
[ "$pulled" = "$stored" ] || echo "warning: pull reported $pulled new, the state file holds $stored" >&2

# 4. The ceiling: the same rows, plain inserts, same batching.
plain_json=$("$plain" --from "$SVC_STATE" --to "$work/plain.db" --batch weibo=200,telegram=100,wechat=10000)

# 5. The table.
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$svc")/CMakeCache.txt" 2>/dev/null || true)
python3 - "$pulled" "$pull_seconds" "$plain_json" "$world_size" "$world_seconds" "$pullable" "$(nproc)" "$cpu" \
  "${build_type:-unknown}" "$(sqlite3 --version | cut -d' ' -f1)" <<'EOF'
import json, sys
pulled, pull_s, plain, world, world_s, pullable, nproc, cpu, build, sqlite = sys.argv[1:]
pulled, pull_s, plain = int(pulled), float(pull_s), json.loads(plain)
svc_rate = pulled / pull_s
plain_rate = plain["messages"] / plain["seconds"]
print(f"machine: {nproc} cpus, {cpu}; build {build}; sqlite {sqlite}")
print(f"sandbox world: --world-size {world} --seed 1, {pullable} pullable inbound messages (plus WeChat outbound records), generated and listening in {world_s}s (not timed below)")
print(f"plain inserts also wrote {plain['contacts']} contacts, {plain['conversations']} conversations in {plain['commits']} commits")
print()
rows = [("svc pull end to end", pulled, pull_s, svc_rate),
        ("plain batched inserts (ceiling)", plain["messages"], plain["seconds"], plain_rate)]
print(f"{'':34}{'messages':>10}{'seconds':>10}{'messages/s':>12}")
for name, n, s, r in rows:
    print(f"{name:34}{n:>10}{s:>10.3f}{r:>12.0f}")
print()
ratio = svc_rate / plain_rate
print(f"svc / ceiling: {ratio:.2f}   targets: >= 100000 messages/s ({'met' if svc_rate >= 100000 else 'NOT met'}), "
      f">= 0.33 of the ceiling ({'met' if ratio >= 1 / 3 else 'NOT met'})")
EOF
