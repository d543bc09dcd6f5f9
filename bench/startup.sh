#!/usr/bin/env bash
# Benchmark: start-up time and peak memory of `svc --version` and `svc inbox` beside the sqlite3 shell
# doing the same: `sqlite3 --version`, and the inbox's query (open conversations, oldest waiting first,
# with contact and account, --limit 50) on the same state file. Each row: the median wall time of RUNS
# fresh processes (default 30) and the largest peak RSS (getrusage of the child).
#
#   bench/startup.sh [WORLD_SIZE]   (default 3000 sandbox messages pulled into the state file)
#
# Environment: SVC (default build-bench/svc), SQLITE3 (default sqlite3), RUNS. Prints a table, and with
# --tsv (first argument) one line per row: name, median ms, peak KB (bench/run.sh reads that).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tsv=0
if [ "${1:-}" = --tsv ]; then tsv=1; shift; fi
world=${1:-3000}
svc=${SVC:-$root/build-bench/svc}
sqlite=${SQLITE3:-sqlite3}
runs=${RUNS:-30}
[ -x "$svc" ] || { echo "missing $svc: build it (ninja -C build-bench svc) or set SVC" >&2; exit 2; }
command -v "$sqlite" >/dev/null || { echo "missing sqlite3 or set SQLITE3" >&2; exit 2; }

work=$(mktemp -d)
sandbox=
cleanup() {
  if [ -n "$sandbox" ]; then kill "$sandbox" 2>/dev/null || true; wait "$sandbox" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# A real state file: the sandbox's world pulled by svc (not timed).
"$svc" sandbox serve --port 0 --port-file "$work/port" --world-size "$world" --seed 1 >"$work/sandbox.json" 2>/dev/null &
sandbox=$!
for _ in $(seq 600); do [ -s "$work/port" ] && [ -s "$work/sandbox.json" ] && break; sleep 0.05; done
export SVC_STATE=$work/state.db
eval "$(python3 - "$work/sandbox.json" <<'PY'
import json, shlex, sys
d = json.load(open(sys.argv[1])); a = {x["platform"]: x for x in d["accounts"]}
print(f"export URL={shlex.quote(d['url'])} B_WB={shlex.quote(a['weibo']['token'])} B_TG={shlex.quote(a['telegram']['token'])}")
PY
)"
export B_WB B_TG
"$svc" -q account bind weibo wb --token-env B_WB --base-url "$URL" --rate-limit 0 >/dev/null
"$svc" -q account bind telegram tg --token-env B_TG --base-url "$URL" --rate-limit 0 >/dev/null
"$svc" -q pull --limit 10000 >/dev/null
"$svc" -q db check >/dev/null # checkpoint: both sides read the same settled file
kill "$sandbox"; wait "$sandbox" 2>/dev/null || true; sandbox=

# The inbox's query as a user would type it into sqlite3: same filter, order, joins and limit.
inbox_sql="SELECT c.id, a.name, c.channel, k.name, c.status, g.name,
  strftime('%Y-%m-%dT%H:%M:%SZ', c.waiting_since, 'unixepoch'), m.text
FROM conversations c JOIN accounts a ON a.id = c.account_id JOIN contacts k ON k.id = c.contact_id
LEFT JOIN agents g ON g.id = c.assignee_id
LEFT JOIN messages m ON m.id = (SELECT id FROM messages WHERE conversation_id = c.id ORDER BY created_at DESC, id DESC LIMIT 1)
WHERE c.status = 'open' ORDER BY c.waiting_since IS NULL, c.waiting_since, c.id LIMIT 50;"

python3 - "$runs" "$tsv" "$svc" "$sqlite" "$SVC_STATE" "$inbox_sql" <<'PY'
import os, statistics, sys, time
runs, tsv, svc, sqlite, state, sql = int(sys.argv[1]), sys.argv[2] == "1", *sys.argv[3:]
def measure(argv):
    times, peak = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:
            fd = os.open(os.devnull, os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2)
            os.execv(argv[0], argv)
        _, status, usage = os.wait4(pid, 0)
        times.append(time.perf_counter() - t0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{argv} failed")
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times) * 1000, peak
import shutil
sqlite = shutil.which(sqlite) or sqlite
rows = [
    ("svc --version", measure([svc, "--version"])),
    ("sqlite3 --version", measure([sqlite, "--version"])),
    ("svc inbox (table, 50 rows)", measure([svc, "--state", state, "inbox", "--limit", "50"])),
    ("sqlite3 (the inbox query)", measure([sqlite, "-readonly", state, sql])),
]
if tsv:
    for name, (ms, kb) in rows:
        print(f"{name}\t{ms:.2f}\t{kb}")
else:
    print(f"{'':30}{'median ms':>10}{'peak KB':>10}  ({runs} runs each)")
    for name, (ms, kb) in rows:
        print(f"{name:30}{ms:>10.2f}{kb:>10}")
    # Wall times on a shared machine move with its load: say what it was.
    print(f"load average: {' '.join(open('/proc/loadavg').read().split()[:3])}")
PY
# Load-independent figures, when valgrind is installed: instructions executed and libraries loaded.
if [ "$tsv" = 0 ] && command -v valgrind >/dev/null; then
  for args in "--version" "inbox --limit 50"; do
    # shellcheck disable=SC2086 # the words of $args are the arguments
    ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$svc" $args 2>&1 >/dev/null |
         sed -n 's/.*Collected : \([0-9]*\).*/\1/p; s/.*refs: *\([0-9,]*\).*/\1/p' | tr -d , | head -1)
    printf '%-30s%10s instructions (callgrind)\n' "svc $args" "$ir"
  done
  printf '%-30s%10s shared libraries loaded\n' "svc --version" "$(ldd "$svc" | wc -l)"
fi
