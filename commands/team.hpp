// svc agent add|list|remove|status, svc group add|list (cli.md "Agents, routing and simulation").
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_agent_add(CLI::App& cmd, Invocation& inv);
void setup_agent_list(CLI::App& cmd, Invocation& inv);
void setup_agent_remove(CLI::App& cmd, Invocation& inv);
void setup_agent_status(CLI::App& cmd, Invocation& inv);
void setup_group_add(CLI::App& cmd, Invocation& inv);
void setup_group_list(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
