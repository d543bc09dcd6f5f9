// svc api ACCOUNT METHOD PATH: a raw authenticated call for debugging integrations, like `gh api`.
#pragma once

#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct ApiOptions {
  std::string account;
  std::string method;
  std::string path;
  std::vector<std::string> fields; // KEY=VALUE
  std::string input;               // a file with the request body ("-" = stdin)
};
Status run_api(const ApiOptions& opts, Context& ctx);
void setup_api(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
