// Telegram's error envelope {"ok":false,"error_code","description","parameters":{"retry_after"}}
// (HTTP status = error_code) -> svc::Error, and retry advice (429 with retry_after).
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels::telegram {

// 401 -> auth; 429 -> temporary with retry_after_s (parameters.retry_after, else "retry after N"
// in the description); 403 (bot blocked, user deactivated) and 400 -> failed with the description;
// 404 -> not_found; 5xx -> temporary; 409 (webhook set / other poller) -> failed with a hint.
Error map_error(int code, std::string_view description, std::optional<double> retry_after,
                std::string_view account);

// "Too Many Requests: retry after 14" -> 14 (older 429s had no parameters).
std::optional<double> retry_after_from_description(std::string_view description);

// The `result` of a success; the mapped error otherwise (unreadable replies to a send are
// outcome_unknown).
Result<nlohmann::json> check_response(const http::Response& response, bool is_send,
                                      std::string_view account);

// Transient: 429 (with its retry_after as the floor).
http::RetryAdvice classify_response(const http::Response& response);

} // namespace svc::channels::telegram
