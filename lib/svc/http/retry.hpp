// The retry policy: which outcomes are worth another attempt, how long to wait before it, and when to
// stop. `retry_delay` is a pure function (Nix's computeRetryDelayMs shape) so the schedule is tested
// from a table; `RetryingTransport` applies it around another Transport with the sleeper, the clocks
// and the random numbers injected, so tests never sleep.
//
// Policy (curl's retry.md, narrowed for sends):
// - transient: transport errors of kind temporary (DNS, connect, timeout, reset), HTTP 408, 429, 500,
//   502, 503, 504, and whatever the platform's ResponseClassifier calls transient.
// - a non-idempotent request (a send) is retried only when it provably never reached the platform
//   (a transport error with outcome_unknown == false: DNS or connect failure) or when the platform
//   refused it (HTTP 429, or the classifier says transient: a classifier must only say so for replies
//   that mean "not carried out", such as WeChat's errcode 45011). A timeout or reset after the body
//   went out is returned at once with outcome_unknown = true; a 408/5xx reply to a send is returned as
//   an Error temporary with outcome_unknown = true (a gateway may have passed it on).
// - budgets: at most `max_attempts` attempts and `max_total` of elapsed time (including the waits). A
//   wait that would end past the time budget is not started.
// - when the budget is spent on a transient outcome the result is always an Error of kind temporary
//   (exit 5), even when the last outcome was an HTTP response (still 503, a platform rate limit), so
//   callers see one consistent failure; its message says what happened and how long was tried, its
//   http_status and retry_after_s carry the last response's, its hint is "run again later".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include <svc/core/clock.hpp>
#include <svc/http/transport.hpp>

namespace svc::http {

struct RetryParams {
  std::chrono::milliseconds base{500};        // the backoff before the second attempt
  std::chrono::milliseconds cap{30000};       // the backoff stops doubling here
  int max_attempts = 5;                       // attempts in all, the first included
  std::chrono::milliseconds max_total{60000}; // from the first attempt to giving up, waits included
};

// The wait before attempt `attempt + 1`, after attempt `attempt` (1-based) failed. With B =
// min(cap, base * 2^(attempt-1)) the wait is uniform in [max(B/2, floor), max(B/2, floor) + B/2],
// where floor = retry_after_s (the platform's Retry-After): never less than the platform asked, never
// more than `cap` unless the platform asked for more; the jitter only adds above the floor. The same
// seed gives the same waits.
std::chrono::milliseconds retry_delay(const RetryParams& p,
                                      int attempt,
                                      std::optional<double> retry_after_s,
                                      std::mt19937_64& rng);

// A Retry-After header value: delta-seconds ("120", "1.5") or an HTTP-date ("Wed, 21 Oct 2015
// 07:28:00 GMT", also the obsolete RFC 850 and asctime forms) made relative to `now`; a date in the
// past gives 0. nullopt when the value is neither.
std::optional<double> parse_retry_after(std::string_view value, UnixTime now);

// HTTP statuses retried by default.
bool is_transient_status(int status);

// What RetryingTransport needs from the outside world; every member has a production default when
// left empty.
struct RetryHooks {
  std::function<void(std::chrono::milliseconds)> sleep; // default: std::this_thread::sleep_for
  std::function<std::chrono::milliseconds()> now;       // monotonic; default: steady_clock
  std::function<UnixTime()> wall_now; // for Retry-After dates; default: system time
  std::optional<std::uint64_t> seed;  // default: std::random_device
  // Told before each wait, e.g. "GET https://…: HTTP 503; retrying in 1.2 s (attempt 2 of 5)"
  // (URL redacted); the CLI passes its -v logger, or nothing.
  std::function<void(std::string_view line)> on_retry;
};

// Decorates `inner` (not owned; it must outlive this object). Not thread-safe, like CurlTransport.
class RetryingTransport final : public Transport
{
public:
  RetryingTransport(Transport& inner,
                    RetryParams params = {},
                    ResponseClassifier classifier = {},
                    RetryHooks hooks = {});
  Result<Response> send(const Request& request) override;

private:
  Transport& m_inner;
  RetryParams m_params;
  ResponseClassifier m_classifier;
  RetryHooks m_hooks;
  std::mt19937_64 m_rng;
};

} // namespace svc::http
