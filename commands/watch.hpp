// svc watch add|list|run|remove: keyword subscriptions over pulled comments, mentions and DMs
// (issue 9; docs/search.md)
#pragma once

#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct WatchAddOptions {
  std::string name;
  std::string query;
  std::string tag;                   // "" = none
  std::vector<std::string> channels; // empty = all
};

struct WatchNameOptions {
  std::string name; // watch run: "" = every watch
};

Status run_watch_add(const WatchAddOptions& opts, Context& ctx);
Status run_watch_list(Context& ctx);
Status run_watch_run(const WatchNameOptions& opts, Context& ctx);
Status run_watch_remove(const WatchNameOptions& opts, Context& ctx);

void setup_watch_add(CLI::App& cmd, Invocation& inv);
void setup_watch_list(CLI::App& cmd, Invocation& inv);
void setup_watch_run(CLI::App& cmd, Invocation& inv);
void setup_watch_remove(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
