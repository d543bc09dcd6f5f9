// svc guard add|list|remove: the brand guard on every outgoing text (issue 9; docs/bot.md)
#pragma once

#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct GuardTermsOptions {
  std::vector<std::string> terms;
};

Status run_guard_add(const GuardTermsOptions& opts, Context& ctx);
void setup_guard_add(CLI::App& cmd, Invocation& inv);
Status run_guard_list(Context& ctx);
void setup_guard_list(CLI::App& cmd, Invocation& inv);
Status run_guard_remove(const GuardTermsOptions& opts, Context& ctx);
void setup_guard_remove(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
