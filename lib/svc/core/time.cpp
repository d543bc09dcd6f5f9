#include <svc/core/time.hpp>

#include <cctype>
#include <charconv>
#include <ctime>
#include <limits>

#include <fmt/format.h>

namespace svc {

UnixTime
SystemClock::now() const
{
  return std::chrono::duration_cast<std::chrono::seconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

namespace {

constexpr std::int64_t k_max_duration_s = std::int64_t{100} * 365 * 86400; // a century

std::int64_t
unit_seconds(char unit)
{
  switch (unit) {
  case 's': return 1;
  case 'm': return 60;
  case 'h': return 3600;
  case 'd': return 86400;
  case 'w': return 7 * 86400;
  default: return 0;
  }
}

Error
bad_duration(std::string_view text)
{
  return make_error(ErrorKind::usage, "invalid duration '{}'", text)
    .with_hint("use a number and a unit: 30s, 15m, 2h, 7d (or combined, e.g. 1h30m)");
}

// Reads exactly `n` digits at `pos`.
bool
read_digits(std::string_view s, std::size_t& pos, std::size_t n, int& out)
{
  if (pos + n > s.size())
    return false;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9')
      return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool
expect(std::string_view s, std::size_t& pos, char c)
{
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

unsigned
days_in_month(int year, unsigned month)
{
  static constexpr unsigned k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : k_days[month - 1];
}

std::optional<UnixTime>
parse_iso(std::string_view s)
{
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(s, pos, 4, year) || !expect(s, pos, '-') || !read_digits(s, pos, 2, month)
      || !expect(s, pos, '-') || !read_digits(s, pos, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || static_cast<unsigned>(day) > days_in_month(year, month))
    return std::nullopt;
  std::int64_t offset = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ')
      return std::nullopt;
    ++pos;
    if (!read_digits(s, pos, 2, hour) || !expect(s, pos, ':') || !read_digits(s, pos, 2, minute))
      return std::nullopt;
    if (expect(s, pos, ':')) {
      if (!read_digits(s, pos, 2, second))
        return std::nullopt;
      if (expect(s, pos, '.')) { // fractional seconds are accepted and dropped
        std::size_t start = pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])))
          ++pos;
        if (pos == start)
          return std::nullopt;
      }
    }
    if (hour > 23 || minute > 59 || second > 60)
      return std::nullopt;
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        int sign = s[pos] == '-' ? -1 : 1;
        ++pos;
        int oh = 0, om = 0;
        if (!read_digits(s, pos, 2, oh))
          return std::nullopt;
        expect(s, pos, ':');
        if (!read_digits(s, pos, 2, om) || oh > 23 || om > 59)
          return std::nullopt;
        offset = sign * (oh * 3600 + om * 60);
      } else {
        return std::nullopt;
      }
    }
  }
  if (pos != s.size())
    return std::nullopt;
  return unix_from_civil(year, month, day, hour, minute, second) - offset;
}

} // namespace

Result<std::chrono::seconds>
parse_duration(std::string_view text)
{
  if (text == "0")
    return std::chrono::seconds(0);
  if (text.empty())
    return bad_duration(text);
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data() + pos || number < 0)
      return bad_duration(text);
    pos = static_cast<std::size_t>(end - text.data());
    if (pos >= text.size())
      return bad_duration(text);
    std::int64_t unit = unit_seconds(text[pos]);
    if (unit == 0)
      return bad_duration(text);
    ++pos;
    if (number > k_max_duration_s / unit || total > k_max_duration_s - number * unit)
      return make_error(ErrorKind::usage, "duration '{}' is too long", text)
        .with_hint("durations are limited to 100 years");
    total += number * unit;
  }
  return std::chrono::seconds(total);
}

Result<UnixTime>
parse_time(std::string_view text, UnixTime now)
{
  if (text == "now")
    return now;
  if (auto t = parse_iso(text))
    return *t;
  // Relative: a duration back from now. Only when the text does not look like a date.
  if (!text.empty() && !(text.size() >= 5 && text[4] == '-')) {
    if (auto d = parse_duration(text))
      return now - d->count();
  }
  return make_error(ErrorKind::usage, "invalid time '{}'", text)
    .with_hint("use ISO 8601 (2026-11-22T09:30:00Z, 2026-11-22) or a relative time (24h, 7d)");
}

Result<double>
parse_rate(std::string_view text)
{
  auto slash = text.find('/');
  std::string_view number = text.substr(0, slash);
  std::string_view unit = slash == std::string_view::npos ? "s" : text.substr(slash + 1);
  double per = unit == "s" ? 1 : (unit == "m" || unit == "min") ? 60 : unit == "h" ? 3600 : 0;
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (per == 0 || ec != std::errc() || end != number.data() + number.size() || number.empty() || value < 0)
    return make_error(ErrorKind::usage, "invalid rate '{}'", text).with_hint("e.g. 10/s, 600/m, 100/h (0 = no limit)");
  return value / per;
}

UnixTime
unix_from_civil(int year, unsigned month, unsigned day, int hour, int minute, int second)
{
  // Howard Hinnant's days_from_civil.
  year -= month <= 2;
  const int era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + static_cast<std::int64_t>(doe) - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::string
format_iso(UnixTime t)
{
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string
format_elapsed(std::int64_t s)
{
  if (s < 0)
    s = 0;
  if (s < 60)
    return fmt::format("{}s", s);
  if (s < 3600)
    return fmt::format("{}m", s / 60);
  if (s < 86400)
    return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
  return fmt::format("{}d {:02}h", s / 86400, (s % 86400) / 3600);
}

} // namespace svc
