#include <svc/core/regex_pattern.hpp>

#include <fmt/format.h>

namespace svc {

namespace {

bool
is_digit(char c)
{
  return c >= '0' && c <= '9';
}

// The length of the run of digits at `at`.
std::size_t
digits_at(std::string_view s, std::size_t at)
{
  std::size_t n = 0;
  while (at + n < s.size() && is_digit(s[at + n]))
    ++n;
  return n;
}

} // namespace

std::optional<std::string>
regex_pattern_problem(std::string_view pattern)
{
  // No tracking of character classes: a '{' or a "\123" inside one is checked too, which refuses
  // nothing a real pattern needs and cannot miss a count that libstdc++ would read.
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      const std::size_t n = digits_at(pattern, i + 1);
      if (n > 3)
        return fmt::format("back-reference \\{} is too large", pattern.substr(i + 1, n));
      i += n > 0 ? n : 1; // past the escaped character: "\{" is a brace, "\\" a backslash
      continue;
    }
    if (pattern[i] != '{')
      continue;
    // {m}, {m,} or {m,n}: each count at most k_max_regex_repeat (5 digits or more are above it).
    std::size_t at = i + 1;
    for (int count = 0; count < 2; ++count) {
      const std::size_t n = digits_at(pattern, at);
      if (n > 4 || (n > 0 && std::stol(std::string(pattern.substr(at, n))) > k_max_regex_repeat))
        return fmt::format("repetition count {} is above {}", pattern.substr(at, n), k_max_regex_repeat);
      at += n;
      if (at >= pattern.size() || pattern[at] != ',')
        break;
      ++at;
    }
  }
  return std::nullopt;
}

} // namespace svc
