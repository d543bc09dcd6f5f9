// `svc report`: the options checked before the state file is opened, the history read once, the
// figures computed by lib/svc/history/report.cpp and printed through the sink (or written as HTML).
#include "commands/report.hpp"

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/history/report.hpp>
#include <svc/history/report_definitions.hpp>
#include <svc/history/report_html.hpp>
#include <svc/io/atomic_file.hpp>
#include <svc/store/report_source.hpp>

namespace svc::commands {

namespace {

using history::human_seconds;
using history::human_share;

Result<history::ReportOptions>
options_of(const ReportOptions& opts, const Clock& clock)
{
  history::ReportOptions o;
  SVC_TRY(by, history::parse_report_by(opts.by));
  o.by = by;
  o.now = clock.now();
  o.until = o.now;
  if (!opts.since.empty()) {
    SVC_TRY(since, parse_time(opts.since, o.now));
    o.since = since;
  }
  if (!opts.until.empty()) {
    SVC_TRY(until, parse_time(opts.until, o.now));
    o.until = until;
  }
  if (o.until <= o.since)
    return make_error(ErrorKind::usage, "the window is empty: --until {} is not after --since {}", format_iso(o.until),
                      format_iso(o.since))
      .with_hint("give --since earlier than --until (TIME is ISO 8601, or a duration before now: 24h, 7d)");
  SVC_TRY(sla, parse_duration(opts.sla));
  if (sla.count() <= 0)
    return make_error(ErrorKind::usage, "--sla must be longer than 0").with_hint("e.g. --sla 5m, --sla 30s");
  o.sla_s = sla.count();
  SVC_TRY(window, parse_duration(opts.deflection_window));
  o.deflection_window_s = window.count();
  return o;
}

Status
print_definitions(Context& ctx)
{
  if (ctx.format() == output::Format::table) {
    ctx.io.out << history::report_definitions_text(static_cast<std::size_t>(std::max(60, std::min(ctx.io.width, 100))));
    return {};
  }
  auto sink = output::make_sink(ctx.format(), ctx.io, {{"name", "NAME"}, {"unit", "UNIT"}, {"definition", "DEFINITION"}});
  for (const auto& d : history::report_definitions())
    sink->row({{"name", d.name}, {"unit", d.unit}, {"definition", d.definition}});
  sink->end();
  return {};
}

// What a person reads: durations in human units, shares as percentages, the total as TOTAL.
nlohmann::json
table_row(nlohmann::json j)
{
  if (j["group"].is_null())
    j["group"] = "TOTAL";
  for (const char* key : {"first_response_median_s", "first_response_p90_s", "reply_median_s", "resolution_median_s"})
    j[key] = human_seconds(j[key].is_null() ? std::nullopt : std::optional<std::int64_t>(j[key].get<std::int64_t>()));
  for (const char* key : {"sla_rate", "abandon_rate", "resolution_rate", "deflection_rate"})
    j[key] = human_share(j[key].is_null() ? std::nullopt : std::optional<double>(j[key].get<double>()));
  return j;
}

} // namespace

const std::vector<output::Column>&
report_table_columns()
{
  static const std::vector<output::Column> columns = {
    {"group", "GROUP"},          {"inbound", "IN"},
    {"outbound", "OUT"},         {"conversations", "CONV"},
    {"inquiries", "INQ"},        {"first_response_median_s", "FIRST MED"},
    {"first_response_p90_s", "FIRST P90"}, {"reply_median_s", "REPLY MED"},
    {"sla_rate", "IN SLA"},      {"abandon_rate", "ABANDON"},
    {"resolution_rate", "RESOLVED"}, {"resolution_median_s", "RES MED"},
    {"backlog", "BACKLOG"},      {"deflection_rate", "DEFLECT"},
  };
  return columns;
}

Status
run_report(const ReportOptions& opts, Context& ctx)
{
  if (opts.define)
    return print_definitions(ctx);
  SVC_TRY(o, options_of(opts, ctx.clock)); // usage errors before the state file is touched
  SVC_TRY(store, ctx.existing_store());
  SVC_TRY(hist, store::report_source(*store)->history());
  history::Report report = history::compute_report(hist, o);

  if (!opts.html.empty()) {
    history::ReportOptions day = o, agent = o;
    day.by = history::ReportBy::day;
    agent.by = history::ReportBy::agent;
    history::Report by_day = history::compute_report(hist, day);
    history::Report by_agent = history::compute_report(hist, agent);
    std::string page = history::render_report_html({report, by_day, by_agent, o});
    if (auto written = io::write_atomically(opts.html, page); !written) {
      Error e = written.error();
      if (e.kind == ErrorKind::usage)
        e.hint = "--html needs a FILE in a writable directory";
      return e;
    }
    ctx.io.status(fmt::format("✓ Wrote {}", opts.html));
  }

  std::vector<output::Column> columns;
  if (ctx.format() == output::Format::table) {
    columns = report_table_columns();
    std::string header(history::to_string(o.by));
    std::transform(header.begin(), header.end(), header.begin(), [](unsigned char c) { return std::toupper(c); });
    columns[0].header = header;
  } else {
    for (const auto& d : history::report_definitions())
      columns.push_back({std::string(d.name), std::string(d.name)});
  }
  auto sink = output::make_sink(ctx.format(), ctx.io, columns);
  for (const auto& row : report.rows) {
    auto j = history::report_row_json(row, o);
    sink->row(ctx.format() == output::Format::table ? table_row(std::move(j)) : j);
  }
  sink->end();
  return {};
}

void
setup_report(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ReportOptions>();
  cmd.add_option("--by", o->by, "Rows per account, channel, agent or day (UTC)")
    ->type_name("account|channel|agent|day")
    ->default_str("account");
  cmd.add_option("--since", o->since, "Start of the window: ISO 8601 TIME or a duration before now (7d); default: all")
    ->type_name("TIME");
  cmd.add_option("--until", o->until, "End of the window (exclusive): TIME; default: now")->type_name("TIME");
  cmd.add_option("--sla", o->sla, "Service-level target for the first response (30s, 5m, 1h)")
    ->type_name("DURATION")
    ->default_str("5m");
  cmd.add_option("--deflection-window", o->deflection_window,
                 "A bot answer counts as deflected if the customer does not come back within this")
    ->type_name("DURATION")
    ->default_str("24h");
  cmd.add_option("--html", o->html, "Also write a self-contained HTML page with charts to FILE (atomically)")
    ->type_name("FILE");
  cmd.add_flag("--define", o->define, "Print the exact definition of every figure, and nothing else");
  cmd.footer("Definitions (also `svc report --define`):\n" + history::report_definitions_text(100));
  inv.bind(&cmd, [o](Context& ctx) { return run_report(*o, ctx); });
}

} // namespace svc::commands
