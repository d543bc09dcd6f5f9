// Keyword rules (`svc rules`, issue 9): a rules file of conditions -> actions, read from TOML (the format
// is docs/rules.md, the svc-rules(5) page), checked with line numbers, and evaluated on one inbound
// message as a pure function. toml++ stays inside rules_parse.cpp: this header is light.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/config/environment.hpp>
#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/store/rule_state.hpp>

namespace svc::store {
class Store;
}

namespace svc::automation {

// Regexes are matched on at most this many bytes of a message (std::regex recurses per character: a
// bound keeps a long message from exhausting the stack), and a pattern may be at most k_max_regex long.
inline constexpr std::size_t k_regex_text_limit = 2000;
inline constexpr std::size_t k_max_regex = 200;

enum class TimeWindow { any, business_hours, off_hours };

// When people are at work: days and a daily interval in a time zone. The zone is a fixed offset
// ("+08:00", "-05:30", "UTC") or an IANA name from the system's tz database ("Asia/Shanghai").
struct BusinessHours {
  std::string zone = "UTC";
  std::optional<int> offset_minutes;      // set for a fixed offset; else zone is an IANA name
  int open_minute = 9 * 60;               // [open, close) minutes after local midnight
  int close_minute = 18 * 60;
  std::array<bool, 7> days{false, true, true, true, true, true, false}; // tm_wday: 0 = Sunday
};

struct Conditions {
  std::vector<std::string> channels;     // any of; empty = every channel
  std::vector<std::string> accounts;     // any of
  std::vector<std::string> keywords;     // any of, as a substring, ASCII case folded (stored folded)
  std::string regex_source;              // "" = none
  std::shared_ptr<const std::regex> regex;
  std::vector<std::string> tags;         // the contact carries every one
  std::vector<std::string> not_tags;     // the contact carries none
  std::optional<bool> first_contact;
  TimeWindow time = TimeWindow::any;
};

struct Actions {
  std::string reply;                     // template name
  std::vector<std::string> tags;
  std::string route;                     // group name
  std::optional<int> priority;
  bool spam = false;
  bool ignore = false;
  std::vector<std::string> notify;       // argv, run without a shell
};

struct Rule {
  std::string name;
  int line = 0;                          // of its [[rule]] header
  Conditions when;
  Actions then;
  bool stop = false;                     // later rules are not evaluated after this one fires
  // Lines of the values checked against the state file, for its error messages.
  int reply_line = 0, route_line = 0;
};

struct RuleSet {
  std::string path;                      // as given, for messages
  BusinessHours hours;
  std::chrono::seconds notify_timeout{30};
  std::vector<Rule> rules;
};

// One problem of a rules file, at a line (0: the file as a whole).
struct Problem {
  int line = 0;
  std::string message;
};

struct ParsedRules {
  RuleSet rules;
  std::vector<Problem> problems;         // by line; empty when the file is good
};

// Parses TOML text: syntax errors (with toml++'s position), unknown keys, wrong types, bad values, bad
// regexes, bad time zones. Pure: nothing is looked up in a store.
ParsedRules parse_rules(std::string_view text, const std::string& path);

// The names the file uses that the state file must know: templates (reply) and groups (route). Appends
// a problem for each one missing, and for a template that uses a variable rules cannot fill.
Status check_against_store(ParsedRules& parsed, store::Store& store);

// "PATH:LINE: MESSAGE" for the first problem (usage, exit 2); the hint counts the others.
Error problems_error(const ParsedRules& parsed);
std::string format_problem(const std::string& path, const Problem& p);

// Where the rules file is: --rules, else SVC_RULES, else $XDG_CONFIG_HOME/svc/rules.toml, else
// ~/.config/svc/rules.toml.
Result<std::filesystem::path> rules_path(const std::optional<std::string>& flag, const config::Getenv& getenv);

// Reads and parses a file: not_found (exit 3) when it does not exist; the problems are left to the caller.
Result<ParsedRules> read_rules(const std::filesystem::path& path);

// Local time for time windows: minutes after local midnight and the weekday (0 = Sunday).
struct LocalTime {
  int minute_of_day = 0;
  int weekday = 0;
};
LocalTime local_time(const BusinessHours& hours, UnixTime t);
bool in_business_hours(const BusinessHours& hours, UnixTime t);
// "+08:00" -> 480; none for anything else. "UTC" and "Z" are 0.
std::optional<int> parse_utc_offset(std::string_view text);
// Whether the system tz database has this IANA zone name.
bool known_zone(const std::string& name);

// The rules that fire on `message` at time `at`, in file order, up to the first that stops evaluation
// (stop = true, spam or ignore).
std::vector<const Rule*> matching_rules(const RuleSet& rules, const store::RuleMessage& message, UnixTime at);

// The actions of a rule as JSON, for `rules test` and apply's report: [{"action":"reply","template":...}, ...].
nlohmann::json describe_actions(const Rule& rule);

// ASCII lower case (keywords fold ASCII letters only; CJK text has no case).
std::string fold_ascii(std::string_view text);

} // namespace svc::automation
