// The output formats of every listing (--format / SVC_FORMAT).
#pragma once

#include <optional>
#include <string_view>

namespace svc::output {

enum class Format { table, json, jsonl, csv };

std::optional<Format> parse_format(std::string_view s);
std::string_view to_string(Format f);

} // namespace svc::output
