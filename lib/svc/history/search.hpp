// `svc search`: messages whose text matches a query (lib/svc/history/search_query.hpp), or whose
// sender's name does, ranked, with a snippet showing where they matched.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/history/search_query.hpp>
#include <svc/io/streams.hpp>
#include <svc/store/search_index.hpp>
#include <svc/store/store.hpp>

namespace svc::history {

struct Match {
  store::SearchHit hit;
  bool by_contact = false;      // found by the sender's name, not the text
  std::vector<Segment> snippet;
};

// The best `limit` matches. With a term of 3+ characters, ranked by bm25 (text and names alike,
// ties newest first) among the newest 1,000 text matches (then the next 1,000, when those do not fill
// the limit); with only shorter terms (a scan: no bm25), newest first.
Result<std::vector<Match>> search(store::Store& store, const Query& query, const store::SearchFilter& filter,
                                  int limit);

// Every message whose text matches (names are not looked at), oldest first: what a watch sees.
Result<std::vector<Match>> text_matches(store::Store& store, const Query& query, const store::SearchFilter& filter);

// The JSON of a match: the message fields of `svc show` plus conversation_id, account, platform,
// contact ({id, name, platform_user_id} or null), matched ("text" | "contact") and snippet (the
// excerpt with each match between ** and **).
nlohmann::json match_json(const Match& match);

// Matches for people: a line naming the message, then its snippet, the matches in colour when
// io.color. `label` (a watch's name) starts the first line when not empty.
void print_match(const io::Streams& io, const Match& match, const std::string& label = "");

} // namespace svc::history
