// svc kb add|import|list|remove|ask: the knowledge-base bot (issue 9)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_kb_add(CLI::App& cmd, Invocation& inv);
void setup_kb_import(CLI::App& cmd, Invocation& inv);
void setup_kb_list(CLI::App& cmd, Invocation& inv);
void setup_kb_remove(CLI::App& cmd, Invocation& inv);
void setup_kb_ask(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
