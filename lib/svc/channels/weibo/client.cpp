#include <svc/channels/weibo/client.hpp>

#include <strings.h>

#include <svc/channels/weibo/errors.hpp>

namespace svc::channels::weibo {

namespace {

std::string
join_path(const std::string& base, std::string_view path)
{
  std::string url = base;
  if (path.empty() || path.front() != '/') {
    url += '/';
  }
  url += path;
  return url;
}

} // namespace

Client::Client(http::Transport& transport, ClientConfig config)
  : m_transport(transport), m_config(std::move(config))
{
}

Fields
Client::with_token(const Fields& fields) const
{
  Fields all;
  all.reserve(fields.size() + 1);
  all.emplace_back("access_token", m_config.token);
  all.insert(all.end(), fields.begin(), fields.end());
  return all;
}

Result<http::Response>
Client::send(const http::Request& request)
{
  return m_transport.send(request);
}

Result<nlohmann::json>
Client::get(std::string_view path, const Fields& fields)
{
  http::Request req;
  req.method = http::Method::get;
  req.url = join_path(m_config.base_url, path) + "?" + http::form_encode(with_token(fields));
  SVC_TRY(resp, send(req));
  return check_response(resp, false, m_config.account);
}

Result<nlohmann::json>
Client::post(std::string_view path, const Fields& fields, bool is_send, bool dm_host)
{
  http::Request req;
  req.method = http::Method::post;
  req.url = join_path(dm_host ? m_config.dm_base_url : m_config.base_url, path);
  req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  req.body = http::form_encode(with_token(fields));
  req.idempotent = !is_send;
  SVC_TRY(resp, send(req));
  return check_response(resp, is_send, m_config.account);
}

Result<std::string>
Client::raw(std::string_view method, std::string_view path, const Fields& fields,
            const std::string& body)
{
  http::Request req;
  std::string url = join_path(m_config.base_url, path);
  if (strncasecmp(std::string(method).c_str(), "GET", 4) == 0) {
    req.method = http::Method::get;
    req.url = url + "?" + http::form_encode(with_token(fields));
  } else if (strncasecmp(std::string(method).c_str(), "POST", 5) == 0) {
    req.method = http::Method::post;
    // A raw POST may change something: never repeat it on a timeout.
    req.idempotent = false;
    if (body.empty()) {
      req.url = url;
      req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      req.body = http::form_encode(with_token(fields));
    } else {
      req.url = url + "?" + http::form_encode(with_token(fields));
      req.headers.emplace_back("Content-Type", "application/json");
      req.body = body;
    }
  } else {
    return make_error(ErrorKind::usage, "Weibo takes GET or POST, not '{}'", method);
  }
  SVC_TRY(resp, send(req));
  SVC_CHECK(check_response(resp, !req.idempotent, m_config.account));
  return resp.body;
}

} // namespace svc::channels::weibo
