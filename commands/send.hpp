// svc send: proactive messages from one account to its contacts, resumable, paced and within the
// platforms' windows (cli.md "Messages"; the work is lib/svc/inbox/send.hpp).
#pragma once

#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct SendOptions {
  std::vector<std::string> to;
  std::string tag;
  std::string account;
  std::string text;
  std::string template_name;
  std::vector<std::string> vars;
  bool dry_run = false;
  std::string rate; // "N/min", "N/s", ...; "" = unpaced
  std::string run;  // the run key; "" derives one
  bool allow_guard = false;
};
Status run_send(const SendOptions& opts, Context& ctx);
void setup_send(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
