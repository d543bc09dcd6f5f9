#!/bin/sh
# Writes the man page of one svc command with help2man, from `svc WORDS --help` (summary, usage,
# options, the examples footer) and the include file next to it (DESCRIPTION, SEE ALSO...).
#   man/help2man.sh SVC man/svc-account-bind.h2m OUT   -> svc-account-bind(1), from `svc account bind --help`
# The page name gives the command words (svc-account-bind: `account bind`; svc: svc itself).
set -eu
svc=$1 include=$2 out=$3
page=$(basename "$include" .h2m)
words=$(printf '%s' "${page#svc}" | tr '-' ' ' | sed 's/^ //')
version=$("$svc" --version | sed 's/^svc //')
# shellcheck disable=SC2086 # the words are meant to split
summary=$("$svc" $words --help | head -n 1 | sed 's/^svc: //')

help2man --no-info --no-discard-stderr --section 1 --help-option "$words --help" \
  --version-string "$page $version" --name "$summary" --include "$include" --output "$out.tmp" "$svc"

# help2man titles the page after the version string: keep the page name as the title and "svc VERSION"
# as the source; drop the summary it repeats at the end of DESCRIPTION (NAME has it); and set each
# example (a command, then what it does) as a tagged paragraph with the command in bold.
awk -v src="\"$page $version\"" -v dst="\"svc $version\"" -v summary="$summary" '
  /^\.TH / { sub(src, dst) }
  /^\.SH / { section = $0; if (held != "") print held; held = "" }
  section == ".SH DESCRIPTION" && $0 == ".PP" { if (held != "") print held; held = $0; next }
  section == ".SH DESCRIPTION" && held != "" {
    line = $0; gsub(/\\-/, "-", line); sub(/^svc: /, "", line)
    if (line == summary) { held = ""; next }
    print held; held = ""
  }
  section == ".SH EXAMPLES" && $0 == ".IP" { item = 1; next }
  section == ".SH EXAMPLES" && item == 1 {
    item = 0
    if (command) { print; command = 0 } else { print ".TP"; print "\\fB" $0 "\\fR"; command = 1 }
    next
  }
  { print }
  END { if (held != "") print held }
' "$out.tmp" >"$out"
rm -f "$out.tmp"
