#!/usr/bin/env bash
# Benchmark of the history commands over a state file of 1,000,000 messages, printed as one table.
#
#   bench/history.sh [MESSAGES]   (default 1000000)
#
# Environment: SVC (the binary; default build-bench/svc, configure it with -DCMAKE_BUILD_TYPE=Release
# -DSVC_BUILD_TESTS=OFF), SVC_BENCH_KEEP=1 keeps the temporary directory and prints its path.
# Needs sqlite3 and /usr/bin/time (GNU time, for the peak memory).
#
# The state file: created by svc itself (`svc account bind`, so the schema, indexes and triggers are the
# real ones), then filled by plain SQL (one transaction of INSERT ... SELECT over a counter, not timed):
# MESSAGES/20 contacts on two accounts (telegram, weibo), one DM conversation each (open, pending or
# resolved), 20 messages per conversation alternating in and out, CJK, quotes and commas in the texts,
# a tag on every tenth contact and a reopen in the audit log of every fifth conversation.
#
# Rows (one bash function each, row_*; each prints one line with `row`):
#   svc export --format jsonl   every message to a file, as JSON lines, in time order.
#   sqlite3 -json               the equivalent query (same joins, columns, ISO times, order) by the
#                               sqlite3 shell, to a file: the target is svc faster than this.
#   svc export peak memory      the maximum resident set size of that export (GNU time %M): < 64 MB.
#   svc search (FTS)            `svc search 什么时候发货` (a quarter of the messages match): < 50 ms.
#   svc report                  `svc report` over the whole history, by account: < 2 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
messages=${1:-1000000}
svc=${SVC:-$root/build-bench/svc}
[ -x "$svc" ] || { echo "missing $svc: build it (ninja -C build-bench svc), or set SVC" >&2; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time (GNU time) is needed" >&2; exit 2; }

work=$(mktemp -d)
cleanup() { if [ "${SVC_BENCH_KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
export SVC_STATE=$work/state.db
export BENCH_TOKEN=unused

# ---- the state file --------------------------------------------------------------------------------
t_build0=$(date +%s.%N)
"$svc" -q account bind telegram tg --token-env BENCH_TOKEN >/dev/null
"$svc" -q account bind weibo wb --token-env BENCH_TOKEN >/dev/null
per=20
contacts=$(( (messages + per - 1) / per ))
t0=1794988800 # 2026-11-18T08:00:00Z
sqlite3 "$SVC_STATE" >/dev/null <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $contacts)
INSERT INTO contacts (id, account_id, platform_user_id, name, first_seen_at, last_seen_at)
SELECT i, (SELECT id FROM accounts WHERE name = CASE i % 2 WHEN 0 THEN 'tg' ELSE 'wb' END), 'u' || i,
       CASE i % 3 WHEN 0 THEN '顾客' || i WHEN 1 THEN 'Customer "' || i || '"' ELSE 'user_' || i END,
       $t0, $t0
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $contacts)
INSERT INTO conversations (id, account_id, channel, thread_key, contact_id, status, created_at, updated_at,
                           resolved_at, first_response_at)
SELECT i, (SELECT account_id FROM contacts WHERE id = i), 'dm', 'u' || i, i,
       CASE i % 3 WHEN 0 THEN 'open' WHEN 1 THEN 'pending' ELSE 'resolved' END,
       $t0 + i * 17, $t0 + i * 17, CASE i % 3 WHEN 2 THEN $t0 + i * 17 + 1500 END, $t0 + i * 17 + 60
FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $messages)
INSERT INTO messages (id, account_id, conversation_id, contact_id, platform_message_id, direction, channel,
                      author, agent, text, created_at, stored_at, reply_to, via)
SELECT i, c.account_id, c.id, c.contact_id, 'm' || i, CASE (i - 1) % $per % 2 WHEN 0 THEN 'in' ELSE 'out' END, 'dm',
       CASE (i - 1) % $per % 2 WHEN 0 THEN ct.name ELSE 'agent' || (c.id % 7) END,
       CASE (i - 1) % $per % 2 WHEN 0 THEN NULL ELSE 'agent' || (c.id % 7) END,
       CASE i % 4 WHEN 0 THEN '你好，请问我的订单 #' || i || ' 什么时候发货？'
                  WHEN 1 THEN 'Hello, "order ' || i || '" has not arrived, can you check?'
                  WHEN 2 THEN 'line one' || char(10) || 'line two, with a comma'
                  ELSE '好的，我们马上处理 / we are on it' END,
       c.created_at + ((i - 1) % $per) * 60, c.created_at + ((i - 1) % $per) * 60,
       CASE (i - 1) % $per % 2 WHEN 1 THEN 'm' || (i - 1) END, 'pull'
FROM n JOIN conversations c ON c.id = (i - 1) / $per + 1 JOIN contacts ct ON ct.id = c.contact_id;
INSERT INTO tags (id, name, created_at) VALUES (1, 'vip', $t0);
INSERT INTO contact_tags (contact_id, tag_id, created_at) SELECT id, 1, $t0 FROM contacts WHERE id % 10 = 0;
INSERT INTO audit_log (at, agent, action, conversation_id, detail)
SELECT created_at + 900, NULL, 'reopened', id, '{}' FROM conversations WHERE id % 5 = 0;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
t_build1=$(date +%s.%N)
stored=$(sqlite3 "$SVC_STATE" "SELECT count(*) FROM messages")
[ "$stored" = "$messages" ] || { echo "the state file holds $stored messages, not $messages" >&2; exit 1; }

# ---- measuring ------------------------------------------------------------------------------------
# timed OUT_FILE CMD...: runs CMD with stdout to OUT_FILE under GNU time; sets seconds and peak_mb.
timed() {
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$out"
  read -r seconds peak_kb <"$work/time"
  peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
}

# row NAME SECONDS ROWS PEAK_MB TARGET VERDICT: one line of the table ("-" for what does not apply).
rows_out=()
row() { rows_out+=("$(printf '%-34s %9s %10s %12s %9s  %-30s %s' "$1" "$2" "$3" \
  "$(if [ "$3" != - ] && [ "$2" != - ]; then awk -v n="$3" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; else echo -; fi)" \
  "$4" "$5" "$6")"); }

# The two exports, measured before their rows are written (each row compares with the other).
measure_exports() {
  timed "$work/export.jsonl" "$svc" -q export --format jsonl
  export_seconds=$seconds export_peak=$peak_mb
  export_rows=$(wc -l <"$work/export.jsonl")
  [ "$export_rows" = "$messages" ] || echo "warning: svc exported $export_rows lines, not $messages" >&2
  # The same rows and columns as svc export's JSON lines (contact flattened), in the same order.
  timed "$work/sqlite.json" sqlite3 -readonly -json "$SVC_STATE" "
    SELECT m.id, m.direction, m.channel, CASE WHEN m.direction = 'in' THEN m.author ELSE m.agent END AS author,
           m.text, strftime('%Y-%m-%dT%H:%M:%SZ', m.created_at, 'unixepoch') AS created_at,
           m.platform_message_id, m.reply_to, a.name AS account, a.platform, m.conversation_id,
           ct.id AS contact_id, ct.name AS contact_name, ct.platform_user_id AS contact_platform_user_id
    FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN accounts a ON a.id = m.account_id
    LEFT JOIN contacts ct ON ct.id = coalesce(m.contact_id, c.contact_id)
    ORDER BY m.created_at, m.id"
  sqlite_seconds=$seconds sqlite_peak=$peak_mb
  sqlite_rows=$(grep -c '^.\?{' "$work/sqlite.json" || true)
}

row_svc_export() {
  local verdict
  verdict=$(awk -v a="$export_seconds" -v b="$sqlite_seconds" 'BEGIN {
    if (a < b) printf "met (%.2fx as fast)", b / a; else printf "NOT met (%.2fx slower)", a / b }')
  row "svc export --format jsonl" "$export_seconds" "$export_rows" "$export_peak" "faster than sqlite3 -json" "$verdict"
}

row_sqlite_json() {
  row "sqlite3 -json (equivalent query)" "$sqlite_seconds" "$sqlite_rows" "$sqlite_peak" "-" "-"
}

row_export_memory() {
  local verdict
  verdict=$(awk -v m="$export_peak" 'BEGIN { print (m < 64 ? "met" : "NOT met") }')
  row "svc export peak memory" - - "$export_peak" "< 64 MB" "$verdict"
}

# ---- FTS query row ---------------------------------------------------------------------------------
# `svc search 什么时候发货` (a CJK phrase in a quarter of the messages: the trigram index, ranked by bm25
# over the newest matches; docs/search.md), --limit 20, in a fresh process each time: the median of 5 runs
# of the whole process (start, open, query, print). The result column adds that run's CPU time (user + sys).
row_search() {
  local runs=() line med hits cpu_ms peak_kb user_s sys_s
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$svc" -q --format json search 什么时候发货 --limit 20 \
      >"$work/search.json"
    read -r seconds peak_kb user_s sys_s <"$work/time"
    runs+=("$seconds $peak_kb $user_s $sys_s")
  done
  med=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p)
  read -r seconds peak_kb user_s sys_s <<<"$med"
  peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  cpu_ms=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.0f", (u + s) * 1000 }')
  hits=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/search.json")
  [ "$hits" = 20 ] || echo "warning: svc search found $hits matches, not 20" >&2
  row "svc search (FTS query)" "$seconds" "$hits" "$peak_mb" "< 50 ms" \
    "$(awk -v s="$seconds" -v c="$cpu_ms" 'BEGIN { printf "%s (cpu %d ms)", (s < 0.05 ? "met" : "NOT met"), c }')"
}

# ---- svc report row ------------------------------------------------------------------------------
# `svc report` over the whole history (every message read and folded into inquiries), by account; the rows
# column is the messages it covered (the report's own inbound + outbound), checked against the file.
# --until is far ahead because the generated history runs past today's date on some machines. The result
# column adds the CPU time (user + sys): on a shared, loaded machine the wall time is mostly waiting.
row_report() {
  local covered verdict cpu_s user_s sys_s peak_kb
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$svc" -q --format json report --by account --until 2100-01-01 \
    >"$work/report.json"
  read -r seconds peak_kb user_s sys_s <"$work/time"
  peak_mb=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
  cpu_s=$(awk -v u="$user_s" -v s="$sys_s" 'BEGIN { printf "%.2f", u + s }')
  covered=$(python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))[-1]; print(t["inbound"] + t["outbound"])' \
    "$work/report.json")
  [ "$covered" = "$messages" ] || echo "warning: svc report covered $covered messages, not $messages" >&2
  verdict=$(awk -v s="$seconds" -v c="$cpu_s" 'BEGIN { printf "%s (cpu %.2f s)", (s < 2 ? "met" : "NOT met"), c }')
  row "svc report (whole history)" "$seconds" "$covered" "$peak_mb" "< 2 s" "$verdict"
}

measure_exports
row_svc_export
row_sqlite_json
row_export_memory
row_search
row_report

# ---- the table ------------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$(dirname "$svc")/CMakeCache.txt" 2>/dev/null || true)
echo "machine: $(nproc) cpus, $cpu; svc build ${build_type:-unknown}; sqlite $(sqlite3 --version | cut -d' ' -f1)"
echo "state file: $messages messages, $contacts contacts and conversations, $(du -m "$SVC_STATE" | cut -f1) MB;" \
     "built in $(awk -v a="$t_build0" -v b="$t_build1" 'BEGIN { printf "%.1f", b - a }')s (not timed)"
echo "export output: $(du -m "$work/export.jsonl" | cut -f1) MB of JSON lines; load average after the run $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-34s %9s %10s %12s %9s  %-30s %s\n' "" "seconds" "rows" "rows/s" "peak MB" "target" "result"
for line in "${rows_out[@]}"; do echo "$line"; done
