#include <svc/channels/weibo/errors.hpp>

#include <fmt/format.h>

#include <svc/channels/json_util.hpp>

namespace svc::channels::weibo {

namespace {

bool
is_auth_code(std::int64_t c)
{
  // 21301 auth failed, 21314-21317 token used/expired/revoked/rejected, 21319 accessor revoked,
  // 21327 expired_token, 21332 invalid_access_token.
  return c == 21301 || (c >= 21314 && c <= 21317) || c == 21319 || c == 21327 || c == 21332;
}

bool
is_rate_limit(std::int64_t c)
{
  return c == 10022 || c == 10023 || c == 10024;
}

bool
is_busy(std::int64_t c)
{
  return c == 10001 || c == 10002 || c == 10009;
}

std::optional<std::int64_t>
envelope_code(const nlohmann::json& j)
{
  return j.is_object() ? detail::int_field(j, "error_code") : std::nullopt;
}

} // namespace

Error
map_error(std::int64_t code, std::string_view text, std::optional<int> http_status,
          std::string_view account)
{
  Error e;
  e.http_status = http_status;
  if (is_auth_code(code)) {
    e.kind = ErrorKind::auth;
    e.message = fmt::format("Weibo refused the access token: {} (error {})", text, code);
    e.hint = fmt::format("svc account bind weibo {} --token-env VAR again (a new OAuth2 token)",
                         account.empty() ? "NAME" : account);
  } else if (is_rate_limit(code)) {
    e.kind = ErrorKind::temporary;
    e.message = fmt::format("Weibo rate limited the account: {} (error {})", text, code);
    e.hint = "Weibo's limits are hourly; try again later";
  } else if (is_busy(code)) {
    e.kind = ErrorKind::temporary;
    e.message = fmt::format("Weibo is busy: {} (error {})", text, code);
  } else if (code == 20003 || code == 20101 || code == 20201) {
    e.kind = ErrorKind::not_found;
    e.message = fmt::format("Weibo: {} (error {})", text, code);
  } else {
    e.kind = ErrorKind::failed;
    e.message = fmt::format("Weibo error {}: {}", code, text);
  }
  return e;
}

Result<nlohmann::json>
check_response(const http::Response& response, bool is_send, std::string_view account)
{
  auto parsed = detail::parse_body("Weibo", response.body, is_send, response.status);
  if (!parsed) {
    if (response.status >= 400) {
      return detail::http_status_error("Weibo", response.status, response.body, is_send);
    }
    return parsed;
  }
  const auto& j = *parsed;
  if (auto code = envelope_code(j)) {
    std::string text = detail::str_field(j, "error");
    if (text.empty()) {
      text = detail::str_field(j, "error_description");
    }
    return map_error(*code, text, response.status, account);
  }
  if (response.status >= 400) {
    return detail::http_status_error("Weibo", response.status, response.body, is_send);
  }
  return parsed;
}

http::RetryAdvice
classify_response(const http::Response& response)
{
  http::RetryAdvice advice;
  // Called on every response: a page of comments is half a megabyte, so only a body that can hold an
  // error envelope is parsed (inside a JSON string the key's quotes would be escaped).
  if (response.body.find("\"error_code\"") == std::string::npos)
    return advice;
  auto j = nlohmann::json::parse(response.body, nullptr, false);
  if (auto code = envelope_code(j)) {
    advice.transient = is_rate_limit(*code) || is_busy(*code);
  }
  return advice;
}

} // namespace svc::channels::weibo
