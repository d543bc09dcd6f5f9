#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 10), starting from its seeds
# (../shared/fixtures/platforms/ and tests/fuzz/seeds/), with a fresh scratch corpus so the seeds are
# never written to. Exit 1 on the first crash, leak or sanitizer report (the reproducer is kept in
# ARTIFACTS, default ./fuzz-artifacts). docs/reliability.md has the longer run.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: run.sh BUILD_DIR [SECONDS] [TARGET...]}
seconds=${2:-10}
shift $(( $# >= 2 ? 2 : 1 ))
fixtures=$here/../../../shared/fixtures/platforms
artifacts=${ARTIFACTS:-$PWD/fuzz-artifacts}
mkdir -p "$artifacts"
declare -A seeds=(
  [fuzz_weibo]="$fixtures/weibo"
  [fuzz_telegram]="$fixtures/telegram"
  [fuzz_wechat]="$fixtures/wechat"
  [fuzz_callbacks]="$fixtures/wechat $fixtures/telegram $fixtures/weibo"
  [fuzz_time]="$here/seeds/time"
  [fuzz_rules]="$here/seeds/rules"
)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_weibo fuzz_telegram fuzz_wechat fuzz_callbacks fuzz_time fuzz_rules)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/$t
  if [ ! -x "$bin" ]; then
    echo "fuzz: $t not built in $build, skipped" >&2
    continue
  fi
  mkdir -p "$scratch/$t"
  # shellcheck disable=SC2086 # the seed list is space-separated on purpose
  if ! ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
     "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
       -artifact_prefix="$artifacts/$t-" "$scratch/$t" ${seeds[$t]} >"$scratch/$t.log" 2>&1; then
    tail -60 "$scratch/$t.log" >&2
    echo "fuzz: $t FAILED (reproducer in $artifacts)" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$scratch/$t.log")
  echo "fuzz: $t ok, ${runs:-?} inputs in ${seconds}s"
done
