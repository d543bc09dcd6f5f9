// The knowledge base of the bot (`svc kb`, issue 9): questions with alternative phrasings and answers,
// matched against a customer's text with SQLite FTS5 BM25, and what the bot did with each message.
//
// Matching. Each question and each phrasing is one indexed row holding its normalised text
// (kb_normalize). Two FTS5 indexes share the row ids:
//   kb_fts      trigram tokenizer: every 3-character substring, in any script;
//   kb_fts_cjk  the text's CJK character bigrams (a lone CJK character as itself), so that 1-2 character
//               Chinese/Japanese/Korean words ("退款", "人工"), which no trigram holds, still match.
// The query is the OR of the text's trigrams and CJK bigrams. A row's score is the sum of its BM25 in both
// indexes (SQLite's bm25(), negated so that higher is better); an entry scores its best row.
//
// Confidence. Raw BM25 depends on the size of the knowledge base and the length of the text, so it is
// normalised by the score the customer's text gets against itself: the text is indexed as one more row
// inside a savepoint that is always rolled back (nothing is written), and
//     confidence = min(1, score(best row) / (self_known + 0.1 * self_unknown))
// where self_known is the text's own row's BM25 over the terms some entry has, and self_unknown over the
// terms no entry has (greetings, typos, the windows that straddle two words), all from one index state.
// A question asked word for word scores 1; each term of the text the entry lacks lowers it by that
// term's weight (rare terms weigh more, words every entry has nearly nothing); a text sharing no term
// with any entry has no candidates (confidence 0).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

struct KbEntry {
  std::int64_t id = 0;
  std::string question;
  std::vector<std::string> phrasings; // alternative ways customers ask it
  std::string answer;
  std::optional<int> menu;            // its number in the welcome menu (reply "N" -> this answer)
  UnixTime created_at = 0, updated_at = 0; // add() stores created_at (the caller's clock) as both
};

struct KbMatch {
  KbEntry entry;
  std::string matched;   // the question or phrasing that scored best
  double score = 0;      // that row's BM25 (higher is better)
  double confidence = 0; // in [0, 1]: see the header comment
};

struct KbSettings {
  double threshold = 0.5; // the bot answers at or above this confidence, else hands over to a human
  std::vector<std::string> human_phrases = {"人工", "转人工", "human", "agent"};
  std::string menu_header = "请回复数字 / Reply with a number:"; // the first line of the menu
};

class KnowledgeBase
{
public:
  virtual ~KnowledgeBase() = default;
  // Adds entries in one transaction (all or none). conflict (exit 6) when a menu number is taken (by
  // an entry already there or twice in `entries`). Returns the new ids in order.
  virtual Result<std::vector<std::int64_t>> add(const std::vector<KbEntry>& entries) = 0;
  virtual Result<std::vector<KbEntry>> list() = 0; // by menu number, then id
  virtual Result<KbEntry> get(std::int64_t id) = 0; // not_found (exit 3)
  virtual Result<std::optional<KbEntry>> by_menu(int number) = 0;
  virtual Status remove(std::int64_t id) = 0; // not_found (exit 3)
  // The best `limit` entries for `text`, best first (ties by id); none when the text has no term.
  virtual Result<std::vector<KbMatch>> match(std::string_view text, int limit) = 0;
  virtual Result<KbSettings> settings() = 0;
  virtual Status set_settings(const KbSettings& settings) = 0;
};

std::unique_ptr<KnowledgeBase> knowledge_base(Store& store);

// What the bot needs to know about one inbound message before it says anything.
struct BotFacts {
  std::int64_t message_id = 0;
  std::int64_t conversation_id = 0;
  std::int64_t contact_id = 0;        // 0 when the message has none
  bool inbound = false;
  std::string text;
  bool decided = false;               // the bot already decided this message (bot_runs)
  bool newest_inbound = false;        // no inbound message in the conversation came after it
  bool first_from_contact = false;    // the contact's first inbound message on any conversation
  bool bot_answered_since = false;    // the bot's last reply in the conversation answered it or a later message
  bool agent_replied_since = false;   // someone other than the bot replied (or queued a reply) since it arrived
};

struct BotRun {
  std::int64_t message_id = 0;
  std::int64_t conversation_id = 0;
  std::string outcome;                // answered | handed_over | welcomed | menu
  std::optional<std::int64_t> entry_id;
  std::optional<double> confidence;
  std::optional<std::int64_t> outbox_id;
  std::string detail;
  UnixTime at = 0;
};

class BotLedger
{
public:
  virtual ~BotLedger() = default;
  virtual Result<BotFacts> facts(std::int64_t message_id) = 0; // not_found (exit 3)
  virtual Status record(const BotRun& run) = 0;
};

std::unique_ptr<BotLedger> bot_ledger(Store& store);

// The text as indexed and matched: ASCII letters lowercased, full-width forms folded to ASCII,
// punctuation and whitespace (ASCII, CJK, general punctuation) collapsed to one space, trimmed.
std::string kb_normalize(std::string_view text);
// The CJK bigrams of a normalised text, space-separated, in order (a lone CJK character as itself).
std::string kb_cjk_grams(std::string_view normalized);
// The distinct 3-character substrings of a normalised text, in order of first appearance.
std::vector<std::string> kb_trigrams(std::string_view normalized);
// True for a code point of a CJK script (Han, kana, Hangul).
bool is_cjk(char32_t cp);

} // namespace svc::store
