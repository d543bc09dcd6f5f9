#!/usr/bin/env bash
# The completions: the checked-in files are what `svc completion SHELL` generates from the current
# command tree; they parse in their shell; and bash completion, driven for real (the script sourced,
# COMP_WORDS/COMP_CWORD set, _svc called), offers subcommands, options, option values and the account,
# agent and template names of a state file, passing --state or SVC_STATE on to `svc __complete`.
#   tests/release/completions.sh SVC SOURCE_DIR
set -euo pipefail
svc=$1 src=$2
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for pair in bash:svc.bash zsh:_svc fish:svc.fish; do
  shell=${pair%%:*} file=$src/completions/${pair#*:}
  "$svc" completion "$shell" >"$work/$shell"
  diff -u "$file" "$work/$shell" >"$work/diff" ||
    fail "completions/${pair#*:} differs from \`svc completion $shell\` (run scripts/gen-completions.sh):
$(head -20 "$work/diff")"
done
bash -n "$src/completions/svc.bash" || fail "bash -n completions/svc.bash"
zsh -n "$src/completions/_svc" || fail "zsh -n completions/_svc"
fish -n "$src/completions/svc.fish" || fail "fish -n completions/svc.fish"
"$svc" completion tcsh >/dev/null 2>"$work/err" && fail "svc completion tcsh succeeded"
grep -q "svc: error:" "$work/err" || fail "svc completion tcsh: no error message"

# The state file the dynamic words come from. The completion calls `svc` by the name typed
# (COMP_WORDS[0]), so the built binary goes first on PATH.
mkdir "$work/bin"
ln -s "$(realpath "$svc")" "$work/bin/svc"
export PATH=$work/bin:$PATH
state=$work/state.db
SHOP_TOKEN=x svc -q --state "$state" account bind telegram shop --token-env SHOP_TOKEN
SHOP_TOKEN=x svc -q --state "$state" account bind weibo support --token-env SHOP_TOKEN
svc -q --state "$state" agent add alice >/dev/null
svc -q --state "$state" template add thanks "Hi {contact.name}"

# complete WORD... : the COMPREPLY of bash completion with the cursor on the last word, sorted.
complete_words() {
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _svc; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$src/completions/svc.bash" "$@" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { # EXPECTED WORD...
  local want=$1; shift
  local got
  got=$(complete_words "$@")
  [ "$got" = "$want" ] || fail "completing '$*': got '$got', want '$want'"
}
expect_has() { # WORD-EXPECTED-AMONG-OTHERS WORD...
  local want=$1; shift
  [[ " $(complete_words "$@") " == *" $want "* ]] || fail "completing '$*': no '$want' in '$(complete_words "$@")'"
}

expect "account agent api assign" svc a
expect "bind check list show unbind use" svc account ""
expect "unbind use" svc account u
expect_has pull svc ""
expect_has completion svc ""
expect "" svc __com                                   # hidden commands stay hidden
expect "--token-env --token-file --token-stdin" svc account bind --to
expect "--follow --format" svc pull --fo              # the command's own options and the global ones
expect "--state --status" svc inbox --st
expect "telegram" svc account bind t                  # a positional's choices
expect "dm" svc pull --channel d                      # an option's choices
expect "json jsonl" svc --format js
expect "pending" svc inbox --status p
expect "shop support" svc --state "$state" account show ""
expect "shop" svc --state "$state" pull --account sh
expect "shop support" svc --state "$state" account check shop ""   # repeatable positional
expect "alice" svc --state "$state" claim 12 --as ""
expect "thanks" svc reply 12 --state "$state" --template t         # --state after the command
expect "telegram wechat weibo" svc --state "$state" account bind ""   # --state and its value skipped
SVC_STATE=$state expect "shop support" svc account use ""
expect "" svc --state "$work/missing.db" account show ""
[ -e "$work/missing.db" ] && fail "completion created a state file"

# __complete is quiet whatever happens: a missing or foreign file prints nothing, exits 0, creates nothing.
echo "not a database" >"$work/foreign.db"
for file in "$work/missing.db" "$work/foreign.db" /nonexistent/dir/state.db; do
  out=$(svc --state "$file" __complete accounts 2>&1) || fail "__complete on $file exited $?"
  [ -z "$out" ] || fail "__complete on $file printed '$out'"
done
[ -e "$work/missing.db" ] && fail "__complete created a state file"
[ "$(cat "$work/foreign.db")" = "not a database" ] || fail "__complete changed a foreign file"
[ "$(svc --state "$state" __complete templates)" = thanks ] || fail "__complete templates"
svc --state "$state" __complete nonsense >/dev/null 2>&1 && fail "__complete nonsense succeeded"

[ "$failures" -eq 0 ] || { echo "$failures failures" >&2; exit 1; }
echo "completions: ok"
