// svc tag add|remove|list (cli.md "Contacts and tags"); tags filter `inbox`, `contact list`, `contact
// export` and `send`.
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_tag_add(CLI::App& cmd, Invocation& inv);
void setup_tag_remove(CLI::App& cmd, Invocation& inv);
void setup_tag_list(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
