// WeChat's errors come with HTTP 200 as {"errcode":N,"errmsg":"… rid: …"}; errcode may be a string.
// 0 is success. Clients key on errcode only (platform-apis.md §2.1). The token errors
// 40001/40014/42001 are retried once with a fresh token by the client before they become `auth`.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels::wechat {

// The error for a non-zero errcode (table in errors.cpp). `account` names the account in hints.
Error map_error(std::int64_t errcode, std::string_view errmsg, std::string_view account);

// 40001/40014/42001: the access token is stale; a fresh one may fix the call.
bool is_token_error(std::int64_t errcode);

// The reply's non-zero errcode, if the body is a JSON object that carries one.
std::optional<std::int64_t> error_code(const http::Response& response);

// The JSON of a success, else the mapped error (envelope, unreadable body, or HTTP error status).
// Unreadable replies to a send are outcome_unknown.
Result<nlohmann::json> check_response(const http::Response& response, bool is_send,
                                      std::string_view account);

// Transient: errcode 45011 (per-minute quota) and -1 (system busy). 45009 is the daily quota:
// another attempt now cannot succeed, so it is not transient (it still maps to `temporary`).
http::RetryAdvice classify_response(const http::Response& response);

} // namespace svc::channels::wechat
