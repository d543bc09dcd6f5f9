#!/usr/bin/env bash
# Builds svc and runs every test with ctest: once normally, and once under ASan+UBSan unless
# SVC_SKIP_SANITIZE=1. Two compile jobs at most (the machines have two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build() { # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSVC_BUILD_BENCH=OFF "$@" >/dev/null
  ninja -C "$dir" -j2
}

build build
(cd build && ctest --output-on-failure -j2)

# The sanitizer pass is built with clang 14, so every run also proves the clang build (g++ 12 with
# sanitizers reports false -Wmaybe-uninitialized in libstdc++'s <regex> and <functional>).
if [ "${SVC_SKIP_SANITIZE:-0}" != 1 ]; then
  build build-asan -DSVC_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug
  (cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j2)
fi
