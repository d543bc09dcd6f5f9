#include <svc/io/display_width.hpp>

namespace svc::io {

namespace {

// Decodes one code point at s[i], advancing i; invalid bytes count as one column each.
char32_t
next_code_point(std::string_view s, std::size_t& i)
{
  unsigned char c = static_cast<unsigned char>(s[i]);
  int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  if (i + static_cast<std::size_t>(len) > s.size())
    len = 1;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1f) : len == 3 ? (c & 0x0f) : (c & 0x07);
  for (int k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3f);
  i += static_cast<std::size_t>(len);
  return cp;
}

int
code_point_width(char32_t cp)
{
  if (cp == 0 || (cp >= 0x300 && cp <= 0x36f) || cp == 0x200d || (cp >= 0xfe00 && cp <= 0xfe0f))
    return 0; // combining marks, zero-width joiner, variation selectors
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3)
      || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60)
      || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd))
    return 2;
  return 1;
}

} // namespace

std::size_t
display_width(std::string_view s)
{
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();)
    width += static_cast<std::size_t>(code_point_width(next_code_point(s, i)));
  return width;
}

std::string
truncate_to_width(std::string_view s, std::size_t width)
{
  if (display_width(s) <= width)
    return std::string(s);
  if (width == 0)
    return {};
  std::string out;
  std::size_t used = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t start = i;
    auto w = static_cast<std::size_t>(code_point_width(next_code_point(s, i)));
    if (used + w > width - 1)
      break;
    used += w;
    out.append(s.substr(start, i - start));
  }
  return out + "…";
}

} // namespace svc::io
