// Text encodings of the export formats, appending to a buffer (no string per field on the hot path).
// Platform text may hold invalid UTF-8: every encoder replaces an invalid byte with U+FFFD, so each
// format is valid UTF-8 whatever was stored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace svc::history {

// A JSON string literal, quotes included (control characters escaped, '/' left alone).
void append_json_string(std::string& out, std::string_view s);
// Text for HTML content and attribute values: & < > " ' escaped, C0 controls but tab and line
// breaks replaced.
void append_html(std::string& out, std::string_view s);
// Text inside Markdown: CommonMark's backslash escape before the characters that start markup or raw
// HTML (\ ` * _ [ ] < > | ~ & #), so a hostile text renders as the characters it holds. Line breaks are
// kept; the caller decides how each line starts.
void append_markdown(std::string& out, std::string_view s);
// One RFC 4180 CSV field (output::csv_field), as valid UTF-8.
void append_csv(std::string& out, std::string_view s);
// The text with invalid UTF-8 replaced.
std::string valid_utf8(std::string_view s);

void append_int(std::string& out, std::int64_t v);

} // namespace svc::history
