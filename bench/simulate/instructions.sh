#!/usr/bin/env bash
# Instructions per arrival of the benchmark's two C++ loops (bench/simulate.sh's model), counted by
# valgrind's callgrind: unlike seconds, the count does not depend on the load of a shared machine.
# Each binary runs N and 2N arrivals, and the difference is divided by N, so that setup and exit are
# not counted. The branch simulator's mispredicted branches per arrival are shown beside (a rough
# model of the predictor, but the part of the cost that instruction counts miss).
#
#   bench/simulate/instructions.sh [N]      (default 200000)
#
# Environment: SIMULATE_BENCH, MMN_MINIMAL as for bench/simulate.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-200000}
bench=${SIMULATE_BENCH:-$root/build-bench/bench/simulate/simulate_bench}
minimal=${MMN_MINIMAL:-$root/build-bench/bench/simulate/mmn_minimal}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }
for bin in "$bench" "$minimal"; do
  [ -x "$bin" ] || { echo "missing $bin: build it (ninja -C build-bench simulate_bench mmn_minimal)" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# "instructions mispredicted" of one run
count() {
  valgrind --tool=callgrind --branch-sim=yes --callgrind-out-file="$tmp/out" "$@" >/dev/null 2>&1
  callgrind_annotate --show=Ir,Bcm,Bim "$tmp/out" 2>/dev/null | tr -d , | awk '/PROGRAM TOTALS/ {print $1, $3 + $5}'
}

model=(--agents 50 --rate-per-hour 540 --handle-s 300 --patience-s 180 --seed 1)
printf '%-34s%14s%16s\n' "" "instructions" "mispredicted"
declare -A per
for name in svc minimal; do
  bin=$bench
  extra=(--policy least-busy)
  if [ "$name" = minimal ]; then bin=$minimal; extra=(); fi
  read -r i1 b1 < <(count "$bin" --arrivals "$n" "${model[@]}" "${extra[@]}")
  read -r i2 b2 < <(count "$bin" --arrivals $((2 * n)) "${model[@]}" "${extra[@]}")
  per[$name]=$(( (i2 - i1) / n ))
  label="svc simulate (real policy code)"
  [ "$name" = minimal ] && label="minimal C++ loop (no policy)"
  printf '%-34s%14d%16.2f   per arrival\n' "$label" "${per[$name]}" "$(awk -v a="$b1" -v b="$b2" -v n="$n" 'BEGIN {print (b - a) / n}')"
done
printf '\nsvc / minimal: %.2fx the instructions\n' "$(awk -v a="${per[svc]}" -v b="${per[minimal]}" 'BEGIN {print a / b}')"
