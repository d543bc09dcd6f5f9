// svc export: messages or conversations as jsonl, csv, html or md (issue 8)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_export(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
