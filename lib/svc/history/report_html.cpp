// The HTML page: a table of the figures and three inline SVG bar charts, drawn here (no library, no
// script), so the file opens offline in any browser and can be mailed as it is.
#include <svc/history/report_html.hpp>

#include <algorithm>
#include <array>
#include <sstream>

#include <fmt/format.h>

#include <svc/core/time.hpp>
#include <svc/history/report_definitions.hpp>

namespace svc::history {

namespace {

constexpr std::string_view k_style = R"CSS(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tr.total td { font-weight: bold; border-top: 2px solid #888; }
.wide { overflow-x: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
.in { fill: #4e79a7; } .out { fill: #f28e2b; } .bar { fill: #59a14f; }
dl dt { font-weight: bold; margin-top: .6em; } dl dd { margin-left: 1.5em; }
.muted { color: #777; }
)CSS";

struct Col {
  std::string_view key, header;
  enum Kind { count, seconds, share } kind;
};

constexpr std::array k_cols = {
  Col{"inbound", "In", Col::count},
  Col{"outbound", "Out", Col::count},
  Col{"conversations", "Conversations", Col::count},
  Col{"inquiries", "Inquiries", Col::count},
  Col{"first_response_median_s", "First resp. median", Col::seconds},
  Col{"first_response_p90_s", "First resp. p90", Col::seconds},
  Col{"first_response_mean_s", "First resp. mean", Col::seconds},
  Col{"reply_median_s", "Reply median", Col::seconds},
  Col{"reply_p90_s", "Reply p90", Col::seconds},
  Col{"sla_rate", "Within SLA", Col::share},
  Col{"abandoned", "Abandoned", Col::count},
  Col{"abandon_rate", "Abandon rate", Col::share},
  Col{"resolution_rate", "Resolved", Col::share},
  Col{"resolution_median_s", "Resolution median", Col::seconds},
  Col{"backlog", "Backlog now", Col::count},
  Col{"bot_answered", "Bot answered", Col::count},
  Col{"deflection_rate", "Deflection", Col::share},
};

std::string
cell(const nlohmann::json& v, Col::Kind kind)
{
  if (v.is_null())
    return "-";
  switch (kind) {
  case Col::seconds:
    return human_seconds(static_cast<std::int64_t>(v.get<double>() + 0.5));
  case Col::share:
    return human_share(v.get<double>());
  case Col::count:
    break;
  }
  return v.dump();
}

void
table(std::ostringstream& out, const Report& report, const ReportOptions& o)
{
  out << "<div class=\"wide\"><table>\n<tr><th>" << html_escape(to_string(o.by)) << "</th>";
  for (const auto& c : k_cols)
    out << "<th title=\"" << html_escape(c.key) << "\">" << html_escape(c.header) << "</th>";
  out << "</tr>\n";
  for (const auto& row : report.rows) {
    auto j = report_row_json(row, o);
    out << (row.group ? "<tr>" : "<tr class=\"total\">") << "<td>" << html_escape(row.group ? *row.group : "Total")
        << "</td>";
    for (const auto& c : k_cols)
      out << "<td>" << html_escape(cell(j.at(std::string(c.key)), c.kind)) << "</td>";
    out << "</tr>\n";
  }
  out << "</table></div>\n";
}

// Vertical bars: one group of `series` bars per label.
struct Series {
  std::string name, css;
  std::vector<std::int64_t> values;
};

void
bar_chart(std::ostringstream& out, std::string_view title, const std::vector<std::string>& labels,
          const std::vector<Series>& series)
{
  const int height = 220, top = 20, bottom = 40, left = 50;
  const int per = std::max(6, std::min(60, 900 / std::max<int>(1, static_cast<int>(labels.size()))));
  const int width = left + per * static_cast<int>(labels.size()) + 20;
  std::int64_t max = 1;
  for (const auto& s : series)
    for (auto v : s.values)
      max = std::max(max, v);
  const int plot = height - top - bottom;
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\">", width,
                     height);
  out << "<title>" << html_escape(title) << "</title>";
  out << fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#999\"/>", left, top, top + plot);
  out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 4, top + 4, max);
  out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>", left - 4, top + plot);
  const int bar = std::max(2, (per - 4) / std::max<int>(1, static_cast<int>(series.size())));
  std::size_t step = std::max<std::size_t>(1, labels.size() / 15);  // at most ~15 axis labels
  for (std::size_t i = 0; i < labels.size(); ++i) {
    int x0 = left + per * static_cast<int>(i) + 2;
    for (std::size_t s = 0; s < series.size(); ++s) {
      std::int64_t v = series[s].values[i];
      int h = static_cast<int>(static_cast<double>(plot) * static_cast<double>(v) / static_cast<double>(max));
      out << fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
                         series[s].css, x0 + bar * static_cast<int>(s), top + plot - h, bar, h,
                         html_escape(fmt::format("{} {}: {}", labels[i], series[s].name, v)));
    }
    if (i % step == 0)
      out << fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", x0, top + plot + 14, html_escape(labels[i]));
  }
  int lx = left;
  for (const auto& s : series) {
    out << fmt::format("<rect class=\"{}\" x=\"{}\" y=\"{}\" width=\"10\" height=\"10\"/>", s.css, lx, height - 14);
    out << fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", lx + 14, height - 5, html_escape(s.name));
    lx += 20 + 8 * static_cast<int>(s.name.size());
  }
  out << "</svg>\n";
}

// Horizontal bars, one per agent: replies sent, labelled with the median first response.
void
agent_chart(std::ostringstream& out, const Report& by_agent)
{
  std::vector<const ReportRow*> rows;
  for (const auto& r : by_agent.rows)
    if (r.group && r.outbound > 0)
      rows.push_back(&r);
  if (rows.empty()) {
    out << "<p class=\"muted\">No outbound messages in the window.</p>\n";
    return;
  }
  std::int64_t max = 1;
  for (const auto* r : rows)
    max = std::max(max, r->outbound);
  const int row_h = 22, left = 160, plot = 500;
  int height = row_h * static_cast<int>(rows.size()) + 10;
  out << fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\">",
                     left + plot + 260, height);
  out << "<title>Outbound messages per agent</title>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ReportRow& r = *rows[i];
    int y = 5 + row_h * static_cast<int>(i);
    int w = std::max(1, static_cast<int>(plot * static_cast<double>(r.outbound) / static_cast<double>(max)));
    std::string label = fmt::format("{} sent, first response median {}", r.outbound, human_seconds(r.first_response.median));
    out << fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>", left - 6, y + 14, html_escape(*r.group));
    out << fmt::format("<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>", left,
                       y, w, row_h - 6, html_escape(*r.group + ": " + label));
    out << fmt::format("<text x=\"{}\" y=\"{}\">{}</text>", left + w + 6, y + 14, html_escape(label));
  }
  out << "</svg>\n";
}

} // namespace

std::string
html_escape(std::string_view text)
{
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

std::string
render_report_html(const HtmlReport& r)
{
  const ReportOptions& o = r.options;
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>svc report</title>\n<style>" << k_style << "</style>\n</head>\n<body>\n";
  std::string window = fmt::format("{} to {}", o.since > 0 ? format_iso(o.since) : std::string("the start"),
                                   format_iso(o.until));
  out << "<h1>svc report</h1>\n<p>" << html_escape(window) << " (UTC), by " << html_escape(to_string(o.by))
      << ". SLA " << html_escape(human_seconds(o.sla_s)) << ". Outcomes followed up to "
      << html_escape(format_iso(o.now)) << ".</p>\n";
  table(out, r.main, o);

  out << "<h2>Daily volume</h2>\n";
  std::vector<std::string> days;
  Series in{"inbound", "in", {}}, outb{"outbound", "out", {}};
  for (const auto& row : r.by_day.rows)
    if (row.group && (row.inbound > 0 || row.outbound > 0)) {
      days.push_back(*row.group);
      in.values.push_back(row.inbound);
      outb.values.push_back(row.outbound);
    }
  if (days.empty())
    out << "<p class=\"muted\">No messages in the window.</p>\n";
  else
    bar_chart(out, "Messages per day", days, {in, outb});

  out << "<h2>First response time</h2>\n";
  constexpr std::array<std::pair<std::int64_t, std::string_view>, 7> buckets = {{{60, "< 1m"},
                                                                                  {300, "1-5m"},
                                                                                  {900, "5-15m"},
                                                                                  {3600, "15m-1h"},
                                                                                  {14400, "1-4h"},
                                                                                  {86400, "4-24h"},
                                                                                  {INT64_MAX, "> 24h"}}};
  std::vector<std::string> labels;
  Series dist{"inquiries", "bar", std::vector<std::int64_t>(buckets.size(), 0)};
  for (const auto& b : buckets)
    labels.emplace_back(b.second);
  for (auto s : r.main.first_responses)
    for (std::size_t i = 0; i < buckets.size(); ++i)
      if (s < buckets[i].first) {
        ++dist.values[i];
        break;
      }
  if (r.main.first_responses.empty())
    out << "<p class=\"muted\">No answered inquiries in the window.</p>\n";
  else
    bar_chart(out, "First response time distribution", labels, {dist});

  out << "<h2>Per agent</h2>\n";
  agent_chart(out, r.by_agent);

  out << "<h2>Definitions</h2>\n";
  std::string_view rest = report_preamble();
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    out << "<p>" << html_escape(rest.substr(0, nl)) << "</p>\n";
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  }
  out << "<dl>\n";
  for (const auto& d : report_definitions())
    out << "<dt>" << html_escape(d.name) << " <span class=\"muted\">(" << html_escape(d.unit) << ")</span></dt><dd>"
        << html_escape(d.definition) << "</dd>\n";
  out << "</dl>\n</body>\n</html>\n";
  return out.str();
}

} // namespace svc::history
