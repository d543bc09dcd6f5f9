#include <svc/history/search_query.hpp>

#include <algorithm>

namespace svc::history {

namespace {

// The code point starting at byte i (U+FFFD for a broken sequence), and its length in bytes.
std::pair<char32_t, std::size_t>
decode_at(std::string_view s, std::size_t i)
{
  auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (len == 1)
    return {c < 0x80 ? c : 0xFFFD, 1};
  if (i + len > s.size())
    return {0xFFFD, 1};
  char32_t cp = c & (0x3F >> (len - 1));
  for (std::size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80)
      return {0xFFFD, 1};
    cp = (cp << 6) | (cc & 0x3F);
  }
  return {cp, len};
}

// The start of the code point that ends just before byte i.
std::size_t
previous_start(std::string_view s, std::size_t i)
{
  std::size_t p = i - 1;
  while (p > 0 && (static_cast<unsigned char>(s[p]) & 0xC0) == 0x80 && i - p < 4)
    --p;
  return p;
}

// Letters and digits of the scripts that write words between spaces: Latin (with its accented
// letters), Greek, Cyrillic. CJK characters are not: Chinese runs words together, so a term next to a
// CJK character still stands alone ("iPhone" in "买了iPhone").
bool
is_word_char(char32_t c)
{
  if (c < 0x80)
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x52F);
}

bool
is_space(std::string_view s, std::size_t i, std::size_t& len)
{
  char c = s[i];
  len = 1;
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')
    return true;
  if (s.substr(i, 3) == "\xE3\x80\x80") { // U+3000 IDEOGRAPHIC SPACE
    len = 3;
    return true;
  }
  return false;
}

std::string
fold(std::string_view s)
{
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Term
make_term(std::string text, bool quoted)
{
  Term t;
  bool prefix = false;
  if (!quoted && text.size() >= 2 && text.back() == '*') {
    std::string stem = text.substr(0, text.size() - 1);
    if (is_word_char(decode_at(stem, previous_start(stem, stem.size())).first)) {
      text = std::move(stem);
      prefix = true;
    }
  }
  t.word_start = is_word_char(decode_at(text, 0).first);
  t.word_end = !prefix && is_word_char(decode_at(text, previous_start(text, text.size())).first);
  t.text = std::move(text);
  return t;
}

} // namespace

std::vector<std::string>
Query::texts() const
{
  std::vector<std::string> out;
  for (const auto& t : terms)
    out.push_back(t.text);
  return out;
}

Result<Query>
parse_query(std::string_view text)
{
  Query q;
  q.source = std::string(text);
  std::string current;
  bool in_quotes = false, quoted = false;
  auto flush = [&] {
    if (!current.empty())
      q.terms.push_back(make_term(std::move(current), quoted));
    current.clear();
    quoted = false;
  };
  for (std::size_t i = 0; i < text.size();) {
    std::size_t len = 1;
    if (text[i] == '"') {
      in_quotes = !in_quotes;
      quoted = true;
    } else if (!in_quotes && is_space(text, i, len)) {
      flush();
    } else {
      current += text[i];
    }
    i += len;
  }
  flush();
  if (q.terms.empty())
    return make_error(ErrorKind::usage, "nothing to search for in '{}'", q.source)
      .with_hint("give words or characters to find, e.g. svc search 发货");
  return q;
}

std::vector<std::pair<std::size_t, std::size_t>>
find_matches(std::string_view text, const Query& query)
{
  std::string haystack = fold(text); // ASCII folding keeps byte offsets
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  for (const auto& term : query.terms) {
    std::string needle = fold(term.text);
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
      std::size_t end = at + needle.size();
      if (term.word_start && at > 0 && is_word_char(decode_at(text, previous_start(text, at)).first))
        continue;
      if (term.word_end && end < text.size() && is_word_char(decode_at(text, end).first))
        continue;
      ranges.emplace_back(at, end);
    }
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  return merged;
}

bool
matches_all(std::string_view text, const Query& query)
{
  for (const auto& term : query.terms) {
    Query one;
    one.terms = {term};
    if (find_matches(text, one).empty())
      return false;
  }
  return true;
}

std::vector<Segment>
snippet(std::string_view text, const Query& query, std::size_t width)
{
  auto matches = find_matches(text, query);
  // Code point starts, to cut on characters.
  std::vector<std::size_t> starts;
  for (std::size_t i = 0; i < text.size(); i += decode_at(text, i).second)
    starts.push_back(i);
  std::size_t count = starts.size();
  std::size_t first = 0; // code point index of the first match
  if (!matches.empty())
    first = static_cast<std::size_t>(std::lower_bound(starts.begin(), starts.end(), matches[0].first) - starts.begin());
  std::size_t lead = width / 4; // context before the first match
  std::size_t from = first > lead ? first - lead : 0;
  std::size_t to = std::min(count, from + width);
  if (to - from < width)
    from = to > width ? to - width : 0;
  std::size_t begin = from < count ? starts[from] : text.size();
  std::size_t end = to < count ? starts[to] : text.size();

  std::vector<Segment> out;
  auto add = [&](std::string_view piece, bool hit) {
    std::string s(piece);
    std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
    if (s.empty())
      return;
    if (!out.empty() && out.back().hit == hit)
      out.back().text += s;
    else
      out.push_back({std::move(s), hit});
  };
  if (begin > 0)
    add("…", false);
  std::size_t at = begin;
  for (const auto& [m_begin, m_end] : matches) {
    std::size_t b = std::max(m_begin, begin), e = std::min(m_end, end);
    if (b >= e)
      continue;
    add(text.substr(at, b - at), false);
    add(text.substr(b, e - b), true);
    at = e;
  }
  add(text.substr(at, end - at), false);
  if (end < text.size())
    add("…", false);
  return out;
}

std::string
render_snippet(const std::vector<Segment>& segments, std::string_view open, std::string_view close)
{
  std::string out;
  for (const auto& s : segments) {
    if (s.hit)
      out.append(open).append(s.text).append(close);
    else
      out += s.text;
  }
  return out;
}

} // namespace svc::history
