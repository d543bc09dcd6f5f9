// svc rules check|test|apply: keyword rules and their actions (issue 9; the file format is docs/rules.md)
#pragma once

#include <optional>
#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct RulesCheckOptions {
  std::optional<std::string> file; // default: rules_path()
};

struct RulesTestOptions {
  std::string text;
  std::string channel = "dm";
  std::string contact;            // CONTACT: tags, first contact, account
  std::string account;            // without --contact
  std::string at;                 // TIME for the time windows (default: now)
  std::optional<std::string> rules;
};

struct RulesApplyOptions {
  std::string since = "7d";
  bool dry_run = false;
  int limit = 0;
  std::optional<std::string> rules;
  bool listing = true; // false: only the summary on stderr (`svc pull --apply-rules`: stdout is pull's)
};

Status run_rules_check(const RulesCheckOptions& opts, Context& ctx);
Status run_rules_test(const RulesTestOptions& opts, Context& ctx);
// Also run by `svc pull --apply-rules` after a successful pull.
Status run_rules_apply(const RulesApplyOptions& opts, Context& ctx);

void setup_rules_check(CLI::App& cmd, Invocation& inv);
void setup_rules_test(CLI::App& cmd, Invocation& inv);
void setup_rules_apply(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
