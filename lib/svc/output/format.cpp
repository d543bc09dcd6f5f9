#include <svc/output/format.hpp>

namespace svc::output {

std::optional<Format>
parse_format(std::string_view s)
{
  if (s == "table")
    return Format::table;
  if (s == "json")
    return Format::json;
  if (s == "jsonl")
    return Format::jsonl;
  if (s == "csv")
    return Format::csv;
  return std::nullopt;
}

std::string_view
to_string(Format f)
{
  switch (f) {
  case Format::table: return "table";
  case Format::json: return "json";
  case Format::jsonl: return "jsonl";
  case Format::csv: return "csv";
  }
  return "table";
}

} // namespace svc::output
