// svc sandbox serve|inject: the embedded emulator of the three platforms on loopback.
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_sandbox_serve(CLI::App& cmd, Invocation& inv);
void setup_sandbox_inject(CLI::App& cmd, Invocation& inv);
void setup_sandbox_trigger(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
