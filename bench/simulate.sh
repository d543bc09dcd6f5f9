#!/usr/bin/env bash
# Benchmark: `svc simulate`'s event loop against SimPy 3 and a minimal hand-written C++ loop, on the
# model of issue 7: M/M/50+M (50 agents of one chat, Poisson arrivals at 540/h, exponential handling of
# mean 300 s, exponential patience of mean 180 s: occupancy about 0.9), least-busy, 5 million arrivals.
#
#   bench/simulate.sh [ARRIVALS]        (default 5000000, for all three)
#
# Environment:
#   SIMULATE_BENCH, MMN_MINIMAL   the two C++ binaries; default build-bench/bench/simulate/ (configure it with
#                                 -DCMAKE_BUILD_TYPE=Release, or RelWithDebInfo as the tests are; the table
#                                 says which), e.g. `ninja -C build-bench simulate_bench mmn_minimal`
#   SIMPY_ARRIVALS                arrivals for SimPy (default: ARRIVALS; SimPy takes a minute or two for 5M)
#   PYTHON                        a python3 with SimPy 3 (Debian's python3-simpy3); default: python3 if it
#                                 imports simpy, else /usr/bin/python3
#   RUNS                          runs of each C++ binary, the fastest kept (default 3: the machine is shared)
#
# What is timed: the simulation loop alone in each (model setup, process start and output excluded).
#   svc simulate      bench/simulate/simulate_bench.cpp: lib/svc/simulate's run_replication with the real
#                     least-busy policy (routing::make_policy) over routing::AgentIndex, per-agent
#                     occupancy, the wait histogram, abandonment events: what `svc simulate` runs.
#   SimPy 3           bench/simulate/mmn_simpy.py: a simpy.Resource of 50, one process per customer that
#                     waits for the resource or its patience, whichever first.
#   minimal C++ loop  bench/simulate/mmn_minimal.cpp: a count of free agents, a heap of completion times,
#                     a FIFO with lazy abandonment; no policy, no agents, counts only. It draws from svc's
#                     own generator and streams (rng.hpp: the same ziggurat exponential), so the ratio
#                     compares the loops, not two ways of sampling.
# Each prints its answered/abandoned counts and mean wait, beside the closed form (Erlang A), so that the
# three are seen to simulate the same queue.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
arrivals=${1:-5000000}
simpy_arrivals=${SIMPY_ARRIVALS:-$arrivals}
runs=${RUNS:-3}
bench=${SIMULATE_BENCH:-$root/build-bench/bench/simulate/simulate_bench}
minimal=${MMN_MINIMAL:-$root/build-bench/bench/simulate/mmn_minimal}
for bin in "$bench" "$minimal"; do
  [ -x "$bin" ] || { echo "missing $bin: build it (ninja -C build-bench simulate_bench mmn_minimal)" >&2; exit 2; }
done
python=${PYTHON:-}
if [ -z "$python" ]; then
  if python3 -c 'import simpy' 2>/dev/null; then python=python3; else python=/usr/bin/python3; fi
fi
"$python" -c 'import simpy, sys; sys.exit(0 if simpy.__version__.startswith("3") else 1)' 2>/dev/null || {
  echo "no SimPy 3 for $python: install python3-simpy3 (scripts/install-deps.sh) or set PYTHON" >&2
  exit 2
}

model=(--arrivals "$arrivals" --agents 50 --rate-per-hour 540 --handle-s 300 --patience-s 180 --seed 1)
fastest() {  # the run with the fewest seconds, of $runs
  local best="" out
  for _ in $(seq "$runs"); do
    out=$("$@")
    best=$(python3 -c 'import json,sys; a,b=sys.argv[1:]; print(b if not a or json.loads(b)["seconds"] < json.loads(a)["seconds"] else a)' "$best" "$out")
  done
  echo "$best"
}
svc_json=$(fastest "$bench" "${model[@]}" --policy least-busy)
minimal_json=$(fastest "$minimal" "${model[@]}")
simpy_json=$("$python" "$root/bench/simulate/mmn_simpy.py" --arrivals "$simpy_arrivals" --agents 50 \
  --rate-per-hour 540 --handle-s 300 --patience-s 180 --seed 1)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$bench")/../../CMakeCache.txt" 2>/dev/null || true)
python3 - "$svc_json" "$simpy_json" "$minimal_json" "$(nproc)" "$cpu" "${build_type:-unknown}" \
  "$("$python" -c 'import simpy, platform; print(f"python {platform.python_version()}, simpy {simpy.__version__}")')" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$runs" <<'PY'
import json, sys
svc, simpy, minimal = (json.loads(x) for x in sys.argv[1:4])
nproc, cpu, build, py, load, runs = sys.argv[4:]
print(f"machine: {nproc} cpus, {cpu}; C++ build {build}; {py}; load average after the run {load}")
print("model: M/M/50+M, 540 arrivals/h, mean handling 300 s, mean patience 180 s (occupancy about 0.9), "
      f"least-busy; C++ rows: the fastest of {runs} runs")
print()
rows = [("svc simulate (real policy code)", svc), ("SimPy 3", simpy), ("minimal C++ loop (no policy)", minimal)]
print(f"{'':34}{'arrivals':>10}{'seconds':>10}{'arrivals/s':>13}{'abandoned':>11}{'mean wait':>11}")
for name, r in rows:
    rate = r["arrivals"] / r["seconds"]
    ab = r["abandoned"] / r["arrivals"]
    print(f"{name:34}{r['arrivals']:>10}{r['seconds']:>10.3f}{rate:>13,.0f}{ab:>10.2%}{r['mean_wait_s']:>10.2f}s")
print(f"{'Erlang A (exact)':34}{'':>10}{'':>10}{'':>13}{svc['exact_abandon_rate']:>10.2%}{svc['exact_mean_wait_s']:>10.2f}s")
print()
svc_rate = svc["arrivals"] / svc["seconds"]
simpy_rate = simpy["arrivals"] / simpy["seconds"]
minimal_rate = minimal["arrivals"] / minimal["seconds"]
ratio = svc_rate / simpy_rate
print(f"svc / SimPy: {ratio:,.0f}x (target >= 100x: {'met' if ratio >= 100 else 'NOT met'}); "
      f"minimal loop / svc: {minimal_rate / svc_rate:.2f}x (target <= 1.5x: {'met' if minimal_rate / svc_rate <= 1.5 else 'NOT met'})")
PY
