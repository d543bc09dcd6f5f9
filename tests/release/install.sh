#!/usr/bin/env bash
# `cmake --install` into a temporary prefix puts the binary, the man pages and the completions where a
# Debian system looks for them, and the installed binary runs.
#   tests/release/install.sh BUILD_DIR
set -euo pipefail
build=$1
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

cmake --install "$build" --prefix "$prefix" >/dev/null
version=$("$prefix/bin/svc" --version) || fail "the installed svc --version exited $?"
[[ $version == "svc "[0-9]* ]] || fail "svc --version printed '$version'"
for file in share/man/man1/svc.1 share/man/man1/svc-pull.1 share/man/man1/svc-account-bind.1 \
            share/bash-completion/completions/svc share/zsh/vendor-completions/_svc \
            share/fish/vendor_completions.d/svc.fish; do
  [ -s "$prefix/$file" ] || fail "$file not installed"
done
# man finds the installed pages through the prefix's man directory.
MANPATH=$prefix/share/man MANWIDTH=80 man svc-pull 2>/dev/null | grep -q 'svc pull' || fail "man svc-pull (MANPATH=prefix) failed"
n=$(find "$prefix/share/man/man1" -name 'svc*.1' | wc -l)
[ "$n" -gt 60 ] || fail "only $n pages in man1"

[ "$failures" -eq 0 ] || { echo "$failures failures" >&2; exit 1; }
echo "install: ok ($n pages in man1)"
