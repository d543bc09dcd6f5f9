// The knowledge base's decisions, shared by `svc kb ask` and the bot (bot.hpp): for a customer's text,
// answer from the knowledge base (confidence at or above the threshold), pick a menu item ("1"), or
// hand over to a human (a human phrase, or too little confidence). The matching itself is
// lib/svc/store/knowledge_base.hpp (FTS5 BM25, normalised into a confidence).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/store/knowledge_base.hpp>

namespace svc::store {
class Store;
}

namespace svc::automation {

inline constexpr std::string_view k_needs_human_tag = "needs-human";
inline constexpr std::string_view k_bot_agent = "bot";
inline constexpr std::string_view k_welcome_template = "welcome";

// Checks one entry as given: a question and an answer that are not blank, a menu number above 0, no
// blank phrasing (usage, exit 2).
Status check_kb_entry(const store::KbEntry& entry);

enum class KbFileFormat { csv, jsonl };
// By extension (.csv; .jsonl/.ndjson/.json), else by content (a first line starting with '{' is jsonl).
KbFileFormat kb_file_format(std::string_view path, std::string_view content);

// The entries of an import file, every bad line reported at once: usage (exit 2) "N bad lines: line 3:
// no answer; ..." and nothing returned.
//   csv    a header with `question` and `answer`, optionally `phrasings` ('|'-separated) and `menu`
//   jsonl  one object per line: {"question", "answer", "phrasings": [...], "menu": N}; blank lines skipped
Result<std::vector<store::KbEntry>> parse_kb_file(std::string_view content, KbFileFormat format);

// True when `text` contains one of `phrases` (normalised as the knowledge base normalises; a phrase in
// ASCII letters must stand as whole words: "agent" is not found in "agents").
bool asks_for_human(const std::vector<std::string>& phrases, std::string_view text);

// The menu number a text is, if it is only a number ("1", " 2 ", full-width "１").
std::optional<int> menu_choice(std::string_view text);

// The numbered menu: the header, then "N. question" per entry with a menu number, in order; "" when no
// entry has one.
std::string menu_text(const std::vector<store::KbEntry>& entries, const std::string& header);

struct KbDecision {
  enum class Kind { answer, menu, hand_over };
  Kind kind = Kind::hand_over;
  std::optional<store::KbEntry> entry; // answer: the entry answered
  double confidence = 0;               // answer/hand_over: the best entry's confidence (menu items: 1)
  std::string reason;                  // for people: why this decision
  std::string text;                    // what the bot says ("" when handing over)
  std::vector<store::KbMatch> candidates; // the best entries, best first
  store::KbSettings settings;
};
std::string_view to_string(KbDecision::Kind kind);

// What the bot answers to `text` (conversation state aside: see bot.hpp): a human phrase hands over; a
// menu number answers that item (a number without an item shows the menu again); else the best match
// answers when its confidence reaches the threshold, and hands over otherwise.
Result<KbDecision> decide(store::Store& store, std::string_view text, int candidates = 5);

} // namespace svc::automation
