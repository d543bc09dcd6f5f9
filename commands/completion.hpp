// `svc completion SHELL` (the completion script for bash, zsh or fish) and two hidden commands for
// tooling: `svc __commands` (the command tree as JSON, the source of the completions and the man
// pages) and `svc __complete KIND` (account, agent, group, tag or template names, one a line, for the
// completion scripts; quietly empty on any error).
#pragma once

#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct CompleteOptions {
  std::string kind; // accounts | agents | groups | tags | templates
};

Status run_complete(const CompleteOptions& opts, Context& ctx);

void setup_completion(CLI::App& cmd, Invocation& inv);
void setup_dump_commands(CLI::App& cmd, Invocation& inv);
void setup_complete(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
