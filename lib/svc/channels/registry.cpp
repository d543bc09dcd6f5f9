// The platform table: make_channel picks the adapter for an account and points it at the account's
// base URL or the platform's production one. Base URLs have no trailing slash; paths are appended.
#include <svc/channels/channel.hpp>
#include <svc/channels/classify.hpp>
#include <svc/channels/telegram/channel.hpp>
#include <svc/channels/telegram/errors.hpp>
#include <svc/channels/wechat/channel.hpp>
#include <svc/channels/wechat/errors.hpp>
#include <svc/channels/weibo/channel.hpp>
#include <svc/channels/weibo/errors.hpp>

namespace svc::channels {

namespace {

// Weibo's fans-service private messages live on their own production host.
constexpr const char* k_weibo_dm_base = "https://m.api.weibo.com";

std::string
trim_slashes(std::string url)
{
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

Error
missing(const domain::Account& account, const char* what, const char* flag)
{
  return make_error(ErrorKind::usage, "the {} account '{}' has no {}",
                    domain::to_string(account.platform), account.name, what)
    .with_hint(fmt::format("svc account bind {} {} {} again", domain::to_string(account.platform),
                           account.name, flag));
}

} // namespace

std::string
default_base_url(domain::Platform p)
{
  switch (p) {
  case domain::Platform::weibo: return "https://api.weibo.com";
  case domain::Platform::wechat: return "https://api.weixin.qq.com";
  case domain::Platform::telegram: return "https://api.telegram.org";
  }
  return {};
}

Result<std::unique_ptr<Channel>>
make_channel(const domain::Account& account, const Credentials& creds, http::Transport& transport,
             TokenCache& tokens, const Clock& clock)
{
  bool custom = !account.base_url.empty();
  std::string base = trim_slashes(custom ? account.base_url : default_base_url(account.platform));
  switch (account.platform) {
  case domain::Platform::weibo: {
    if (creds.token.empty()) {
      return missing(account, "access token", "--token-env VAR");
    }
    weibo::ClientConfig config;
    config.base_url = base;
    // With a custom base URL (a gateway or the emulator) both paths go to the same host.
    config.dm_base_url = custom ? base : k_weibo_dm_base;
    config.token = creds.token;
    config.account = account.name;
    return std::unique_ptr<Channel>(new weibo::WeiboChannel(transport, std::move(config)));
  }
  case domain::Platform::wechat: {
    wechat::ClientConfig config;
    config.base_url = base;
    config.app_id = creds.app_id.empty() ? account.app_id : creds.app_id;
    config.secret = creds.secret;
    config.account = account.name;
    if (config.app_id.empty() || config.secret.empty()) {
      return missing(account, "app id and secret", "--app-id ID --secret-env VAR");
    }
    return std::unique_ptr<Channel>(
      new wechat::WeChatChannel(transport, tokens, clock, std::move(config)));
  }
  case domain::Platform::telegram: {
    if (creds.token.empty()) {
      return missing(account, "bot token", "--token-env VAR");
    }
    telegram::Options options;
    options.base_url = base;
    options.token = creds.token;
    options.account = account.name;
    return std::unique_ptr<Channel>(new telegram::TelegramChannel(transport, std::move(options)));
  }
  }
  return make_error(ErrorKind::failed, "unknown platform");
}

http::ResponseClassifier
response_classifier(domain::Platform platform)
{
  switch (platform) {
  case domain::Platform::weibo: return &weibo::classify_response;
  case domain::Platform::wechat: return &wechat::classify_response;
  case domain::Platform::telegram: return &telegram::classify_response;
  }
  return [](const http::Response&) { return http::RetryAdvice{}; };
}

} // namespace svc::channels
