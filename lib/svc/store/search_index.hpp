// The full-text index behind `svc search` and `svc watch` (schema v5): message text and contact names
// in SQLite FTS5 tables with the trigram tokenizer, kept in sync by triggers on messages and contacts
// (message text since v8 when it is first searched: messages() catches the index up, search_backlog.hpp;
// on a state file opened read-only it cannot, and scans the messages above the index's mark instead).
// This layer finds candidates: rows that contain every term as a case-insensitive substring. What a
// term means (a word for Latin text, a substring for CJK) is decided above it, in lib/svc/history.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

struct SearchFilter {
  std::optional<std::int64_t> account_id;
  std::optional<UnixTime> since;       // created_at >= since
  std::vector<std::string> channels;   // dm | comment | mention; empty: all
  bool inbound_only = false;
  std::int64_t after_id = 0;           // only messages with a larger id (a watch's high-water mark)
};

enum class SearchOrder {
  rank,   // best bm25 first within each window of the 1,000 newest matches, then the next window
          // (a scan without any indexable term: newest first)
  newest, // by message id, descending
  oldest, // by message id, ascending
};

struct SearchHit {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::string account, platform, channel, direction, author, text, platform_message_id, reply_to;
  UnixTime created_at = 0;
  std::optional<std::int64_t> contact_id;
  std::string contact_name, contact_username, contact_platform_id;
  double score = 0; // bm25 of the text (or of the contact's name); lower is better; 0 when unranked
};

class SearchIndex
{
public:
  virtual ~SearchIndex() = default;
  // Messages whose text contains every term, visited in `order` until `visit` returns false. Terms of
  // 3 or more characters go through the trigram index; shorter ones (trigrams cannot see them) are
  // LIKE checks on the indexed rows, a scan when no term is long enough.
  virtual Status messages(const std::vector<std::string>& terms, const SearchFilter& filter, SearchOrder order,
                          const std::function<bool(const SearchHit&)>& visit) = 0;
  // Messages from contacts whose name or username contains every term: contacts by rank, each one's
  // messages newest first, each hit scored with its contact's rank.
  virtual Status by_contact(const std::vector<std::string>& terms, const SearchFilter& filter,
                            const std::function<bool(const SearchHit&)>& visit) = 0;
  // The largest message id stored (0 when none).
  virtual Result<std::int64_t> max_message_id() = 0;
};

// How messages() reads a long scan. A scan that checks 1-2 character terms on the text of candidates
// whose ids span at least `split_ids` is split in two: the older half is read on a second connection in
// a thread (search_scan.hpp). Over a million messages that takes the slowest FTS query of
// bench/search.sh from 52 to 42 ms on two cores; below the default, a second connection costs more
// than it saves. Tests set it to 1 (always) and to the maximum (never) to compare the two.
struct SearchTuning {
  std::int64_t split_ids = 200000;
};

// The index of a state file opened by open_store (the SQLite store).
std::unique_ptr<SearchIndex> search_index(Store& store, SearchTuning tuning = {});

// `term` as one FTS5 string: in double quotes, inner quotes doubled, so no user text is ever read as
// FTS5 query syntax (OR, NOT, -, *, ^, :, parentheses).
std::string fts_quote(const std::string& term);
// `term` as a LIKE pattern with % _ and \ escaped (ESCAPE '\'), matching it anywhere.
std::string like_pattern(const std::string& term);

} // namespace svc::store
