// svc search: full-text search over messages and contact names (issue 8)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_search(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
