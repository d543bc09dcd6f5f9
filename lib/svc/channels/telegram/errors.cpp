#include <svc/channels/telegram/errors.hpp>

#include <cctype>

#include <fmt/format.h>

#include <svc/channels/json_util.hpp>

namespace svc::channels::telegram {

namespace {

std::optional<double>
envelope_retry_after(const nlohmann::json& j, std::string_view description)
{
  if (auto params = j.find("parameters"); params != j.end()) {
    if (auto s = detail::int_field(*params, "retry_after")) {
      return static_cast<double>(*s);
    }
  }
  return retry_after_from_description(description);
}

} // namespace

std::optional<double>
retry_after_from_description(std::string_view description)
{
  static constexpr std::string_view k_marker = "retry after ";
  std::string lower(description);
  for (auto& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto pos = lower.find(k_marker);
  if (pos == std::string::npos) {
    return std::nullopt;
  }
  pos += k_marker.size();
  std::size_t end = pos;
  while (end < lower.size() && std::isdigit(static_cast<unsigned char>(lower[end]))) {
    ++end;
  }
  auto n = detail::parse_int(std::string_view(lower).substr(pos, end - pos));
  if (!n) {
    return std::nullopt;
  }
  return static_cast<double>(*n);
}

Error
map_error(int code, std::string_view description, std::optional<double> retry_after,
          std::string_view account)
{
  Error e;
  e.http_status = code;
  e.message = fmt::format("Telegram error {}: {}", code, description);
  if (code == 401) {
    e.kind = ErrorKind::auth;
    e.message = fmt::format("Telegram refused the bot token: {}", description);
    e.hint = fmt::format("svc account bind telegram {} --token-env VAR again (the token from "
                         "@BotFather)",
                         account.empty() ? "NAME" : account);
  } else if (code == 429) {
    e.kind = ErrorKind::temporary;
    e.retry_after_s = retry_after ? retry_after : retry_after_from_description(description);
    if (e.retry_after_s) {
      e.hint = fmt::format("Telegram asks to wait {:.0f} s", *e.retry_after_s);
    }
  } else if (code == 404) {
    e.kind = ErrorKind::not_found;
  } else if (code >= 500) {
    e.kind = ErrorKind::temporary;
  } else if (code == 409) {
    e.kind = ErrorKind::failed;
    e.hint = "only one svc may poll a bot, and not while a webhook is set (deleteWebhook)";
  } else {
    e.kind = ErrorKind::failed; // 400 bad request, 403 blocked/deactivated, ...
  }
  return e;
}

Result<nlohmann::json>
check_response(const http::Response& response, bool is_send, std::string_view account)
{
  auto parsed = detail::parse_body("Telegram", response.body, is_send, response.status);
  if (!parsed) {
    if (response.status >= 400) {
      return detail::http_status_error("Telegram", response.status, response.body, is_send);
    }
    return parsed;
  }
  auto& j = *parsed;
  auto ok = j.is_object() ? j.find("ok") : j.end();
  if (ok != j.end() && ok->is_boolean() && ok->get<bool>()) {
    // Moved out, not copied: a page of updates is most of the body.
    auto result = j.find("result");
    return result == j.end() ? nlohmann::json() : std::move(*result);
  }
  if (ok == j.end() || !ok->is_boolean()) {
    if (response.status >= 400) {
      return detail::http_status_error("Telegram", response.status, response.body, is_send);
    }
    Error e = make_error(ErrorKind::temporary, "Telegram sent an unreadable reply (no 'ok')");
    e.outcome_unknown = is_send;
    e.http_status = response.status;
    return e;
  }
  int code = static_cast<int>(detail::int_field(j, "error_code").value_or(response.status));
  std::string description = detail::str_field(j, "description");
  return map_error(code, description, envelope_retry_after(j, description), account);
}

http::RetryAdvice
classify_response(const http::Response& response)
{
  http::RetryAdvice advice;
  // Telegram's HTTP status is its error_code: only a 429 can be a rate limit, and only it is parsed.
  if (response.status != 429)
    return advice;
  auto j = nlohmann::json::parse(response.body, nullptr, false);
  int code = static_cast<int>(detail::int_field(j, "error_code").value_or(response.status));
  if (code == 429) {
    advice.transient = true;
    advice.retry_after_s = envelope_retry_after(j, detail::str_field(j, "description"));
  }
  return advice;
}

} // namespace svc::channels::telegram
