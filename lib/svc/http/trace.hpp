// -v / -vv: what svc says to the platforms, written through a callback (the library never prints; the
// CLI passes a function writing to stderr). Everything shown is redacted (redact.hpp) with the
// account's secrets and the patterns, whatever the verbosity.
//
//   verbosity 0: nothing.
//   verbosity 1: one line per request, after it finished:
//       GET https://api.weibo.com/2/comments/to_me.json?access_token=*** -> 200 (123 ms)
//       POST https://api.telegram.org/bot***/sendMessage -> error: <the error's message> (30001 ms)
//   verbosity 2: that line, then "> " + the request body (if any) and "< " + the response body (if
//       any), each redacted and cut to k_trace_body_limit bytes with a note of how much was left out.
//
// Order in production: Retrying(Trace(Curl)), so that -v shows every attempt, including the ones that
// were retried (the retry policy's own "retrying in …" notes can go to the same callback through
// RetryHooks::on_retry). make_http_stack (stack.hpp) builds it in that order.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/http/transport.hpp>

namespace svc::http {

using LogLine = std::function<void(std::string_view line)>;

inline constexpr std::size_t k_trace_body_limit = 64 * 1024;

// `text` cut to `limit` bytes (at a UTF-8 character boundary) plus " … (N more bytes)" when longer.
std::string truncate_for_trace(std::string_view text, std::size_t limit);

// Decorates `inner` (not owned; it must outlive this object).
class TraceTransport final : public Transport
{
public:
  // `now` measures the elapsed milliseconds shown (monotonic; default steady_clock).
  TraceTransport(Transport& inner,
                 int verbosity,
                 LogLine log,
                 std::vector<std::string> secrets,
                 std::function<std::chrono::milliseconds()> now = {});
  Result<Response> send(const Request& request) override;

private:
  Transport& m_inner;
  int m_verbosity;
  LogLine m_log;
  std::vector<std::string> m_secrets;
  std::function<std::chrono::milliseconds()> m_now;
};

} // namespace svc::http
