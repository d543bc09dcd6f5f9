// The crash-safe cursor of a Weibo list stream (platform-apis.md §1.5), as pure functions.
//
// Weibo lists are newest first and paged downwards with max_id (inclusive) and next_cursor. A pull
// walks from the newest item down to what the previous pull already has (since_id). The cursor
// stored with each page says exactly what remains:
//   idle    {"since":S}                  everything <= S is stored; the next pull starts a walk
//   walking {"since":S,"max":M,"high":H} ids in (S, M] remain; H is the highest id this walk saw
// When the walk ends (next_cursor 0, an empty page, or ids reaching S) the cursor becomes
// {"since":H}. A short page with next_cursor != 0 does not end it: Weibo filters deleted items
// after counting. Storing the cursor with its page means a crash repeats nothing and loses nothing:
// items newer than H that arrive during a walk are > H, so the next walk fetches them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::channels::weibo {

struct Cursor {
  std::int64_t since = 0;             // first pull ever: 0 = everything reachable
  std::optional<std::int64_t> max;    // set while walking
  std::int64_t high = 0;              // highest id seen in the current walk
};

// "" -> {since 0}; a usage error for text that is not a cursor this adapter wrote.
Result<Cursor> parse_cursor(const std::string& text);
std::string format_cursor(const Cursor& c);

// What the adapter does with a fetched page: which of its items to keep (ids within (since, max]),
// the cursor to store with them, and whether the walk is over.
struct Step {
  std::vector<std::size_t> keep; // indexes into the page's items
  Cursor next;
  bool done = false;
};

// `ids` are the page's item ids in the order Weibo sent them (newest first).
Step advance(const Cursor& current, const std::vector<std::int64_t>& ids, std::int64_t next_cursor);

} // namespace svc::channels::weibo
