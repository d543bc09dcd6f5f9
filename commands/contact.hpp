// svc contact list|show|lookup|link|unlink|set|note|export|import (cli.md "Contacts and tags"). CONTACT is
// the svc contact id or ACCOUNT:PLATFORM_USER_ID.
#pragma once

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

void setup_contact_list(CLI::App& cmd, Invocation& inv);
void setup_contact_show(CLI::App& cmd, Invocation& inv);
void setup_contact_lookup(CLI::App& cmd, Invocation& inv);
void setup_contact_link(CLI::App& cmd, Invocation& inv);
void setup_contact_unlink(CLI::App& cmd, Invocation& inv);
void setup_contact_set(CLI::App& cmd, Invocation& inv);
void setup_contact_note(CLI::App& cmd, Invocation& inv);
void setup_contact_export(CLI::App& cmd, Invocation& inv);
void setup_contact_import(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
