#include "commands/account.hpp"

#include <CLI/CLI.hpp>

#include <svc/accounts/binding.hpp>
#include "commands/partial.hpp"
#include <svc/core/time.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_account_columns = {
  {"name", "NAME"},       {"platform", "PLATFORM"},          {"default", "DEFAULT"},
  {"credentials.token", "TOKEN"}, {"platform_user_id", "PLATFORM ID"}, {"base_url", "BASE URL"},
};

// The account as scripts see it. Credentials show only where they come from (never a value).
nlohmann::json
account_json(const domain::Account& a)
{
  nlohmann::json creds = nlohmann::json::object();
  auto add = [&](const char* key, const domain::SecretRef& ref) {
    if (!ref.empty())
      creds[key] = ref.describe();
  };
  add("token", a.token);
  add("secret", a.secret);
  add("callback_token", a.callback_token);
  add("webhook_secret", a.webhook_secret);
  return {
    {"name", a.name},
    {"platform", domain::to_string(a.platform)},
    {"default", a.is_default},
    {"base_url", a.base_url.empty() ? nlohmann::json() : nlohmann::json(a.base_url)},
    {"app_id", a.app_id.empty() ? nlohmann::json() : nlohmann::json(a.app_id)},
    {"credentials", creds},
    {"platform_user_id", a.platform_user_id.empty() ? nlohmann::json() : nlohmann::json(a.platform_user_id)},
    {"display_name", a.display_name.empty() ? nlohmann::json() : nlohmann::json(a.display_name)},
    {"created_at", format_iso(a.created_at)},
    {"request_rate", a.request_rate ? nlohmann::json(*a.request_rate) : nlohmann::json()},
  };
}

// One secret given as exactly one of env / file / stdin.
Result<domain::SecretRef>
secret_from(const std::string& what, const std::string& env, const std::string& file, bool from_stdin,
            Context& ctx)
{
  int given = !env.empty() + !file.empty() + from_stdin;
  if (given > 1)
    return make_error(ErrorKind::usage, "give the {0} one way only: --{0}-env, --{0}-file or --{0}-stdin", what);
  if (!env.empty())
    return accounts::secret_from_env(env);
  if (!file.empty())
    return accounts::secret_from_file(file);
  if (from_stdin) {
    std::string line;
    std::getline(ctx.io.in, line);
    return accounts::secret_from_value(line, what);
  }
  return domain::SecretRef{};
}

} // namespace

Status
run_account_bind(const AccountBindOptions& opts, Context& ctx)
{
  accounts::BindRequest req;
  req.platform = opts.platform;
  req.name = opts.name;
  req.app_id = opts.app_id;
  req.base_url = opts.base_url;
  req.make_default = opts.make_default;
  if (!opts.rate_limit.empty()) {
    SVC_TRY(rate, parse_rate(opts.rate_limit));
    req.request_rate = rate;
  }
  SVC_TRY(token, secret_from("token", opts.token_env, opts.token_file, opts.token_stdin, ctx));
  SVC_TRY(secret, secret_from("secret", opts.secret_env, opts.secret_file, opts.secret_stdin, ctx));
  req.token = token;
  req.secret = secret;
  if (!opts.callback_token_env.empty()) {
    SVC_TRY(cb, accounts::secret_from_env(opts.callback_token_env));
    req.callback_token = cb;
  }
  if (!opts.webhook_secret_env.empty()) {
    SVC_TRY(wh, accounts::secret_from_env(opts.webhook_secret_env));
    req.webhook_secret = wh;
  }
  SVC_TRY(store, ctx.store());
  SVC_TRY(bound, accounts::bind(*store, req, ctx.getenv));
  for (const auto& warning : bound.warnings)
    ctx.io.warn(warning);
  ctx.io.status(fmt::format("✓ Bound {} account '{}'{}", opts.platform, bound.account.name,
                            bound.account.is_default ? " (default)" : ""));
  return {};
}

void
setup_account_bind(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AccountBindOptions>();
  cmd.add_option("platform", o->platform, "weibo, wechat or telegram")->required()
    ->check(CLI::IsMember({"weibo", "wechat", "telegram"}));
  cmd.add_option("name", o->name, "A name for the account (letters, digits, - _ .)")->required();
  cmd.add_option("--token-env", o->token_env, "Read the access token from this environment variable at each use");
  cmd.add_option("--token-file", o->token_file, "Read the access token from this file at each use");
  cmd.add_flag("--token-stdin", o->token_stdin, "Read the access token once from stdin and store it");
  cmd.add_option("--app-id", o->app_id, "WeChat appid (or Weibo app key)");
  cmd.add_option("--secret-env", o->secret_env, "WeChat appsecret / Weibo app secret from this variable");
  cmd.add_option("--secret-file", o->secret_file, "WeChat appsecret / Weibo app secret from this file");
  cmd.add_flag("--secret-stdin", o->secret_stdin, "Read the app secret once from stdin and store it");
  cmd.add_option("--callback-token-env", o->callback_token_env, "WeChat: the token push signatures use");
  cmd.add_option("--webhook-secret-env", o->webhook_secret_env, "Telegram: the webhook secret token");
  cmd.add_option("--base-url", o->base_url, "Reach the platform through this URL (gateway, proxy, sandbox)");
  cmd.add_flag("--default", o->make_default, "Make this the default account");
  cmd.add_option("--rate-limit", o->rate_limit,
                 "Requests per second (or N/m, N/h) for all svc processes together; 0 = none");
  inv.bind(&cmd, [o](Context& ctx) { return run_account_bind(*o, ctx); });
}

Status
run_account_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(all, store->accounts().list());
  auto sink = output::make_sink(ctx.format(), ctx.io, k_account_columns);
  for (const auto& a : all)
    sink->row(account_json(a));
  sink->end();
  return {};
}

void
setup_account_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_account_list(ctx); });
}

Status
run_account_show(const AccountNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(account, store->accounts().get(opts.name));
  auto columns = k_account_columns;
  columns.push_back({"app_id", "APP ID"});
  columns.push_back({"credentials", "CREDENTIALS"});
  columns.push_back({"display_name", "DISPLAY NAME"});
  columns.push_back({"created_at", "BOUND AT"});
  output::print_object(ctx.format(), ctx.io, account_json(account), columns);
  return {};
}

void
setup_account_show(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AccountNameOptions>();
  cmd.add_option("name", o->name, "Account NAME")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_account_show(*o, ctx); });
}

Status
run_account_use(const AccountNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->accounts().set_default(opts.name));
  ctx.io.status(fmt::format("✓ '{}' is now the default account", opts.name));
  return {};
}

void
setup_account_use(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AccountNameOptions>();
  cmd.add_option("name", o->name, "Account NAME")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_account_use(*o, ctx); });
}

Status
run_account_check(const AccountCheckOptions& opts, Context& ctx)
{
  SVC_TRY(accounts, ctx.resolve_accounts(opts.names, opts.all));
  SVC_TRY(store, ctx.store());
  AccountFailures failures(ctx);
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"name", "NAME"}, {"platform", "PLATFORM"}, {"ok", "OK"},
                                 {"platform_user_id", "PLATFORM ID"}, {"display_name", "AS"}});
  for (const auto& account : accounts) {
    auto conn = ctx.connect(account);
    auto who = conn ? (*conn)->channel().verify() : Result<domain::PlatformUser>(conn.error());
    if (!who) {
      failures.add(account.name, who.error());
      sink->row({{"name", account.name}, {"platform", domain::to_string(account.platform)}, {"ok", false},
                 {"error", who.error().message}});
      continue;
    }
    SVC_CHECK(store->accounts().set_identity(account.id, who->id, who->name));
    sink->row({{"name", account.name}, {"platform", domain::to_string(account.platform)}, {"ok", true},
               {"platform_user_id", who->id}, {"display_name", who->name}});
  }
  sink->end();
  return failures.finish(accounts.size());
}

void
setup_account_check(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AccountCheckOptions>();
  cmd.add_option("names", o->names, "Account NAMEs (default: the default account)");
  cmd.add_flag("--all", o->all, "Every bound account");
  inv.bind(&cmd, [o](Context& ctx) { return run_account_check(*o, ctx); });
}

Status
run_account_unbind(const AccountUnbindOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->accounts().unbind(opts.name, opts.purge));
  ctx.io.status(opts.purge ? fmt::format("✓ Unbound '{}' and deleted its history", opts.name)
                           : fmt::format("✓ Unbound '{}' (its history is kept; --purge deletes it)", opts.name));
  return {};
}

void
setup_account_unbind(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AccountUnbindOptions>();
  cmd.add_option("name", o->name, "Account NAME")->required();
  cmd.add_flag("--purge", o->purge, "Also delete the account's messages, conversations and contacts");
  inv.bind(&cmd, [o](Context& ctx) { return run_account_unbind(*o, ctx); });
}

} // namespace svc::commands
