// Weibo HTTP client: endpoints, auth and error mapping, no paging policy. The access token goes as
// the `access_token` parameter (query for GET, form field for POST), which both production and the
// emulator accept. Transport errors pass through unchanged (outcome_unknown kept).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels::weibo {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct ClientConfig {
  std::string base_url;    // "https://api.weibo.com", no trailing slash
  std::string dm_base_url; // fans-service host for messages/reply ("https://m.api.weibo.com")
  std::string token;
  std::string account;     // the account NAME, for the re-bind hint
};

class Client
{
public:
  Client(http::Transport& transport, ClientConfig config);

  Result<nlohmann::json> get(std::string_view path, const Fields& fields);
  // `is_send` makes the request non-idempotent; `dm_host` targets dm_base_url.
  Result<nlohmann::json> post(std::string_view path, const Fields& fields, bool is_send,
                              bool dm_host = false);
  // svc api: METHOD (GET/POST) PATH with fields; a non-empty `body` is sent as is (JSON) with the
  // fields and token in the query. Returns the body of a success.
  Result<std::string> raw(std::string_view method, std::string_view path, const Fields& fields,
                          const std::string& body);

  const ClientConfig& config() const { return m_config; }

private:
  Fields with_token(const Fields& fields) const;
  Result<http::Response> send(const http::Request& request);

  http::Transport& m_transport;
  ClientConfig m_config;
};

} // namespace svc::channels::weibo
