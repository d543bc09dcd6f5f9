// svc search: full-text search over messages and contact names (issue 8; docs/search.md)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct SearchOptions {
  std::string query;
  std::string account;               // "" = every account
  std::string since;                 // TIME (ISO 8601 or relative); "" = all time
  std::vector<std::string> channels; // empty = all
  int limit = 20;
};

Status run_search(const SearchOptions& opts, Context& ctx);
void setup_search(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
