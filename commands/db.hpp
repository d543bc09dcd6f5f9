// svc db check|migrate|vacuum.
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

Status run_db_check(Context& ctx);
void setup_db_check(CLI::App& cmd, Invocation& inv);
Status run_db_migrate(Context& ctx);
void setup_db_migrate(CLI::App& cmd, Invocation& inv);
Status run_db_vacuum(Context& ctx);
void setup_db_vacuum(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
