// WeChat HTTP client: the access token (GET /cgi-bin/token, cached through TokenCache with its
// expiry, refreshed when less than 60 s remain) and authenticated calls with ?access_token= in the
// query. A call refused with 40001/40014/42001 is retried once with a fresh token — safe even for a
// send, since the platform refused it — and becomes `auth` if the refusal persists.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/channels/channel.hpp>
#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels::wechat {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct ClientConfig {
  std::string base_url; // "https://api.weixin.qq.com", no trailing slash
  std::string app_id;
  std::string secret;
  std::string account;  // the account NAME, for hints
};

class Client
{
public:
  // Refresh a cached token when fewer than this many seconds of validity remain.
  static constexpr std::int64_t k_refresh_margin_s = 60;

  Client(http::Transport& transport, TokenCache& tokens, const Clock& clock, ClientConfig config);

  // A valid access token: the cached one, or a fetched one (`force` always fetches).
  Result<std::string> token(bool force = false);

  // METHOD base+path?access_token=…&query; `body` (JSON text) is POSTed when method is post.
  // Returns the success JSON, or the mapped error.
  Result<nlohmann::json> call(http::Method method, std::string_view path, const Fields& query,
                              const std::string& body, bool is_send);

  // The same, returning the raw body (svc api).
  Result<std::string> call_raw(http::Method method, std::string_view path, const Fields& query,
                               const std::string& body, bool is_send);

  const ClientConfig& config() const { return m_config; }
  const Clock& clock() const { return m_clock; }

private:
  Result<std::pair<http::Response, nlohmann::json>> call_impl(http::Method method,
                                                             std::string_view path,
                                                             const Fields& query,
                                                             const std::string& body,
                                                             bool is_send);
  Result<std::string> fetch_token();

  http::Transport& m_transport;
  TokenCache& m_tokens;
  const Clock& m_clock;
  ClientConfig m_config;
};

} // namespace svc::channels::wechat
