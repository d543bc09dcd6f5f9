// Internal: response helpers shared by the route files, each platform's error envelope, and the
// wrapper that applies the fault dice to every platform endpoint.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <svc/sandbox/state.hpp>

namespace svc::sandbox {

enum class Platform { weibo, wechat, telegram };

// Writes `body` as UTF-8 JSON (invalid UTF-8 in injected text is replaced, never thrown).
void send_json(httplib::Response& res, const nlohmann::json& body, int status = 200);
std::string dump(const nlohmann::json& body);

// {"error":…,"error_code":N,"request":path} with a non-2xx HTTP status.
void weibo_error(httplib::Response& res, int http_status, int code, const std::string& error,
                 const std::string& request_path);
// {"errcode":N,"errmsg":"… rid: …"} with HTTP 200.
void wechat_error(httplib::Response& res, int errcode, const std::string& errmsg, std::uint64_t rid_seed);
// {"ok":false,"error_code":N,"description":…[,"parameters":{"retry_after":N}]}, HTTP status = N.
void telegram_error(httplib::Response& res, int code, const std::string& description,
                    std::optional<int> retry_after = std::nullopt);

struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  // A send handler sets this to the index of its /_sandbox/sent entry once the send is recorded;
  // only then can reset_after_send fire.
  std::optional<std::size_t> sent_index;
};

// A platform endpoint with faults applied: latency, then (before the handler runs, so the world is
// untouched) rate limit or server error; after it, for sends, a dropped connection; else truncation.
httplib::Server::Handler endpoint(State& state, Platform platform, std::function<void(Call&)> handler);

// Records a send in the sent log (caller holds the state mutex); returns its index.
std::size_t record_sent(State& state, nlohmann::json entry);

// Strict decimal int64, or nullopt.
std::optional<std::int64_t> parse_int64(const std::string& text);
// An integer field of a JSON object given as a JSON number or a decimal string (WeChat bodies and
// Telegram arguments take both), or nullopt.
std::optional<std::int64_t> json_int(const nlohmann::json& object, const char* key);
// UTF-8 code points (a malformed byte counts as one).
std::size_t utf8_length(const std::string& text);

} // namespace svc::sandbox
