#include <svc/inbox/guard.hpp>

#include <regex>

#include <svc/core/regex_pattern.hpp>

namespace svc::inbox {

namespace {

constexpr std::string_view k_regex_prefix = "re:";

bool
is_word_byte(char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::string
ascii_lower(std::string_view s)
{
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::optional<std::regex>
compile(std::string_view pattern)
{
  if (regex_pattern_problem(pattern)) // also for a term stored before the check existed
    return std::nullopt;
  try {
    return std::regex(std::string(pattern), std::regex::ECMAScript | std::regex::icase);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

// A word match of a lowercase term in a lowercased text (see the header).
bool
contains_word(const std::string& text, const std::string& term)
{
  for (auto pos = text.find(term); pos != std::string::npos; pos = text.find(term, pos + 1)) {
    bool starts_ok = !is_word_byte(term.front()) || pos == 0 || !is_word_byte(text[pos - 1]);
    auto end = pos + term.size();
    bool ends_ok = !is_word_byte(term.back()) || end == text.size() || !is_word_byte(text[end]);
    if (starts_ok && ends_ok)
      return true;
  }
  return false;
}

} // namespace

Result<store::GuardTerm>
parse_guard_term(std::string_view spelled)
{
  store::GuardTerm t;
  if (spelled.substr(0, k_regex_prefix.size()) == k_regex_prefix) {
    auto pattern = spelled.substr(k_regex_prefix.size());
    if (pattern.empty())
      return make_error(ErrorKind::usage, "empty pattern in '{}'", spelled).with_hint("e.g. 're:fr[e3]{{2}}'");
    if (auto problem = regex_pattern_problem(pattern))
      return make_error(ErrorKind::usage, "bad pattern '{}': {}", pattern, *problem)
        .with_hint("patterns are ECMAScript regular expressions, e.g. 're:fr[e3]{{2}}'");
    if (!compile(pattern))
      return make_error(ErrorKind::usage, "bad pattern '{}'", pattern)
        .with_hint("patterns are ECMAScript regular expressions, e.g. 're:fr[e3]{{2}}'");
    t.term = std::string(spelled);
    t.is_regex = true;
    return t;
  }
  auto first = spelled.find_first_not_of(" \t");
  auto last = spelled.find_last_not_of(" \t");
  if (first == std::string_view::npos)
    return make_error(ErrorKind::usage, "empty guard term").with_hint("give a word, or re:PATTERN");
  t.term = ascii_lower(spelled.substr(first, last - first + 1));
  return t;
}

std::optional<std::string>
guard_match(const std::vector<store::GuardTerm>& terms, std::string_view text)
{
  std::string lower = ascii_lower(text);
  for (const auto& t : terms) {
    if (t.is_regex) {
      auto re = compile(std::string_view(t.term).substr(k_regex_prefix.size()));
      std::string subject(text);
      if (re && std::regex_search(subject, *re))
        return t.term;
    } else if (!t.term.empty() && contains_word(lower, t.term)) {
      return t.term;
    }
  }
  return std::nullopt;
}

Status
check_outgoing(store::Store& store, std::string_view text, bool allow_guard)
{
  if (allow_guard)
    return {};
  SVC_TRY(terms, store::guard_terms(store)->list());
  if (auto term = guard_match(terms, text))
    return make_error(ErrorKind::failed, "the text contains '{}', which the brand guard bans", *term)
      .with_hint("rephrase it, or add --allow-guard to send it anyway (`svc guard list` shows the terms)");
  return {};
}

} // namespace svc::inbox
