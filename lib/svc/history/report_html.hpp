// `svc report --html FILE`: one self-contained page (inline CSS and SVG charts, no script, nothing fetched
// from the network) with the report table, daily volume, the first-response distribution and per-agent
// figures. Every text from the state file (account, agent names) is escaped.
#pragma once

#include <string>
#include <string_view>

#include <svc/history/report.hpp>

namespace svc::history {

struct HtmlReport {
  const Report& main;      // grouped as the user asked (--by)
  const Report& by_day;    // for the daily volume chart
  const Report& by_agent;  // for the per-agent chart
  const ReportOptions& options;
};

std::string render_report_html(const HtmlReport& report);

// &, <, >, " and ' as entities: safe in text and in quoted attributes.
std::string html_escape(std::string_view text);

} // namespace svc::history
