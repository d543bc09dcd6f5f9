// svc simulate, svc simulate staff (cli.md "Agents, routing and simulation"; docs/simulate.md).
// `staff` is a subcommand of `simulate` added by setup_simulate: the registry has one row for both.
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_simulate(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
