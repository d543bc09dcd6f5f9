#include <svc/channels/wechat/errors.hpp>

#include <fmt/format.h>

#include <svc/channels/json_util.hpp>

namespace svc::channels::wechat {

namespace {

std::optional<std::int64_t>
body_code(const nlohmann::json& j)
{
  auto code = detail::int_field(j, "errcode");
  if (code && *code != 0) {
    return code;
  }
  return std::nullopt;
}

std::string
bind_hint(std::string_view account)
{
  return fmt::format("check the app id and secret, then svc account bind wechat {} --app-id ID "
                     "--secret-env VAR again",
                     account.empty() ? "NAME" : account);
}

} // namespace

bool
is_token_error(std::int64_t errcode)
{
  return errcode == 40001 || errcode == 40014 || errcode == 42001;
}

Error
map_error(std::int64_t code, std::string_view errmsg, std::string_view account)
{
  Error e;
  e.http_status = 200;
  e.message = fmt::format("WeChat error {}: {}", code, errmsg);
  if (is_token_error(code) || code == 40013 || code == 40125 || code == 41001 || code == 40002) {
    e.kind = ErrorKind::auth;
    e.hint = bind_hint(account);
  } else if (code == 40164) {
    e.kind = ErrorKind::auth;
    e.hint = "add this machine's public IP to the official account's IP whitelist "
             "(Settings and Development > Basic Configuration)";
  } else if (code == 45009) {
    e.kind = ErrorKind::temporary;
    e.message = fmt::format("WeChat's daily API quota is used up (error 45009): {}", errmsg);
    e.hint = "the quota resets at midnight Beijing time";
  } else if (code == 45011 || code == -1) {
    e.kind = ErrorKind::temporary;
  } else if (code == 45015) {
    // Not `conflict` (that means a claim or a double send) and not `temporary` (waiting does not
    // help): only the customer writing again reopens the window.
    e.kind = ErrorKind::failed;
    e.message = fmt::format("outside WeChat's 48-hour customer-service window (or the user "
                            "unfollowed) (error 45015): {}",
                            errmsg);
    e.hint = "WeChat only allows replies after the customer wrote within the last 48 hours";
  } else if (code == 45047) {
    e.kind = ErrorKind::failed;
    e.message = fmt::format("WeChat's reply quota for this customer is used up (error 45047): {}",
                            errmsg);
  } else if (code == 40003 || code == 46004) {
    e.kind = ErrorKind::not_found;
  } else if (code == 45157 || code == 45056 || code == 45058 || code == 45059) {
    // User tags (§2.6): a name already taken, 100 tags, a system tag, a fan with 20 tags.
    e.kind = ErrorKind::conflict;
  } else if (code == 45159 || code == 49003) {
    e.kind = ErrorKind::not_found; // no such tag id; an openid of another official account
  } else if (code == 45158) {
    e.kind = ErrorKind::usage; // a tag name over 30 bytes
  } else {
    e.kind = ErrorKind::failed;
  }
  return e;
}

std::optional<std::int64_t>
error_code(const http::Response& response)
{
  return body_code(nlohmann::json::parse(response.body, nullptr, false));
}

Result<nlohmann::json>
check_response(const http::Response& response, bool is_send, std::string_view account)
{
  auto parsed = detail::parse_body("WeChat", response.body, is_send, response.status);
  if (!parsed) {
    if (response.status >= 400) {
      return detail::http_status_error("WeChat", response.status, response.body, is_send);
    }
    return parsed;
  }
  if (auto code = body_code(*parsed)) {
    Error e = map_error(*code, detail::str_field(*parsed, "errmsg"), account);
    e.http_status = response.status;
    return e;
  }
  if (response.status >= 400) {
    return detail::http_status_error("WeChat", response.status, response.body, is_send);
  }
  return parsed;
}

http::RetryAdvice
classify_response(const http::Response& response)
{
  http::RetryAdvice advice;
  if (response.body.find("\"errcode\"") == std::string::npos) // no envelope: skip parsing the page
    return advice;
  if (auto code = error_code(response)) {
    advice.transient = *code == 45011 || *code == -1;
  }
  return advice;
}

} // namespace svc::channels::wechat
