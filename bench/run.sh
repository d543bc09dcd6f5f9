#!/usr/bin/env bash
# One command, one table: svc's speed beside the tools a user would use instead, as ratios, with the
# machine noted. Runs bench/pull.sh, bench/history.sh, bench/search.sh, bench/simulate.sh and
# bench/startup.sh, reads their figures, prints the table and writes it to docs/benchmarks.md.
#
#   bench/run.sh [--quick] [--no-write]
#
#   --quick      smaller inputs (about 2 minutes instead of about 10 on 2 cores); the table says which
#   --no-write   print only; leave docs/benchmarks.md alone
#
# Environment: BUILD (default build-bench: configure it with -DCMAKE_BUILD_TYPE=Release
# -DSVC_BUILD_TESTS=OFF -DSVC_BUILD_BENCH=ON and `ninja svc plain_insert store_ingest simulate_bench
# mmn_minimal`), PYTHON (a python3 with SimPy 3, as bench/simulate.sh). A row whose script or binary is
# missing says so instead of failing the run. A regression of more than 20% on a row is a bug (issue 11).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
quick=0 write=1
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --no-write) write=0 ;;
    *) echo "usage: bench/run.sh [--quick] [--no-write]" >&2; exit 2 ;;
  esac
done
build=${BUILD:-$root/build-bench}
export SVC=${SVC:-$build/svc}
export PLAIN_INSERT=${PLAIN_INSERT:-$build/bench/plain_insert}
export STORE_INGEST=${STORE_INGEST:-$build/bench/store_ingest}
export SIMULATE_BENCH=${SIMULATE_BENCH:-$build/bench/simulate/simulate_bench}
export MMN_MINIMAL=${MMN_MINIMAL:-$build/bench/simulate/mmn_minimal}
[ -x "$SVC" ] || { echo "missing $SVC: build it, or set BUILD or SVC" >&2; exit 2; }
if [ "$quick" = 1 ]; then
  pull_world=20000 history_n=100000 search_n=100000 arrivals=300000 simpy_arrivals=60000 runs=1 startup_runs=15
else
  pull_world=97500 history_n=1000000 search_n=1000000 arrivals=5000000 simpy_arrivals=500000 runs=3 startup_runs=30
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# svc pull under GNU time for its peak memory; every other svc command (the sandbox included) as it is.
cat >"$work/svc" <<WRAP
#!/usr/bin/env bash
case " \$* " in
  *" pull "*) exec /usr/bin/time -a -o "$work/pull.mem" -f %M "$SVC" "\$@" ;;
  *) exec "$SVC" "\$@" ;;
esac
WRAP
chmod +x "$work/svc"

step() { # name, command...: its stdout in $work/NAME.out; a failure is recorded, not fatal
  local name=$1; shift
  echo "bench: $name ..." >&2
  local t0=$SECONDS
  if "$@" >"$work/$name.out" 2>"$work/$name.err"; then
    echo "bench: $name done in $((SECONDS - t0)) s" >&2
  else
    echo "bench: $name failed (exit $?): $(tail -2 "$work/$name.err" | tr '\n' ' ')" >&2
  fi
}
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SVC_BENCH_BUDGETS=0 SVC=$work/svc step pull "$root/bench/pull.sh" "$pull_world"
[ -x "$root/bench/history.sh" ] && step history "$root/bench/history.sh" "$history_n"
[ -x "$root/bench/search.sh" ] && step search "$root/bench/search.sh" "$search_n"
RUNS=$runs SIMPY_ARRIVALS=$simpy_arrivals step simulate "$root/bench/simulate.sh" "$arrivals"
RUNS=$startup_runs step startup "$root/bench/startup.sh" --tsv
finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$SVC")/CMakeCache.txt" 2>/dev/null || true)
table=$(python3 - "$work" "$quick" "$pull_world" "$history_n" "$search_n" "$arrivals" "$simpy_arrivals" <<'PY'
import os, re, sys
work, quick = sys.argv[1], sys.argv[2] == "1"
pull_world, history_n, search_n, arrivals, simpy_arrivals = sys.argv[3:]
def text(name):
    p = os.path.join(work, name + ".out")
    return open(p, encoding="utf-8", errors="replace").read() if os.path.exists(p) else ""
def num(s):
    try: return float(s.replace(",", ""))
    except (ValueError, AttributeError): return None
rows = []  # (what, svc, baseline name, baseline value, ratio, svc peak MB, baseline peak MB)
def fmt(x, digits=1):
    return "-" if x is None else (f"{x:,.{digits}f}")
def add(what, svc, base_name, base, ratio, svc_mb=None, base_mb=None, d=1):
    rows.append((what, fmt(svc, d), base_name, fmt(base, d), "-" if ratio is None else f"{ratio:.2f}x",
                 fmt(svc_mb), fmt(base_mb)))

# pull.sh: "NAME  messages seconds messages/s / ceiling"
pull = text("pull")
def pull_rate(label):
    m = re.search(re.escape(label) + r"\s+(\d+)\s+([\d.]+)\s+(\d+)", pull)
    return float(m.group(3)) if m else None
svc_rate, plain_rate = pull_rate("svc pull end to end (--rate-limit 0)"), pull_rate("plain batched inserts (ceiling)")
mem = [int(x) for x in open(os.path.join(work, "pull.mem")).read().split() if x.isdigit()] if os.path.exists(os.path.join(work, "pull.mem")) else []
add(f"pull, messages/s ({pull_world} world)", svc_rate, "plain SQLite inserts", plain_rate,
    svc_rate / plain_rate if svc_rate and plain_rate else None, max(mem) / 1024 if mem else None, None, 0)

# history.sh: printf '%-34s %9s %10s %12s %9s  %-30s %s' name seconds rows rate peak_mb target verdict
hist = {}
for line in text("history").splitlines():
    name, rest = line[:34].strip(), line[34:].split()
    if len(rest) >= 4:
        hist[name] = (num(rest[0]), num(rest[3]))
e, s = hist.get("svc export --format jsonl"), hist.get("sqlite3 -json (equivalent query)")
if e or s:
    add(f"export {history_n} messages, s", e and e[0], "sqlite3 -json", s and s[0],
        s[0] / e[0] if e and s and e[0] and s[0] else None, e and e[1], s and s[1], 2)
r = hist.get("svc report (whole history)")
if r:
    add(f"report {history_n} messages, s", r[0], "target 2 s", 2.0, 2.0 / r[0] if r[0] else None, r[1], None, 2)
else:
    add("report, s", None, "target 2 s", 2.0, None)

# search.sh: "FTS: label   results   ms"
fts = [num(l.split()[-1]) for l in text("search").splitlines() if l.startswith("FTS:")]
fts = [x for x in fts if x is not None]
if fts:
    worst = max(fts)
    add(f"search {search_n} messages, ms (slowest FTS row)", worst, "target 50 ms", 50.0, 50.0 / worst, None, None, 1)
else:
    add("search, ms", None, "target 50 ms", 50.0, None)

# simulate.sh: "NAME  arrivals seconds arrivals/s abandoned mean"
sim = text("simulate")
def sim_rate(label):
    m = re.search(re.escape(label) + r"\s+(\d+)\s+([\d.]+)\s+([\d,]+)", sim)
    return num(m.group(3)) if m else None
a, b = sim_rate("svc simulate (real policy code)"), sim_rate("SimPy 3")
add(f"simulate, arrivals/s ({arrivals} / SimPy {simpy_arrivals})", a, "SimPy 3", b, a / b if a and b else None, None, None, 0)
c = sim_rate("minimal C++ loop (no policy)")  # issue 7's other yardstick: within 1.5x of it (0.67x here)
add(f"simulate, arrivals/s ({arrivals})", a, "minimal C++ loop", c, a / c if a and c else None, None, None, 0)

# startup.sh --tsv: name, ms, KB
st = {}
for line in text("startup").splitlines():
    p = line.split("\t")
    if len(p) == 3:
        st[p[0]] = (num(p[1]), num(p[2]))
for svc_name, base_name, what in (("svc --version", "sqlite3 --version", "start-up: --version, ms"),
                                  ("svc inbox (table, 50 rows)", "sqlite3 (the inbox query)", "start-up: inbox, ms")):
    x, y = st.get(svc_name), st.get(base_name)
    add(what, x and x[0], base_name, y and y[0], y[0] / x[0] if x and y and x[0] else None,
        x and x[1] / 1024, y and y[1] / 1024, 2)

head = ("what", "svc", "instead", "instead's", "svc vs it", "svc MB", "its MB")
print("| " + " | ".join(head) + " |")
print("|" + "|".join(["---", "--:", "---", "--:", "--:", "--:", "--:"]) + "|")
for r in rows:
    print("| " + " | ".join(r) + " |")
PY
)
header="machine: $(nproc) cpus, $cpu; $(free -g | awk '/Mem:/ {print $2}') GB; load average $(cut -d' ' -f1-3 /proc/loadavg)
svc $("$SVC" --version | cut -d' ' -f2), build ${build_type:-unknown}; sqlite $(sqlite3 --version | cut -d' ' -f1); run $started .. $finished$( [ "$quick" = 1 ] && echo ' (--quick)' || true)"
echo "$header"
echo
echo "$table"
echo
echo "svc vs it: how many times better svc is (its time / svc's, or svc's rate / its); above 1 is faster."
if [ "$write" = 1 ]; then
  python3 - "$root/docs/benchmarks.md" "$header" "$table" <<'PY'
import re, sys
path, header, table = sys.argv[1:]
doc = open(path, encoding="utf-8").read()
block = "<!-- bench/run.sh writes between these lines -->\n```\n" + header + "\n```\n\n" + table + "\n<!-- end -->"
doc = re.sub(r"<!-- bench/run.sh writes between these lines -->.*?<!-- end -->", lambda m: block, doc, flags=re.S)
open(path, "w", encoding="utf-8").write(doc)
PY
  echo "written to docs/benchmarks.md" >&2
fi
