#include <svc/http/retry.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include <svc/core/time.hpp>
#include <svc/http/redact.hpp>

namespace svc::http {

std::chrono::milliseconds
retry_delay(const RetryParams& p,
            int attempt,
            std::optional<double> retry_after_s,
            std::mt19937_64& rng)
{
  // Doubling stops long before 2^40: the cap is reached first for any sane base.
  const int exponent = std::clamp(attempt - 1, 0, 40);
  const double base_ms = static_cast<double>(std::max<std::int64_t>(p.base.count(), 0));
  const double cap_ms = static_cast<double>(std::max<std::int64_t>(p.cap.count(), 0));
  const auto backoff = static_cast<std::int64_t>(std::min(cap_ms, std::ldexp(base_ms, exponent)));
  const std::int64_t half = backoff / 2;

  std::int64_t floor_ms = 0;
  if (retry_after_s && std::isfinite(*retry_after_s) && *retry_after_s > 0) {
    // A year is far past any budget; the clamp only keeps the arithmetic finite.
    floor_ms = static_cast<std::int64_t>(std::ceil(std::min(*retry_after_s, 3.2e7) * 1000.0));
  }
  const std::int64_t low = std::max(half, floor_ms);
  const std::int64_t span = backoff - half;
  // Modulo rather than a std::uniform_int_distribution: the distributions differ between standard
  // libraries and the same seed must give the same schedule everywhere. The bias is negligible.
  const std::int64_t jitter =
    span > 0 ? static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span + 1)) : 0;
  return std::chrono::milliseconds(low + jitter);
}

bool
is_transient_status(int status)
{
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503
         || status == 504;
}

namespace {

std::string_view
trim(std::string_view s)
{
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<int>
parse_int(std::string_view s)
{
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

std::optional<unsigned>
parse_month(std::string_view s)
{
  static constexpr std::array<std::string_view, 12> k_months = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < k_months.size(); ++i) {
    if (s == k_months[i]) {
      return i + 1;
    }
  }
  return std::nullopt;
}

// The three HTTP-date forms of RFC 9110 §5.6.7, all GMT:
//   IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT",
//   asctime "Sun Nov  6 08:49:37 1994".
std::optional<UnixTime>
parse_http_date(std::string_view s)
{
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '-')) {
      ++i;
    }
    std::size_t begin = i;
    while (i < s.size() && s[i] != ' ' && s[i] != ',' && s[i] != '-') {
      ++i;
    }
    if (i > begin) {
      tokens.push_back(s.substr(begin, i - begin));
    }
  }
  std::optional<int> day;
  std::optional<unsigned> month;
  std::optional<int> year;
  std::string_view clock;
  if (tokens.size() == 5 && parse_month(tokens[1])) { // asctime
    month = parse_month(tokens[1]);
    day = parse_int(tokens[2]);
    clock = tokens[3];
    year = parse_int(tokens[4]);
  } else if (tokens.size() == 6 && tokens[5] == "GMT") {
    day = parse_int(tokens[1]);
    month = parse_month(tokens[2]);
    year = parse_int(tokens[3]);
    clock = tokens[4];
    if (year && tokens[3].size() == 2) { // RFC 850's two-digit year
      *year += *year < 70 ? 2000 : 1900;
    }
  } else {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  if (!day || !month || !year || clock.size() != 8 || clock[2] != ':' || clock[5] != ':') {
    return std::nullopt;
  }
  auto h = parse_int(clock.substr(0, 2));
  auto m = parse_int(clock.substr(3, 2));
  auto sec = parse_int(clock.substr(6, 2));
  if (!h || !m || !sec) {
    return std::nullopt;
  }
  hour = *h;
  minute = *m;
  second = *sec;
  if (*day < 1 || *day > 31 || hour > 23 || minute > 59 || second > 60 || *year < 1970) {
    return std::nullopt;
  }
  return unix_from_civil(*year, *month, static_cast<unsigned>(*day), hour, minute, second);
}

} // namespace

std::optional<double>
parse_retry_after(std::string_view value, UnixTime now)
{
  value = trim(value);
  if (value.empty()) {
    return std::nullopt;
  }
  if (value.front() >= '0' && value.front() <= '9') {
    double seconds = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec != std::errc() || ptr != value.data() + value.size() || !std::isfinite(seconds)) {
      return std::nullopt;
    }
    return seconds;
  }
  auto when = parse_http_date(value);
  if (!when) {
    return std::nullopt;
  }
  return static_cast<double>(std::max<UnixTime>(*when - now, 0));
}

namespace {

std::string
format_seconds(std::chrono::milliseconds d)
{
  const double s = static_cast<double>(d.count()) / 1000.0;
  return s < 10 ? fmt::format("{:.1f}", s) : fmt::format("{:.0f}", s);
}

// What one attempt came to, as far as retrying is concerned.
struct Verdict {
  enum class Action { done, retry, refuse_unknown } action = Action::done;
  std::string what; // for messages: what went wrong
  std::optional<int> http_status;
  std::optional<double> retry_after_s;
  bool outcome_unknown = false;
};

} // namespace

RetryingTransport::RetryingTransport(Transport& inner,
                                     RetryParams params,
                                     ResponseClassifier classifier,
                                     RetryHooks hooks)
  : m_inner(inner)
  , m_params(params)
  , m_classifier(std::move(classifier))
  , m_hooks(std::move(hooks))
{
  if (!m_hooks.sleep) {
    m_hooks.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  }
  if (!m_hooks.now) {
    m_hooks.now = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch());
    };
  }
  if (!m_hooks.wall_now) {
    m_hooks.wall_now = [] { return SystemClock().now(); };
  }
  m_rng.seed(m_hooks.seed ? *m_hooks.seed
                          : (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}());
}

Result<Response>
RetryingTransport::send(const Request& request)
{
  const std::chrono::milliseconds start = m_hooks.now();
  const std::string target =
    fmt::format("{} {}", method_name(request.method), redact_patterns(request.url));
  const int max_attempts = std::max(m_params.max_attempts, 1);

  for (int attempt = 1;; ++attempt) {
    Result<Response> result = m_inner.send(request);

    Verdict v;
    if (result) {
      const Response& response = *result;
      RetryAdvice advice = m_classifier ? m_classifier(response) : RetryAdvice{};
      if (!advice.transient && !is_transient_status(response.status)) {
        return result;
      }
      v.http_status = response.status;
      v.retry_after_s = advice.retry_after_s;
      if (!v.retry_after_s && (response.status == 429 || response.status == 503)) {
        v.retry_after_s =
          parse_retry_after(header_value(response.headers, "Retry-After"), m_hooks.wall_now());
      }
      // The platform refused it: nothing happened, so even a send may go again.
      const bool refused = response.status == 429 || advice.transient;
      if (response.status == 429) {
        v.what = fmt::format("{}: rate limited by the platform (HTTP 429)", target);
      } else if (advice.transient) {
        v.what = fmt::format(
          "{}: the platform answered busy or rate limited (HTTP {})", target, response.status);
      } else {
        v.what = fmt::format("{}: the platform answered HTTP {}", target, response.status);
      }
      v.action =
        refused || request.idempotent ? Verdict::Action::retry : Verdict::Action::refuse_unknown;
    } else {
      const Error& e = result.error();
      if (e.kind != ErrorKind::temporary || (e.outcome_unknown && !request.idempotent)) {
        return result; // not transient, or a send that may have arrived: never repeated
      }
      v.action = Verdict::Action::retry;
      v.what = e.message;
      v.http_status = e.http_status;
      v.retry_after_s = e.retry_after_s;
      v.outcome_unknown = e.outcome_unknown;
    }

    if (v.action == Verdict::Action::refuse_unknown) {
      Error e = make_error(
        ErrorKind::temporary, "{}; it may have been carried out, so it is not repeated", v.what);
      e.hint = "check whether it went through before sending it again";
      e.http_status = v.http_status;
      e.retry_after_s = v.retry_after_s;
      e.outcome_unknown = true;
      return e;
    }

    // Retry, budgets permitting.
    std::optional<std::chrono::milliseconds> delay;
    if (attempt < max_attempts) {
      delay = retry_delay(m_params, attempt, v.retry_after_s, m_rng);
      if (m_hooks.now() - start + *delay > m_params.max_total) {
        delay.reset();
      }
    }
    if (!delay) {
      const std::chrono::milliseconds elapsed = m_hooks.now() - start;
      Error e = make_error(ErrorKind::temporary,
                           "{}; gave up after {} attempt{} in {} s",
                           v.what,
                           attempt,
                           attempt == 1 ? "" : "s",
                           format_seconds(elapsed));
      e.hint = v.retry_after_s ? fmt::format("the platform asked to wait {:.0f} s; run again later",
                                             std::ceil(*v.retry_after_s))
                               : "run again later";
      e.http_status = v.http_status;
      e.retry_after_s = v.retry_after_s;
      e.outcome_unknown = v.outcome_unknown;
      return e;
    }
    if (m_hooks.on_retry) {
      m_hooks.on_retry(fmt::format("{}; retrying in {} s (attempt {} of {})",
                                   v.what,
                                   format_seconds(*delay),
                                   attempt + 1,
                                   max_attempts));
    }
    m_hooks.sleep(*delay);
  }
}

} // namespace svc::http
