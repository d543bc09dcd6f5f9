// svc tag sync ACCOUNT [--dry-run]: the account's tags with the platform's own user tags (WeChat). The
// plan is printed first (stdout, --format); --dry-run stops there; otherwise each step is applied and
// reported on stderr. The work is lib/svc/contacts/tag_sync.hpp; the rules are docs/tag-sync.md.
#pragma once

#include <string>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct TagSyncOptions {
  std::string account;
  bool dry_run = false;
};
Status run_tag_sync(const TagSyncOptions& opts, Context& ctx);
void setup_tag_sync(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
