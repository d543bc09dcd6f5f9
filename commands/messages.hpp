// svc pull, svc inbox, svc show (cli.md "Messages").
#pragma once

#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct PullCommandOptions {
  std::vector<std::string> accounts;
  bool all = false;
  std::vector<std::string> channels;
  int limit = 100;
  bool follow = false;
  std::string interval = "30s";
};
Status run_pull(const PullCommandOptions& opts, Context& ctx);
void setup_pull(CLI::App& cmd, Invocation& inv);

struct InboxOptions {
  std::string status = "open";
  std::string assignee;
  std::string account;
  std::string channel;
  std::string tag;
  std::string group;
  int limit = 100;
};
Status run_inbox(const InboxOptions& opts, Context& ctx);
void setup_inbox(CLI::App& cmd, Invocation& inv);

struct ShowOptions {
  std::int64_t conversation = 0;
  bool raw = false;
};
Status run_show(const ShowOptions& opts, Context& ctx);
void setup_show(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
