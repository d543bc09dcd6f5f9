// `svc report`: call-centre KPIs over the history (issue 8), computed from the rows report_source reads.
// The unit is the *inquiry* of lib/svc/store/simulation_source.hpp: a conversation's first inbound
// message, or its first inbound message after a resolution; answered at the first outbound message after
// it; ended by the next resolution. Each figure's exact definition is in report_definitions.cpp, the one
// table that --define, --help and the man page print.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/store/report_source.hpp>

namespace svc::history {

enum class ReportBy { account, channel, agent, day };

// "account" | "channel" | "agent" | "day"; usage error (exit 2) otherwise.
Result<ReportBy> parse_report_by(std::string_view text);
std::string_view to_string(ReportBy by);

struct ReportOptions {
  ReportBy by = ReportBy::account;
  UnixTime since = 0;                 // the window [since, until)
  UnixTime until = 0;
  UnixTime now = 0;                   // outcomes are followed up to here
  std::int64_t sla_s = 300;           // --sla
  std::int64_t deflection_window_s = 86400;  // --deflection-window
};

// Durations in seconds: median and p90 by nearest rank (observed values), mean unrounded; all empty when
// there is no sample.
struct DurationStats {
  std::int64_t count = 0;
  std::optional<std::int64_t> median, p90;
  std::optional<double> mean;
};

struct ReportRow {
  std::optional<std::string> group;   // empty: the total over every group
  std::int64_t inbound = 0, outbound = 0, bot_replies = 0, conversations = 0, inquiries = 0;
  DurationStats first_response, reply, resolution;
  std::int64_t sla_met = 0, sla_decided = 0, abandoned = 0, resolved = 0, backlog = 0;
  std::int64_t bot_answered = 0, deflected = 0, deflection_decided = 0;
  std::optional<double> sla_rate, abandon_rate, resolution_rate, deflection_rate;
};

struct Report {
  std::vector<ReportRow> rows;  // by group name (days in time order), then the total row
  // First response times (seconds) of the window's answered inquiries, for the distribution chart.
  std::vector<std::int64_t> first_responses;
};

Report compute_report(const store::ReportHistory& history, const ReportOptions& options);

} // namespace svc::history
