// `svc replay`: recorded callbacks (the --record JSONL of `svc listen`) sent again to a URL, signed
// anew with the target account's secrets so that they verify there: WeChat and Weibo get a fresh
// timestamp, nonce and signature in the query; Telegram gets the secret header.
#pragma once

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>

namespace svc::callbacks {

struct RecordedCallback {
  std::string account;
  std::string platform;
  std::string method;
  std::string path;
  std::string query;
  http::Headers headers;
  std::string body;
};

// One --record line; a usage error saying what is wrong with it.
Result<RecordedCallback> parse_record_line(std::string_view line);

// The request that replays `recorded` at `target`: a base URL (scheme://host:port) gets the recorded
// path appended; a URL with a path of its own is used as it is. `secret` is the target account's
// callback token (WeChat), app secret (Weibo) or webhook secret (Telegram); `now_ms` Unix time in ms.
Result<http::Request> resign(const RecordedCallback& recorded, const std::string& target, const std::string& secret,
                             std::int64_t now_ms, std::mt19937_64& rng);

} // namespace svc::callbacks
