// Weibo's error envelope {"error","error_code" (number or string),"request"} -> svc::Error, and the
// retry advice the retrying transport asks for. Clients key on error_code, never on the HTTP status
// alone (platform-apis.md §1.2): the status per code is undocumented.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels::weibo {

// The error for an envelope with error_code `code` (see the table in errors.cpp). `account` names
// the account in the re-bind hint.
Error map_error(std::int64_t code, std::string_view text, std::optional<int> http_status,
                std::string_view account);

// The reply's JSON when it is a success; the mapped error when it carries an envelope, is not JSON,
// or has an error HTTP status without an envelope. `is_send` marks unreadable replies to a send as
// outcome_unknown.
Result<nlohmann::json> check_response(const http::Response& response, bool is_send,
                                      std::string_view account);

// Transient: error_code 10001/10002/10009 (busy) and 10022/10023/10024 (rate limited). The rest of
// the retry policy (HTTP 5xx, timeouts) is the retrying transport's.
http::RetryAdvice classify_response(const http::Response& response);

} // namespace svc::channels::weibo
