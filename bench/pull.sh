#!/usr/bin/env bash
# Benchmark: `svc pull` of ~100,000 messages from the embedded sandbox into a fresh state file, beside
# the ceiling of plain batched SQLite inserts of the same rows (bench/plain_insert.cpp).
#
#   bench/pull.sh [WORLD_SIZE]   (default 97500: about 100,000 stored messages, WeChat outbound records included)
#
# Environment: SVC, PLAIN_INSERT, STORE_INGEST (the binaries); they default to
# build-bench/ (configure it with -DCMAKE_BUILD_TYPE=Release -DSVC_BUILD_TESTS=OFF -DSVC_BUILD_BENCH=ON).
# SVC_BENCH_KEEP=1 keeps the temporary directory (state files, sandbox output) and prints its path.
#
# What is timed (each row is one fresh state file):
#   svc pull (--rate-limit 0)   `svc --format json pull --limit 10000` in a fresh process against a fresh
#                               state file with the three accounts bound with --rate-limit 0: process start,
#                               HTTP to the sandbox (a separate process), JSON parsing, storing, one commit
#                               per page. --limit 10000 is each platform's largest page once the adapters
#                               clamp it: Weibo count 200, Telegram limit 100, WeChat number 10000. The count
#                               is the sum of "new" in the JSON output (checked against the messages table).
#                               This row is the one held to the targets.
#   svc pull (default budgets)  the same with each account's default request budget (lib/svc/inbox/budget.cpp:
#                               Weibo 10, WeChat 20, Telegram 25 requests/s, a state-file transaction per
#                               request): what a user gets. SVC_BENCH_BUDGETS=0 skips it.
#   svc store ingest alone      bench/store_ingest.cpp: Store::messages().ingest() of the same messages,
#                               same pages, no HTTP and no platform JSON.
#   plain batched inserts       bench/plain_insert.cpp: the same rows (messages, and the contacts and
#                               conversations they need) read back from the pulled state file and inserted
#                               into a fresh state file opened by svc's own open_store (same schema, indexes,
#                               WAL, foreign keys), one prepared INSERT per table, one transaction per
#                               page, so the same commits as the pull. The ceiling.
#   plain inserts, no fsync     the same with synchronous=OFF for every page: not held to any target, only
#                               informational: this machine's CPU ceiling for these rows (can 100,000
#                               messages/s be reached here at all?).
# Durability, the same in every timed row but the last: a Telegram page commits synced (synchronous=FULL,
# an fsync), because the next getUpdates confirms it and Telegram never serves it again (the adapter's
# Stream::next_fetch_confirms); a Weibo or WeChat page commits unsynced (synchronous=NORMAL in WAL mode):
# lost in a power cut it rolls back with its cursor and is fetched again. (--durable telegram below.)
# Not timed: the sandbox generating its world (reported separately), binding the accounts.
# Each row also shows the CPU seconds (user + system) of svc's process, or of the timed part of the
# bench program: on a shared machine wall time alone says little (the load average is printed too).
# Search indexing is not part of any row: message text is indexed when first searched (schema v8).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
world_size=${1:-97500}
svc=${SVC:-$root/build-bench/svc}
plain=${PLAIN_INSERT:-$root/build-bench/bench/plain_insert}
store_ingest=${STORE_INGEST:-$root/build-bench/bench/store_ingest}
for bin in "$svc" "$plain" "$store_ingest" /usr/bin/time; do
  [ -x "$bin" ] || { echo "missing $bin: build it (ninja -C build-bench svc plain_insert store_ingest)" >&2; exit 2; }
done

work=$(mktemp -d)
sandbox=
cleanup() {
  if [ -n "$sandbox" ]; then kill "$sandbox" 2>/dev/null || true; wait "$sandbox" 2>/dev/null || true; fi
  if [ "${SVC_BENCH_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# One measured pull into $work/$1/state.db from a sandbox of its own (a pull confirms Telegram updates,
# so a second pull of the same sandbox would see fewer). $2...: extra `account bind` flags.
# Sets world_seconds, pullable, pull_seconds, pull_cpu, pulled.
measure_pull() {
  local dir=$work/$1; shift
  mkdir -p "$dir"
  # 1. The sandbox, its world generated before anything is timed.
  local t0 t1 t2 t3
  t0=$(now)
  "$svc" sandbox serve --port 0 --port-file "$dir/port" --world-size "$world_size" --seed 1 \
    >"$dir/sandbox.json" 2>"$dir/sandbox.err" &
  sandbox=$!
  for _ in $(seq 1200); do [ -s "$dir/port" ] && [ -s "$dir/sandbox.json" ] && break; sleep 0.05; done
  [ -s "$dir/sandbox.json" ] || { echo "the sandbox did not start:" >&2; cat "$dir/sandbox.err" >&2; exit 1; }
  t1=$(now)
  world_seconds=$(elapsed "$t0" "$t1")
  field() {
    python3 -c "import json,sys; d=json.load(open(sys.argv[1])); a={x['platform']:x for x in d['accounts']}; print(eval(sys.argv[2]))" \
      "$dir/sandbox.json" "$1"
  }
  local url
  url=$(field "d['url']")
  pullable=$(curl -s "$url/_sandbox/messages" | python3 -c "
import json, sys
print(sum(1 for m in json.load(sys.stdin) if not (m['platform'] == 'weibo' and m['channel'] == 'dm')))")

  # 2. A fresh state file with the three accounts; secrets in the environment only.
  export SVC_STATE=$dir/state.db
  export BENCH_WEIBO_TOKEN BENCH_TELEGRAM_TOKEN BENCH_WECHAT_SECRET
  BENCH_WEIBO_TOKEN=$(field "a['weibo']['token']")
  BENCH_TELEGRAM_TOKEN=$(field "a['telegram']['token']")
  BENCH_WECHAT_SECRET=$(field "a['wechat']['secret']")
  "$svc" -q account bind weibo wb --token-env BENCH_WEIBO_TOKEN --base-url "$url" "$@" >/dev/null
  "$svc" -q account bind telegram tg --token-env BENCH_TELEGRAM_TOKEN --base-url "$url" "$@" >/dev/null
  "$svc" -q account bind wechat wx --app-id "$(field "a['wechat']['app_id']")" --secret-env BENCH_WECHAT_SECRET \
    --base-url "$url" "$@" >/dev/null

  # 3. The pull, timed end to end.
  t2=$(now)
  /usr/bin/time -f '%U %S' -o "$dir/cpu" "$svc" --format json pull --limit 10000 >"$dir/pull.json"
  t3=$(now)
  pull_seconds=$(elapsed "$t2" "$t3")
  pull_cpu=$(awk '{print $1 + $2}' "$dir/cpu")
  pulled=$(python3 -c "import json,sys; print(sum(r['new'] for r in json.load(open(sys.argv[1]))))" "$dir/pull.json")
  local stored
  stored=$(sqlite3 "$SVC_STATE" "SELECT count(*) FROM messages")
  [ "$pulled" = "$stored" ] || echo "warning: pull reported $pulled new, the state file holds $stored" >&2
  kill "$sandbox" 2>/dev/null || true
  wait "$sandbox" 2>/dev/null || true
  sandbox=
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
budget_row=
if [ "${SVC_BENCH_BUDGETS:-1}" = 1 ]; then
  measure_pull budgets
  budget_row="$pulled $pull_seconds $pull_cpu"
fi
measure_pull free --rate-limit 0

# 4. svc's store alone, and the ceiling: the same rows, same batching.
batches=weibo=200,telegram=100,wechat=10000
ingest_json=$("$store_ingest" --from "$SVC_STATE" --to "$work/ingest.db" --batch "$batches" --durable telegram)
plain_json=$("$plain" --from "$SVC_STATE" --to "$work/plain.db" --batch "$batches" --durable telegram)
nosync_json=$("$plain" --from "$SVC_STATE" --to "$work/nosync.db" --batch "$batches" --synchronous off)

# 5. The table.
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$svc")/CMakeCache.txt" 2>/dev/null || true)
python3 - "$pulled" "$pull_seconds:$pull_cpu" "$plain_json" "$ingest_json" "$budget_row" "$world_size" "$world_seconds" \
  "$pullable" "$(nproc)" "$cpu" "${build_type:-unknown}" "$(sqlite3 --version | cut -d' ' -f1)" \
  "$load_before; after the run $(cut -d' ' -f1-3 /proc/loadavg)" "$nosync_json" <<'EOF'
import json, sys
pulled, pull_s, plain, ingest, budget, world, world_s, pullable, nproc, cpu, build, sqlite, load, nosync = sys.argv[1:]
pull_s, pull_cpu = map(float, pull_s.split(":"))
pulled, plain, ingest, nosync = int(pulled), json.loads(plain), json.loads(ingest), json.loads(nosync)
svc_rate = pulled / pull_s
plain_rate = plain["messages"] / plain["seconds"]
print(f"machine: {nproc} cpus, {cpu}; build {build}; sqlite {sqlite}; load average before the run {load}")
print(f"sandbox world: --world-size {world} --seed 1: {pullable} pullable inbound messages (plus WeChat's outbound"
      f" records), generated and listening in {world_s}s (not timed)")
print(f"pages: weibo 200, telegram 100, wechat 10000 messages; {plain['commits']} commits (Telegram's synced, the rest unsynced);"
      f" the ceiling also inserts {plain['contacts']} contacts and {plain['conversations']} conversations")
print()
rows = [("svc pull end to end (--rate-limit 0)", pulled, pull_s, pull_cpu)]
if budget:
    n, s, c = budget.split()
    rows.append(("svc pull end to end (default budgets)", int(n), float(s), float(c)))
rows.append(("svc store ingest alone (no HTTP)", ingest["messages"], ingest["seconds"], ingest["cpu_seconds"]))
rows.append(("plain batched inserts (ceiling)", plain["messages"], plain["seconds"], plain["cpu_seconds"]))
rows.append(("plain inserts, no fsync (info only)", nosync["messages"], nosync["seconds"], nosync["cpu_seconds"]))
print(f"{'':40}{'messages':>10}{'seconds':>10}{'messages/s':>12}{'/ ceiling':>11}{'cpu s':>8}{'msgs/cpu s':>12}")
for name, n, s, c in rows:
    r = n / s
    print(f"{name:40}{n:>10}{s:>10.3f}{r:>12.0f}{r / plain_rate:>11.2f}{c:>8.2f}{n / c:>12.0f}")
print()
ratio = svc_rate / plain_rate
print(f"targets (svc pull, --rate-limit 0): >= 100000 messages/s: {'met' if svc_rate >= 100000 else 'NOT met'};"
      f" >= 1/3 of the ceiling: {'met' if ratio >= 1 / 3 else 'NOT met'} ({ratio:.2f})")
cpu_ratio = (pulled / pull_cpu) / (plain["messages"] / plain["cpu_seconds"])
print(f"by CPU seconds instead (load-independent; the sandbox's CPU not counted): {pulled / pull_cpu:.0f} messages"
      f" per CPU second, {cpu_ratio:.2f} of the ceiling's")
EOF
