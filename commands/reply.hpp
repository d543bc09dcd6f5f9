// svc reply and svc outbox list|retry|cancel.
#pragma once

#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct ReplyOptions {
  std::int64_t conversation = 0;
  std::string text;
  std::string file;
  std::string source; // "-": read the reply from stdin
  bool dry_run = false;
  bool force = false;
  bool allow_guard = false;      // --allow-guard: send a text the brand guard bans
  std::string template_name;     // --template NAME instead of a text
  std::vector<std::string> vars; // --var KEY=VALUE for it
};
Status run_reply(const ReplyOptions& opts, Context& ctx);
void setup_reply(CLI::App& cmd, Invocation& inv);

struct OutboxOptions {
  std::string status;
};
Status run_outbox_list(const OutboxOptions& opts, Context& ctx);
void setup_outbox_list(CLI::App& cmd, Invocation& inv);

struct OutboxItemOptions {
  std::int64_t id = 0;
  bool force = false;
};
Status run_outbox_retry(const OutboxItemOptions& opts, Context& ctx);
void setup_outbox_retry(CLI::App& cmd, Invocation& inv);
Status run_outbox_cancel(const OutboxItemOptions& opts, Context& ctx);
void setup_outbox_cancel(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
