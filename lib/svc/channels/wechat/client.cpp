#include <svc/channels/wechat/client.hpp>

#include <svc/channels/json_util.hpp>
#include <svc/channels/wechat/errors.hpp>

namespace svc::channels::wechat {

Client::Client(http::Transport& transport, TokenCache& tokens, const Clock& clock,
               ClientConfig config)
  : m_transport(transport), m_tokens(tokens), m_clock(clock), m_config(std::move(config))
{
}

Result<std::string>
Client::fetch_token()
{
  if (m_config.app_id.empty() || m_config.secret.empty()) {
    return make_error(ErrorKind::usage, "the WeChat account {} has no app id or secret",
                      m_config.account)
      .with_hint("svc account bind wechat " + m_config.account + " --app-id ID --secret-env VAR");
  }
  http::Request req;
  req.method = http::Method::get;
  req.url = m_config.base_url + "/cgi-bin/token?"
            + http::form_encode({{"grant_type", "client_credential"},
                                 {"appid", m_config.app_id},
                                 {"secret", m_config.secret}});
  SVC_TRY(resp, m_transport.send(req));
  SVC_TRY(body, check_response(resp, false, m_config.account));
  std::string token = detail::str_field(body, "access_token");
  if (token.empty()) {
    return make_error(ErrorKind::temporary, "WeChat sent no access_token in its token reply");
  }
  std::int64_t expires_in = detail::int_field(body, "expires_in").value_or(7200);
  m_tokens.put(token, m_clock.now() + expires_in);
  return token;
}

Result<std::string>
Client::token(bool force)
{
  if (!force) {
    if (auto cached = m_tokens.get();
        cached && !cached->first.empty() && cached->second - m_clock.now() >= k_refresh_margin_s) {
      return cached->first;
    }
  }
  return fetch_token();
}

Result<std::pair<http::Response, nlohmann::json>>
Client::call_impl(http::Method method, std::string_view path, const Fields& query,
                  const std::string& body, bool is_send)
{
  SVC_TRY(tok, token());
  for (int attempt = 0;; ++attempt) {
    Fields all{{"access_token", tok}};
    all.insert(all.end(), query.begin(), query.end());
    http::Request req;
    req.method = method;
    req.url = m_config.base_url;
    if (path.empty() || path.front() != '/') {
      req.url += '/';
    }
    req.url += std::string(path) + "?" + http::form_encode(all);
    if (method == http::Method::post) {
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = body.empty() ? "{}" : body;
    }
    req.idempotent = !is_send;
    SVC_TRY(resp, m_transport.send(req));
    auto code = error_code(resp);
    if (attempt == 0 && code && is_token_error(*code)) {
      // Another svc process may already have put a newer token; otherwise fetch one.
      auto cached = m_tokens.get();
      if (cached && !cached->first.empty() && cached->first != tok
          && cached->second - m_clock.now() >= k_refresh_margin_s) {
        tok = cached->first;
      } else {
        m_tokens.clear();
        SVC_TRY(fresh, fetch_token());
        tok = fresh;
      }
      continue;
    }
    SVC_TRY(json, check_response(resp, is_send, m_config.account));
    return std::make_pair(std::move(resp), std::move(json));
  }
}

Result<nlohmann::json>
Client::call(http::Method method, std::string_view path, const Fields& query,
             const std::string& body, bool is_send)
{
  SVC_TRY(both, call_impl(method, path, query, body, is_send));
  return std::move(both.second);
}

Result<std::string>
Client::call_raw(http::Method method, std::string_view path, const Fields& query,
                 const std::string& body, bool is_send)
{
  SVC_TRY(both, call_impl(method, path, query, body, is_send));
  return std::move(both.first.body);
}

} // namespace svc::channels::wechat
