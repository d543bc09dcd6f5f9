// svc guard add|list|remove: the brand guard on every outgoing text (issue 9)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_guard_add(CLI::App& cmd, Invocation& inv);
void setup_guard_list(CLI::App& cmd, Invocation& inv);
void setup_guard_remove(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
