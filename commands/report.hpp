// svc report: call-centre KPIs by account, channel, agent or day (issue 8)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_report(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
