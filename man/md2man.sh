#!/bin/sh
# A small Markdown-to-roff converter for the one page written as Markdown (docs/rules.md -> svc-rules(5)):
# headings (a first "# Title" becomes NAME; "# NAME", "# SYNOPSIS"... in capitals are sections, as
# pandoc's man-style Markdown has them), paragraphs, `code`, **bold**, bullet lists, fenced code blocks and tables (kept as
# preformatted text). Enough for svc's docs; not a general converter.
#   man/md2man.sh docs/rules.md svc-rules 5 VERSION OUT
set -eu
in=$1 name=$2 section=$3 version=$4 out=$5
date=$(date -u -d "@${SOURCE_DATE_EPOCH:-$(date +%s)}" '+%B %Y')
awk -v name="$name" -v section="$section" -v version="$version" -v date="$date" '
  function esc(s) {               # roff-escape text, then turn inline Markdown into fonts
    gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s)
    while (match(s, /`[^`]+`/)) s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR" substr(s, RSTART + RLENGTH)
    while (match(s, /\*\*[^*]+\*\*/)) s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 2, RLENGTH - 4) "\\fR" substr(s, RSTART + RLENGTH)
    gsub(/\[[^]]*\]\([^)]*\)/, "&", s)
    while (match(s, /\[[^]]*\]\([^)]*\)/)) { t = substr(s, RSTART + 1); t = substr(t, 1, index(t, "]") - 1); s = substr(s, 1, RSTART - 1) t substr(s, RSTART + RLENGTH) }
    if (s ~ /^[.\047]/) s = "\\&" s
    return s
  }
  function verbatim(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); if (s ~ /^[.\047]/) s = "\\&" s; return s }
  BEGIN { printf ".TH %s \"%s\" \"%s\" \"svc %s\" \"File Formats\"\n", toupper(name), section, date, version }
  /^```/ { if (code) { print ".fi"; print ".RE"; code = 0 } else { print ".PP"; print ".RS 4"; print ".nf"; code = 1 }; next }
  code { print verbatim($0); next }
  NR == 1 && /^% / { next }       # a pandoc title block
  /^# [A-Z][A-Z ]*$/ { print ".SH \"" substr($0, 3) "\""; titled = 1; para = 0; next }   # man-style: # NAME, # SYNOPSIS
  /^# / { if (!titled) { t = substr($0, 3); print ".SH NAME"; print name " \\- " esc(t); titled = 1 } ; para = 0; next }
  /^##+ / { sub(/^##+ /, ""); print ".SH \"" toupper(esc($0)) "\""; para = 0; next }
  /^\|/ {
    if ($0 ~ /^\|[ :|-]+\|$/) next          # the separator row
    if (!table) { print ".PP"; print ".nf"; table = 1 }
    line = $0; gsub(/^\| *| *\|$/, "", line); gsub(/ *\| */, "  |  ", line); print esc(line); next
  }
  table { print ".fi"; table = 0 }
  /^[-*] / { print ".IP \\(bu 2"; print esc(substr($0, 3)); para = 1; next }
  /^[0-9]+\. / { n = $0; sub(/\..*/, "", n); print ".IP " n ". 4"; sub(/^[0-9]+\. /, ""); print esc($0); para = 1; next }
  /^ +[^ ]/ && para { sub(/^ +/, ""); print esc($0); next }
  /^$/ { para = 0; next }
  { if (!para) { print ".PP"; para = 1 }; print esc($0) }
  END { if (code) print ".fi"; if (table) print ".fi" }
' "$in" >"$out"
