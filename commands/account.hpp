// svc account bind|list|show|check|use|unbind (cli.md "Accounts").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/context.hpp"

namespace CLI {
class App;
}

namespace svc::commands {

struct AccountBindOptions {
  std::string platform;
  std::string name;
  std::string token_env, token_file;
  bool token_stdin = false;
  std::string app_id;
  std::string secret_env, secret_file;
  bool secret_stdin = false;
  std::string callback_token_env;
  std::string webhook_secret_env;
  std::string base_url;
  bool make_default = false;
  std::string rate_limit;
};
Status run_account_bind(const AccountBindOptions& opts, Context& ctx);
void setup_account_bind(CLI::App& cmd, Invocation& inv);

Status run_account_list(Context& ctx);
void setup_account_list(CLI::App& cmd, Invocation& inv);

struct AccountNameOptions {
  std::string name;
};
Status run_account_show(const AccountNameOptions& opts, Context& ctx);
void setup_account_show(CLI::App& cmd, Invocation& inv);
Status run_account_use(const AccountNameOptions& opts, Context& ctx);
void setup_account_use(CLI::App& cmd, Invocation& inv);

struct AccountCheckOptions {
  std::vector<std::string> names;
  bool all = false;
};
Status run_account_check(const AccountCheckOptions& opts, Context& ctx);
void setup_account_check(CLI::App& cmd, Invocation& inv);

struct AccountUnbindOptions {
  std::string name;
  bool purge = false;
};
Status run_account_unbind(const AccountUnbindOptions& opts, Context& ctx);
void setup_account_unbind(CLI::App& cmd, Invocation& inv);

} // namespace svc::commands
