// svc rules check|test|apply: keyword rules and their actions (issue 9)
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_rules_check(CLI::App& cmd, Invocation& inv);
void setup_rules_test(CLI::App& cmd, Invocation& inv);
void setup_rules_apply(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
