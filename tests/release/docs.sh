#!/usr/bin/env bash
# The documentation: every command of the tree `svc __commands` dumps has a man page include file
# (man/svc-WORDS.h2m) and at least one help example, every option and positional a description, and
# no include file is left for a command that is gone; every generated man page renders with
# `man -l` without a groff warning and names each long option of its command; svc(1) has the global
# options, ENVIRONMENT, FILES and every exit status; svc-rules(5) exists once docs/rules.md does.
#   tests/release/docs.sh SVC SOURCE_DIR MAN_BUILD_DIR
set -euo pipefail
svc=$1 src=$2 man=$3
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
tree=$(mktemp)
trap 'rm -f "$tree"' EXIT
"$svc" __commands >"$tree"

# A command has a page when it runs something: no subcommands, or options or positionals of its own
# (simulate has both); the groups (account, contact...) only list their commands.
pages=$(jq -r '.. | objects | select(has("path") and .path != "")
  | select((.commands | length) == 0 or ([.options[].names[] | select(. != "-h" and . != "--help")] | length) > 0
           or (.positionals | length) > 0) | .path' "$tree")
[ "$(printf '%s\n' "$pages" | wc -l)" -gt 60 ] || fail "only $(printf '%s\n' "$pages" | wc -l) commands in the tree"

examples=$(jq -r '.. | objects | select(has("path") and (.examples | length) > 0) | .path' "$tree")
while IFS= read -r path; do
  page=svc-${path// /-}
  [ -f "$src/man/$page.h2m" ] || fail "\`svc $path\` has no man/$page.h2m"
  grep -qxF "$path" <<<"$examples" || fail "\`svc $path\` has no example in commands/help_examples.cpp"
done <<<"$pages"

for include in "$src"/man/svc-*.h2m; do
  words=$(basename "$include" .h2m); words=${words#svc-}; words=${words//-/ }
  grep -qxF "$words" <<<"$pages" || fail "$(basename "$include") documents no command (\`svc $words\`)"
  grep -q '^\[DESCRIPTION\]' "$include" || fail "$(basename "$include") has no [DESCRIPTION]"
done

jq -r '.. | objects | select(has("path")) as $c | ($c.options[], $c.positionals[])
  | select((.description // "") == "") | "svc \($c.path): \(.names // [.name] | join(","))"' "$tree" |
  while IFS= read -r what; do echo "FAIL: no description for $what" >&2; echo x; done | grep -q x &&
  fail "options without a description (above)"

# The pages: each renders without warnings (man runs once over all of them: one man process per page
# takes seconds) and names every long option of its command.
render() { MANWIDTH=80 man --warnings -E UTF-8 -l "$@" 2>&1 >/dev/null; }
files=()
for page in svc $(printf '%s\n' "$pages" | sed 's/ /-/g; s/^/svc-/'); do
  [ -f "$man/$page.1" ] && files+=("$man/$page.1") || fail "no man page $man/$page.1 (build the man target)"
done
warnings=$(render "${files[@]}")
[ -z "$warnings" ] || fail "man pages render with warnings: $warnings"
jq -r '.. | objects | select(has("path")) | "\(.path)\t\([.options[].names[] | select(startswith("--"))] | join(" "))"' "$tree" |
  while IFS=$'\t' read -r path options; do
    page=svc${path:+-${path// /-}}
    [ -f "$man/$page.1" ] || continue
    for option in $options; do
      grep -qF -- "${option//-/\\-}" "$man/$page.1" || echo "$page.1 does not mention $option"
    done
  done >"$tree.missing"
[ -s "$tree.missing" ] && fail "options missing from pages: $(cat "$tree.missing")"
rm -f "$tree.missing"

for section in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
  grep -qE "^\.SH \"?$section\"?$" "$man/svc.1" || fail "svc.1 has no $section section"
done
for code in 0 1 2 3 4 5 6 7 8; do
  sed -n '/^\.SH "EXIT STATUS"/,/^\.SH/p' "$man/svc.1" | grep -qx "\.B $code" || fail "svc.1 EXIT STATUS lacks $code"
done
for var in SVC_STATE SVC_FORMAT SVC_AGENT NO_COLOR; do
  grep -q "$var" "$man/svc.1" || fail "svc.1 does not mention $var"
done
grep -q 'svc \\-q pull' "$man/svc.1" || fail "svc.1 has no cron example"

if [ -f "$src/docs/rules.md" ]; then
  if [ -f "$man/svc-rules.5" ]; then
    warnings=$(render "$man/svc-rules.5")
    [ -z "$warnings" ] || fail "svc-rules.5 renders with warnings: $warnings"
  else
    fail "docs/rules.md exists but svc-rules.5 was not generated (re-run cmake)"
  fi
fi

[ "$failures" -eq 0 ] || { echo "$failures failures" >&2; exit 1; }
echo "documentation: $(printf '%s\n' "$pages" | wc -l) command pages ok"
