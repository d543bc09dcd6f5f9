// svc watch add|list|run|remove: keyword subscriptions over pulled messages (issue 9)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_watch_add(CLI::App& cmd, Invocation& inv);
void setup_watch_list(CLI::App& cmd, Invocation& inv);
void setup_watch_run(CLI::App& cmd, Invocation& inv);
void setup_watch_remove(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
