// The exact definition of every figure `svc report` prints: one table, printed by `svc report --define`,
// in `svc report --help` (and so in the man page, which help2man makes from it), and checked by a test
// against the fields of a real report.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <svc/history/report.hpp>

namespace svc::history {

struct FigureDefinition {
  std::string_view name;        // the JSON field (snake_case)
  std::string_view unit;        // count | seconds | share (0..1) | text | ...
  std::string_view definition;  // start, end, what counts
};

// Every field of a report row, in output order.
std::span<const FigureDefinition> report_definitions();

// The general rules (the inquiry, the window, clock skew) that the definitions rely on.
std::string_view report_preamble();

// The definitions as plain text wrapped to `width` columns (for --define on a terminal and --help).
std::string report_definitions_text(std::size_t width = 100);

// One report row as JSON: exactly the fields of report_definitions(), durations in seconds.
nlohmann::json report_row_json(const ReportRow& row, const ReportOptions& options);

// For people (tables, HTML): "42s", "3m 05s", "2h 05m", "4d 03h"; "-" for none.
std::string human_seconds(const std::optional<std::int64_t>& seconds);
// "87.5%"; "-" for none.
std::string human_share(const std::optional<double>& share);

} // namespace svc::history
