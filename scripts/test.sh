#!/usr/bin/env bash
# Builds svc and runs every test with ctest: once normally, and once under ASan+UBSan unless
# SVC_SKIP_SANITIZE=1. Two compile jobs at most (the machines have two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build() { # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DSVC_BUILD_BENCH=OFF "$@" >/dev/null
  ninja -C "$dir" -j2
}

# Optimised without debug info: debug info costs a third of the compile time and the tests do not need
# it. -O2, not CMake's -O3: g++ 12 reports a false -Wmaybe-uninitialized in std::optional at -O3.
# scripts/demo.sh builds the same tree.
build build -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG"
(cd build && ctest --output-on-failure -j2)

# The sanitizer pass is built with clang 14, so every run also proves the clang build (g++ 12 with
# sanitizers reports false -Wmaybe-uninitialized in libstdc++'s <regex> and <functional>).
if [ "${SVC_SKIP_SANITIZE:-0}" != 1 ]; then
  # Line tables are all a sanitizer report needs for file:line in its stack traces.
  build build-asan -DSVC_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -gline-tables-only"
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j2)
  # The short fuzz run (6 parsers x 10 s, under 90 s in all); docs/reliability.md has the long one.
  ARTIFACTS=build-asan/fuzz-artifacts tests/fuzz/run.sh build-asan "${SVC_FUZZ_SECONDS:-10}"
fi
