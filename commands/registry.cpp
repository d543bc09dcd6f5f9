#include "commands/registry.hpp"

#include <array>

#include "commands/account.hpp"
#include "commands/api.hpp"
#include "commands/db.hpp"
#include "commands/listen.hpp"
#include "commands/messages.hpp"
#include "commands/replay.hpp"
#include "commands/reply.hpp"
#include "commands/sandbox.hpp"

namespace svc::commands {

namespace {

constexpr std::array k_groups = {
  GroupSpec{"account", "Bind and manage platform accounts"},
  GroupSpec{"db", "Check and maintain the state file"},
  GroupSpec{"outbox", "Outgoing messages: list, retry, cancel"},
  GroupSpec{"sandbox", "The embedded emulator of Weibo, WeChat and Telegram"},
};

constexpr std::array k_commands = {
  CommandSpec{"account", "bind", "Bind a Weibo, WeChat or Telegram account", setup_account_bind},
  CommandSpec{"account", "list", "List bound accounts", setup_account_list},
  CommandSpec{"account", "show", "Show one account", setup_account_show},
  CommandSpec{"account", "check", "Call the platform with an account's credentials", setup_account_check},
  CommandSpec{"account", "use", "Make an account the default", setup_account_use},
  CommandSpec{"account", "unbind", "Unbind an account (history is kept unless --purge)", setup_account_unbind},
  CommandSpec{"", "pull", "Fetch new messages from every bound account", setup_pull},
  CommandSpec{"", "inbox", "Conversations waiting for an answer, across all accounts", setup_inbox},
  CommandSpec{"", "show", "A conversation's transcript", setup_show},
  CommandSpec{"", "reply", "Answer a conversation (through the outbox)", setup_reply},
  CommandSpec{"outbox", "list", "Outgoing messages and their status", setup_outbox_list},
  CommandSpec{"outbox", "retry", "Send a failed (or, with --force, unknown) message again", setup_outbox_retry},
  CommandSpec{"outbox", "cancel", "Cancel a message not yet sent", setup_outbox_cancel},
  CommandSpec{"", "listen", "Receive platform push callbacks into the state file", setup_listen},
  CommandSpec{"", "api", "A raw authenticated call to an account's platform API", setup_api},
  CommandSpec{"sandbox", "serve", "Run the emulator on loopback", setup_sandbox_serve},
  CommandSpec{"sandbox", "inject", "Make a customer write to the sandbox", setup_sandbox_inject},
  CommandSpec{"", "replay", "Resend recorded callbacks, re-signed for the target", setup_replay},
  CommandSpec{"sandbox", "trigger", "Make the sandbox push a signed callback to a listener", setup_sandbox_trigger},
  CommandSpec{"db", "check", "Check the state file's integrity, schema version and counts", setup_db_check},
  CommandSpec{"db", "migrate", "Bring the state file's schema up to date", setup_db_migrate},
  CommandSpec{"db", "vacuum", "Compact the state file", setup_db_vacuum},
};

} // namespace

std::span<const CommandSpec>
all_commands()
{
  return k_commands;
}

std::span<const GroupSpec>
all_groups()
{
  return k_groups;
}

} // namespace svc::commands
