// Terminal column width of UTF-8 text: CJK and emoji take two columns, combining marks none. Used to
// align tables that mix Chinese and Latin text.
#pragma once

#include <string>
#include <string_view>

namespace svc::io {

std::size_t display_width(std::string_view utf8);
// Cuts to at most `width` columns, ending with "…" when cut.
std::string truncate_to_width(std::string_view utf8, std::size_t width);

} // namespace svc::io
