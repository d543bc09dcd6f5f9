// svc claim, release, assign, transfer, resolve, reopen, history (cli.md "Conversation workflow").
#pragma once

#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_claim(CLI::App& cmd, Invocation& inv);
void setup_release(CLI::App& cmd, Invocation& inv);
void setup_assign(CLI::App& cmd, Invocation& inv);
void setup_transfer(CLI::App& cmd, Invocation& inv);
void setup_resolve(CLI::App& cmd, Invocation& inv);
void setup_reopen(CLI::App& cmd, Invocation& inv);
void setup_history(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
