#include <svc/http/redact.hpp>

#include <algorithm>
#include <array>
#include <cctype>

#include <svc/http/transport.hpp>

// Hand-written scanners rather than std::regex: traces redact bodies of up to 64 KiB, where libstdc++'s
// recursive regex engine is slow and can exhaust the stack.

namespace svc::http {
namespace {

char
lower(char c)
{
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool
ends_with_ci(std::string_view s, std::string_view suffix)
{
  if (s.size() < suffix.size()) {
    return false;
  }
  std::string_view tail = s.substr(s.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (lower(tail[i]) != suffix[i]) {
      return false;
    }
  }
  return true;
}

bool
is_sensitive_key(std::string_view key)
{
  static constexpr std::array<std::string_view, 5> k_suffixes = {
    "token", "secret", "password", "apikey", "api_key"};
  if (key.empty()) {
    return false;
  }
  if (key.size() == 13 && ends_with_ci(key, "authorization")) {
    return true;
  }
  return std::any_of(k_suffixes.begin(), k_suffixes.end(), [&](std::string_view suffix) {
    return ends_with_ci(key, suffix);
  });
}

bool
is_key_char(char c)
{
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

bool
is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Characters that end an unquoted value in a query string, a form body or free text.
bool
ends_plain_value(char c)
{
  return is_space(c) || c == '&' || c == ';' || c == ',' || c == '"' || c == '\'' || c == '#'
         || c == '<' || c == '>' || c == ')' || c == '\\';
}

void
replace_all(std::string& text, std::string_view needle)
{
  if (needle.empty()) {
    return;
  }
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, from)) {
    out.append(text, from, at - from);
    out += k_redacted;
    from = at + needle.size();
  }
  if (from == 0) {
    return;
  }
  out.append(text, from, std::string::npos);
  text = std::move(out);
}

// key=VALUE (query strings, form bodies, free text).
std::string
redact_key_values(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    out += c;
    ++i;
    if (c != '=') {
      continue;
    }
    std::size_t key_begin = i - 1;
    while (key_begin > 0 && is_key_char(text[key_begin - 1])) {
      --key_begin;
    }
    std::string_view key = text.substr(key_begin, i - 1 - key_begin);
    std::size_t value_end = i;
    while (value_end < text.size() && !ends_plain_value(text[value_end])) {
      ++value_end;
    }
    if (value_end > i && is_sensitive_key(key)) {
      out += k_redacted;
      i = value_end;
    }
  }
  return out;
}

// "key": "VALUE" in JSON, also when the JSON sits escaped inside another JSON string (\"key\":\"V\").
std::string
redact_json_strings(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    out += c;
    ++i;
    if (c != ':') {
      continue;
    }
    // Back over blanks to the key's closing quote, then to its opening quote.
    std::size_t k = i - 1;
    while (k > 0 && is_space(text[k - 1])) {
      --k;
    }
    if (k == 0 || text[k - 1] != '"') {
      continue;
    }
    std::size_t key_end = k - 1;
    bool escaped = key_end > 0 && text[key_end - 1] == '\\';
    if (escaped) {
      --key_end;
    }
    std::size_t key_begin = key_end;
    while (key_begin > 0 && is_key_char(text[key_begin - 1])) {
      --key_begin;
    }
    if (key_begin == 0 || text[key_begin - 1] != '"'
        || !is_sensitive_key(text.substr(key_begin, key_end - key_begin))) {
      continue;
    }
    // Forward over blanks to the value's opening quote.
    std::size_t v = i;
    while (v < text.size() && is_space(text[v])) {
      ++v;
    }
    std::string_view opening = escaped ? "\\\"" : "\"";
    if (text.substr(v, opening.size()) != opening) {
      continue;
    }
    std::size_t value_begin = v + opening.size();
    std::size_t value_end = value_begin;
    if (escaped) {
      while (value_end < text.size() && text[value_end] != '\\') {
        ++value_end;
      }
    } else {
      while (value_end < text.size() && text[value_end] != '"') {
        value_end += text[value_end] == '\\' ? 2 : 1;
      }
      value_end = std::min(value_end, text.size());
    }
    out.append(text.substr(i, value_begin - i));
    out += k_redacted;
    i = value_end;
  }
  return out;
}

// "Authorization: VALUE" up to the end of the line (also Proxy-Authorization).
std::string
redact_authorization_headers(std::string_view text)
{
  static constexpr std::string_view k_name = "authorization";
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    bool name_here =
      text.size() - i >= k_name.size() && ends_with_ci(text.substr(i, k_name.size()), k_name);
    if (!name_here) {
      out += text[i];
      ++i;
      continue;
    }
    std::size_t j = i + k_name.size();
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) {
      ++j;
    }
    if (j >= text.size() || text[j] != ':') {
      out.append(text.substr(i, k_name.size()));
      i += k_name.size();
      continue;
    }
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) {
      ++j;
    }
    std::size_t end = j;
    while (end < text.size() && text[end] != '\r' && text[end] != '\n') {
      ++end;
    }
    out.append(text.substr(i, j - i));
    if (end > j) {
      out += k_redacted;
    }
    i = end;
  }
  return out;
}

// Telegram puts the bot token in the path: https://api.telegram.org/bot<TOKEN>/getMe.
std::string
redact_bot_paths(std::string_view text)
{
  static constexpr std::string_view k_prefix = "/bot";
  std::string out;
  out.reserve(text.size());
  std::size_t from = 0;
  for (std::size_t at = text.find(k_prefix); at != std::string_view::npos;
       at = text.find(k_prefix, from)) {
    std::size_t begin = at + k_prefix.size();
    std::size_t end = begin;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#'
           && !ends_plain_value(text[end])) {
      ++end;
    }
    out.append(text.substr(from, begin - from));
    if (end > begin) {
      out += k_redacted;
    }
    from = end;
  }
  out.append(text.substr(from));
  return out;
}

// scheme://user:PASSWORD@host
std::string
redact_userinfo(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  std::size_t from = 0;
  for (std::size_t at = text.find("://"); at != std::string_view::npos;
       at = text.find("://", from)) {
    std::size_t begin = at + 3;
    std::size_t end = begin;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#'
           && !ends_plain_value(text[end])) {
      ++end;
    }
    std::string_view authority = text.substr(begin, end - begin);
    std::size_t at_sign = authority.rfind('@');
    std::size_t colon =
      authority.substr(0, at_sign == std::string_view::npos ? 0 : at_sign).find(':');
    if (at_sign != std::string_view::npos && colon != std::string_view::npos
        && colon + 1 < at_sign) {
      out.append(text.substr(from, begin + colon + 1 - from));
      out += k_redacted;
      from = begin + at_sign;
    } else {
      out.append(text.substr(from, begin - from));
      from = begin;
    }
  }
  out.append(text.substr(from));
  return out;
}

} // namespace

std::string
redact_patterns(std::string_view text)
{
  std::string s = redact_userinfo(text);
  s = redact_bot_paths(s);
  s = redact_authorization_headers(s);
  s = redact_json_strings(s);
  return redact_key_values(s);
}

std::string
redact(std::string_view text, const std::vector<std::string>& secrets)
{
  std::string s(text);
  // Longest first, so a secret that contains another is hidden whole. Each is also hidden in the forms
  // it takes inside a URL or a form body ("123:ABC" travels as "123%3AABC").
  std::vector<std::string> needles;
  for (const std::string& secret : secrets) {
    if (secret.empty()) {
      continue;
    }
    needles.push_back(secret);
    std::string encoded = url_encode(secret);
    if (encoded != secret) {
      needles.push_back(std::move(encoded));
    }
  }
  std::sort(needles.begin(), needles.end(), [](const std::string& a, const std::string& b) {
    return a.size() > b.size();
  });
  for (const std::string& needle : needles) {
    replace_all(s, needle);
  }
  return redact_patterns(s);
}

} // namespace svc::http
