#include <svc/history/export_text.hpp>

#include <charconv>

#include <svc/output/sink.hpp>

namespace svc::history {

namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD

bool
cont(std::string_view s, std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF)
{
  if (i >= s.size())
    return false;
  auto c = static_cast<unsigned char>(s[i]);
  return c >= lo && c <= hi;
}

// The length of the well-formed UTF-8 sequence starting at s[i] (a byte >= 0x80), or 0 (Unicode
// table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t
sequence_length(std::string_view s, std::size_t i)
{
  auto c = static_cast<unsigned char>(s[i]);
  if (c >= 0xC2 && c <= 0xDF)
    return cont(s, i + 1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    bool second = c == 0xE0 ? cont(s, i + 1, 0xA0) : c == 0xED ? cont(s, i + 1, 0x80, 0x9F) : cont(s, i + 1);
    return second && cont(s, i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    bool second = c == 0xF0 ? cont(s, i + 1, 0x90) : c == 0xF4 ? cont(s, i + 1, 0x80, 0x8F) : cont(s, i + 1);
    return second && cont(s, i + 2) && cont(s, i + 3) ? 4 : 0;
  }
  return 0;
}

// Appends the non-ASCII character at s[i] (or U+FFFD for an invalid byte) and returns the next index.
std::size_t
append_non_ascii(std::string& out, std::string_view s, std::size_t i)
{
  std::size_t n = sequence_length(s, i);
  if (n == 0) {
    out += k_replacement;
    return i + 1;
  }
  out.append(s.data() + i, n);
  return i + n;
}

// Appends s, passing each ASCII byte for which `special` holds to `escape`, in runs otherwise.
template <class Special, class Escape>
void
append_encoded(std::string& out, std::string_view s, Special special, Escape escape)
{
  std::size_t i = 0, n = s.size();
  while (i < n) {
    std::size_t run = i;
    while (run < n && static_cast<unsigned char>(s[run]) < 0x80 && !special(static_cast<unsigned char>(s[run])))
      ++run;
    out.append(s.data() + i, run - i);
    i = run;
    if (i == n)
      break;
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      i = append_non_ascii(out, s, i);
    } else {
      escape(out, c);
      ++i;
    }
  }
}

} // namespace

void
append_json_string(std::string& out, std::string_view s)
{
  out += '"';
  append_encoded(
    out, s, [](unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; },
    [](std::string& o, unsigned char c) {
      switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      case '\b': o += "\\b"; break;
      case '\f': o += "\\f"; break;
      default: {
        constexpr char hex[] = "0123456789abcdef";
        o += "\\u00";
        o += hex[c >> 4];
        o += hex[c & 0xF];
      }
      }
    });
  out += '"';
}

void
append_html(std::string& out, std::string_view s)
{
  append_encoded(
    out, s,
    [](unsigned char c) {
      return c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
             c == 0x7F;
    },
    [](std::string& o, unsigned char c) {
      switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += k_replacement; // a control character has no business in a page
      }
    });
}

void
append_markdown(std::string& out, std::string_view s)
{
  static constexpr std::string_view k_markup = "\\`*_[]<>|~&#";
  append_encoded(
    out, s, [](unsigned char c) { return k_markup.find(static_cast<char>(c)) != std::string_view::npos; },
    [](std::string& o, unsigned char c) {
      o += '\\';
      o += static_cast<char>(c);
    });
}

std::string
valid_utf8(std::string_view s)
{
  std::string out;
  out.reserve(s.size());
  append_encoded(
    out, s, [](unsigned char) { return false; }, [](std::string&, unsigned char) {});
  return out;
}

void
append_csv(std::string& out, std::string_view s)
{
  std::string text = valid_utf8(s);
  out += output::csv_field(text);
}

void
append_int(std::string& out, std::int64_t v)
{
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec; // 24 characters hold any int64
  out.append(buf, end);
}

} // namespace svc::history
