// svc report: call-centre KPIs by account, channel, agent or day (issue 8)
#pragma once

#include <string>
#include <vector>

#include <svc/output/sink.hpp>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct ReportOptions {
  std::string by = "account";
  std::string since, until;
  std::string sla = "5m";
  std::string deflection_window = "24h";
  std::string html;  // FILE; "" for none
  bool define = false;
};

Status run_report(const ReportOptions& opts, Context& ctx);
void setup_report(CLI::App& cmd, Invocation& inv);

// The columns of the table for people (keys are JSON fields; a test checks each has a definition).
const std::vector<output::Column>& report_table_columns();

} // namespace svc::commands
