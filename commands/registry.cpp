#include "commands/registry.hpp"

#include <array>

#include "commands/account.hpp"
#include "commands/db.hpp"

namespace svc::commands {

namespace {

constexpr std::array k_groups = {
  GroupSpec{"account", "Bind and manage platform accounts"},
  GroupSpec{"db", "Check and maintain the state file"},
};

constexpr std::array k_commands = {
  CommandSpec{"account", "bind", "Bind a Weibo, WeChat or Telegram account", setup_account_bind},
  CommandSpec{"account", "list", "List bound accounts", setup_account_list},
  CommandSpec{"account", "show", "Show one account", setup_account_show},
  CommandSpec{"account", "use", "Make an account the default", setup_account_use},
  CommandSpec{"account", "unbind", "Unbind an account (history is kept unless --purge)", setup_account_unbind},
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
