#include <svc/accounts/binding.hpp>

#include <sys/stat.h>

#include <filesystem>

namespace svc::accounts {

namespace {

bool
valid_env_name(const std::string& v)
{
  if (v.empty() || std::isdigit(static_cast<unsigned char>(v[0])))
    return false;
  for (char c : v)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
      return false;
  return true;
}

} // namespace

Result<domain::SecretRef>
secret_from_env(const std::string& variable)
{
  if (!valid_env_name(variable))
    // The argument is not echoed: it may be the secret itself, given by mistake.
    return make_error(ErrorKind::usage, "the --*-env value is not an environment variable name")
      .with_hint("pass the variable's NAME (e.g. --token-env SHOP_TOKEN), never the secret itself");
  return domain::SecretRef{domain::SecretRef::Source::env, variable};
}

Result<domain::SecretRef>
secret_from_file(const std::string& path)
{
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  if (ec || !std::filesystem::is_regular_file(absolute, ec))
    return make_error(ErrorKind::usage, "no readable file at {}", path);
  return domain::SecretRef{domain::SecretRef::Source::file, absolute.string()};
}

Result<domain::SecretRef>
secret_from_value(std::string value, const std::string& what)
{
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' '))
    value.pop_back();
  if (value.empty())
    return make_error(ErrorKind::usage, "no {} on standard input", what)
      .with_hint(fmt::format("pipe it in, e.g. `pass show shop | svc account bind ... --{}-stdin`", what));
  return domain::SecretRef{domain::SecretRef::Source::value, value};
}

Status
validate_account_name(const std::string& name)
{
  bool ok = !name.empty() && name.size() <= 64 && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name)
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (!ok)
    return make_error(ErrorKind::usage, "invalid account name '{}'", name)
      .with_hint("use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit");
  return {};
}

Result<BindResult>
bind(store::Store& store, const BindRequest& req, const config::Getenv& getenv)
{
  auto platform = domain::parse_platform(req.platform);
  if (!platform)
    return make_error(ErrorKind::usage, "unknown platform '{}'", req.platform)
      .with_hint("platforms: weibo, wechat, telegram");
  SVC_CHECK(validate_account_name(req.name));
  if (!req.base_url.empty() && req.base_url.rfind("http://", 0) != 0 && req.base_url.rfind("https://", 0) != 0)
    return make_error(ErrorKind::usage, "--base-url must start with http:// or https:// (got '{}')", req.base_url);

  BindResult result;
  switch (*platform) {
  case domain::Platform::telegram:
  case domain::Platform::weibo:
    if (req.token.empty())
      return make_error(ErrorKind::usage, "a {} account needs an access token", req.platform)
        .with_hint("give it with --token-env VAR, --token-file PATH or --token-stdin");
    break;
  case domain::Platform::wechat:
    if (req.app_id.empty() || req.secret.empty())
      return make_error(ErrorKind::usage, "a wechat account needs --app-id and its app secret")
        .with_hint("give the secret with --secret-env VAR, --secret-file PATH or --secret-stdin");
    if (!req.token.empty())
      return make_error(ErrorKind::usage, "a wechat account takes no --token-*: svc fetches access tokens itself")
        .with_hint("give --app-id and --secret-env instead");
    break;
  }
  for (const auto* ref : {&req.token, &req.secret, &req.callback_token, &req.webhook_secret}) {
    if (ref->source == domain::SecretRef::Source::env && !getenv(ref->ref))
      result.warnings.push_back(fmt::format("${} is not set now; svc reads it at each use", ref->ref));
    if (ref->source == domain::SecretRef::Source::file) {
      struct stat st{};
      if (stat(ref->ref.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
        result.warnings.push_back(fmt::format("{} can be read by other users; chmod 600 it", ref->ref));
    }
  }
  if (!req.base_url.empty() && req.base_url.rfind("http://", 0) == 0
      && req.base_url.find("://127.") == std::string::npos && req.base_url.find("://localhost") == std::string::npos
      && req.base_url.find("://[::1]") == std::string::npos)
    result.warnings.push_back("the base URL is plain http and not on this machine: tokens would travel unencrypted");

  domain::Account a;
  a.name = req.name;
  a.platform = *platform;
  a.base_url = req.base_url;
  while (!a.base_url.empty() && a.base_url.back() == '/')
    a.base_url.pop_back();
  a.token = req.token;
  a.app_id = req.app_id;
  a.secret = req.secret;
  a.callback_token = req.callback_token;
  a.webhook_secret = req.webhook_secret;
  a.request_rate = req.request_rate;
  SVC_TRY(existing, store.accounts().list());
  SVC_TRY(stored, store.accounts().bind(a, req.make_default || existing.empty()));
  result.account = std::move(stored);
  return result;
}

} // namespace svc::accounts
