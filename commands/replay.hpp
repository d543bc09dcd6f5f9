// svc replay FILE.jsonl --to URL: resend recorded callbacks, re-signed for the target.
#pragma once

#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct ReplayOptions {
  std::string file;
  std::string to;
  std::string account; // sign with this account's secrets instead of the recorded account's
};
Status run_replay(const ReplayOptions& opts, Context& ctx);
void setup_replay(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
