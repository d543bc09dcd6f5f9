// retry_delay's schedule from a table (Nix's filetransfer-retry shape), Retry-After parsing, and the
// rate budget's token bucket.
#include <catch2/catch.hpp>

#include <optional>
#include <set>

#include <svc/core/time.hpp>
#include <svc/http/rate_budget.hpp>
#include <svc/http/retry.hpp>

namespace http_test_retry_delay {

using namespace svc::http;
using std::chrono::milliseconds;

TEST_CASE("http::retry_delay", "[http]")
{
  const RetryParams p; // base 500 ms, cap 30 s

  SECTION("bounds from the table, for many seeds")
  {
    // attempt, Retry-After, lowest and highest allowed wait (ms)
    auto [attempt, retry_after, low, high] =
      GENERATE(table<int, std::optional<double>, long, long>({
        {1, std::nullopt, 250, 500},  // base, jittered down to half
        {2, std::nullopt, 500, 1000}, // doubles
        {3, std::nullopt, 1000, 2000},
        {4, std::nullopt, 2000, 4000},
        {6, std::nullopt, 8000, 16000},
        {7, std::nullopt, 15000, 30000},  // 32 s capped at 30 s
        {40, std::nullopt, 15000, 30000}, // no overflow far past the cap
        {0, std::nullopt, 250, 500},      // nonsense attempt counts as the first
        {1, 7.0, 7000, 7250},             // Retry-After is a floor; jitter only above it
        {3, 0.5, 1000, 2000},             // a floor below the backoff changes nothing
        {3, 1.5, 1500, 2500},             // a floor inside the range lifts the bottom
        {7, 120.0, 120000, 135000},       // the platform may ask for more than the cap
        {1, 0.0, 250, 500},
        {1, -3.0, 250, 500}, // a negative Retry-After is ignored
        {2, 0.0011, 500, 1000},
      }));
    CAPTURE(attempt, retry_after);
    std::set<long> seen;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
      std::mt19937_64 rng(seed);
      const long d = static_cast<long>(retry_delay(p, attempt, retry_after, rng).count());
      CHECK(d >= low);
      CHECK(d <= high);
      seen.insert(d);
    }
    CHECK(seen.size() > 10); // the jitter spreads the waits
  }

  SECTION("the same seed gives the same schedule")
  {
    for (std::uint64_t seed : {1u, 42u, 9999u}) {
      std::mt19937_64 a(seed);
      std::mt19937_64 b(seed);
      for (int attempt = 1; attempt <= 8; ++attempt) {
        CHECK(retry_delay(p, attempt, std::nullopt, a) == retry_delay(p, attempt, std::nullopt, b));
      }
    }
  }

  SECTION("other parameters")
  {
    RetryParams q;
    q.base = milliseconds(1000);
    q.cap = milliseconds(4000);
    std::mt19937_64 rng(7);
    CHECK(retry_delay(q, 1, std::nullopt, rng) >= milliseconds(500));
    CHECK(retry_delay(q, 5, std::nullopt, rng) <= milliseconds(4000));
    CHECK(retry_delay(q, 5, std::nullopt, rng) >= milliseconds(2000));
    q.base = milliseconds(0);
    CHECK(retry_delay(q, 3, std::nullopt, rng) == milliseconds(0));
    CHECK(retry_delay(q, 3, 2.0, rng) == milliseconds(2000));
  }
}

TEST_CASE("http::parse_retry_after", "[http]")
{
  const svc::UnixTime now = svc::unix_from_civil(2015, 10, 21, 7, 27, 50);
  auto [text, expected] = GENERATE(table<std::string, std::optional<double>>({
    {"7", 7.0},
    {" 120 ", 120.0},
    {"1.5", 1.5},
    {"0", 0.0},
    {"Wed, 21 Oct 2015 07:28:00 GMT", 10.0},     // IMF-fixdate
    {"Wednesday, 21-Oct-15 07:28:00 GMT", 10.0}, // RFC 850
    {"Wed Oct 21 07:28:00 2015", 10.0},          // asctime
    {"Wed, 21 Oct 2015 07:00:00 GMT", 0.0},      // in the past: go now
    {"", std::nullopt},
    {"soon", std::nullopt},
    {"-5", std::nullopt},
    {"7s", std::nullopt},
    {"Wed, 21 Foo 2015 07:28:00 GMT", std::nullopt},
    {"Wed, 21 Oct 2015 25:28:00 GMT", std::nullopt},
  }));
  CAPTURE(text);
  CHECK(parse_retry_after(text, now) == expected);
}

TEST_CASE("http::is_transient_status", "[http]")
{
  for (int s : {408, 429, 500, 502, 503, 504}) {
    CHECK(is_transient_status(s));
  }
  for (int s : {200, 201, 301, 400, 401, 403, 404, 409, 501, 505}) {
    CHECK_FALSE(is_transient_status(s));
  }
}

TEST_CASE("http::bucket_take", "[http]")
{
  SECTION("table: one call on a bucket in a given state")
  {
    // tokens, updated_at, now, rate, burst -> wait, tokens after
    auto [tokens, updated, now, rate, burst, wait, after] =
      GENERATE(table<double, double, double, double, double, double, double>({
        {5, 100, 100, 1, 5, 0, 4},    // a token is there
        {0, 100, 100, 2, 5, 0.5, -1}, // empty: one token at 2/s is half a second away
        {0, 100, 101, 2, 5, 0, 1},    // a second refilled two
        {0, 100, 200, 2, 5, 0, 4},    // refill stops at the burst
        {0.25, 100, 100, 1, 5, 0.75, -0.75},
        {-2, 100, 100, 1, 5, 3, -3},      // in debt: queue behind the promised slots
        {1, 100, 50, 1, 5, 0, 0},         // the clock went back: no refill, no error
        {0, 100, 100, 0, 5, 0, 0},        // no rate: no budget
        {0, 0, 1700000000, 1, 3, 0, 2},   // a fresh bucket is full
        {0, 100, 100.5, 1, 0, 0.5, -0.5}, // a burst below one counts as one
      }));
    svc::http::Bucket b{tokens, updated};
    CAPTURE(tokens, updated, now, rate, burst);
    CHECK(bucket_take(b, now, rate, burst) == Approx(wait));
    CHECK(b.tokens == Approx(after));
  }

  SECTION("a burst, then the rate")
  {
    Bucket b;
    const double t0 = 1'700'000'000;
    for (int i = 0; i < 3; ++i) {
      CHECK(bucket_take(b, t0, 0.5, 3) == 0);
    }
    CHECK(bucket_take(b, t0, 0.5, 3) == Approx(2.0));                  // the fourth waits 1/rate
    CHECK(bucket_take(b, t0, 0.5, 3) == Approx(4.0));                  // the fifth behind it
    CHECK(bucket_take(b, t0 + 6, 0.5, 3) == Approx(0.0).margin(1e-9)); // six seconds paid the debt
    CHECK(b.updated_at == t0 + 6);
  }
}

}  // namespace http_test_retry_delay
