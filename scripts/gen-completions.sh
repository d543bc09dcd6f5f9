#!/usr/bin/env bash
# Regenerates the checked-in shell completions (completions/svc.bash, _svc, svc.fish) from the command
# tree of a freshly built svc (`svc completion SHELL`, which reads the same CLI11 tree as `svc __commands`).
# Run it after adding or changing a command or an option; tests/release/completions.sh fails until then.
#   scripts/gen-completions.sh [BUILD_DIR]      (default: build; configured and built if needed)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" \
    -DSVC_BUILD_BENCH=OFF >/dev/null # as scripts/test.sh
fi
ninja -C "$build" -j"${SVC_JOBS:-2}" svc >/dev/null   # SVC_JOBS=1 on a shared machine
for shell in bash zsh fish; do
  case $shell in
    bash) file=completions/svc.bash ;;
    zsh) file=completions/_svc ;;
    fish) file=completions/svc.fish ;;
  esac
  "$build/svc" completion "$shell" >"$file.tmp"
  mv "$file.tmp" "$file"
  echo "wrote $file" >&2
done
