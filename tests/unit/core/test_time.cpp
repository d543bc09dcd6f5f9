// parse_duration, parse_time, format_iso and unix_from_civil (lib/svc/core/time.hpp). Expected epoch
// values were checked with `date -u -d @SECONDS` and `date -u -d ISO +%s`.
#include <catch2/catch.hpp>

#include <string>

#include <svc/core/time.hpp>

namespace core_test_time {

using namespace svc;

namespace {

constexpr UnixTime k_now = 1795339800; // 2026-11-22T09:30:00Z

std::int64_t
seconds_of(const char* text)
{
  auto d = parse_duration(text);
  REQUIRE(d.has_value());
  return d->count();
}

} // namespace

TEST_CASE("core::parse_duration", "[core]")
{
  SECTION("single units")
  {
    CHECK(seconds_of("30s") == 30);
    CHECK(seconds_of("15m") == 15 * 60);
    CHECK(seconds_of("2h") == 2 * 3600);
    CHECK(seconds_of("7d") == 7 * 86400);
    CHECK(seconds_of("1w") == 7 * 86400);
  }
  SECTION("combined groups add up")
  {
    CHECK(seconds_of("1h30m") == 5400);
    CHECK(seconds_of("1d2h3m4s") == 86400 + 7200 + 180 + 4);
  }
  SECTION("zero")
  {
    CHECK(seconds_of("0") == 0);
    CHECK(seconds_of("0s") == 0);
  }
  SECTION("malformed text is a usage error with a hint showing the syntax")
  {
    for (const char* bad : {"", "5", "m", "-5m", "5x", "1h30", "h1", " 5m", "5m ", "+5m", "1.5h", "5M"}) {
      INFO("text: '" << bad << "'");
      auto d = parse_duration(bad);
      REQUIRE_FALSE(d.has_value());
      CHECK(d.error().kind == ErrorKind::usage);
      CHECK(d.error().message.find("duration") != std::string::npos);
      CHECK(d.error().hint.find("30s") != std::string::npos);
    }
  }
  SECTION("the error message quotes the text given")
  {
    auto d = parse_duration("5x");
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().message.find("'5x'") != std::string::npos);
  }
  SECTION("overflow is a usage error, never a wrapped value")
  {
    for (const char* huge : {"99999999999999999999s", "9223372036854775807d", "36501d", "36500d1s",
                             "5300w", "10000000000000000h"}) {
      INFO("text: " << huge);
      auto d = parse_duration(huge);
      REQUIRE_FALSE(d.has_value());
      CHECK(d.error().kind == ErrorKind::usage);
      CHECK_FALSE(d.error().hint.empty());
    }
  }
  SECTION("a century is the longest accepted duration")
  {
    CHECK(seconds_of("36500d") == std::int64_t{36500} * 86400);
  }
}

TEST_CASE("core::unix_from_civil", "[core]")
{
  CHECK(unix_from_civil(1970, 1, 1, 0, 0, 0) == 0);
  CHECK(unix_from_civil(2026, 11, 22, 9, 30, 0) == 1795339800);
  CHECK(unix_from_civil(2000, 2, 29, 0, 0, 0) == 951782400);
  CHECK(unix_from_civil(2024, 2, 29, 23, 59, 59) == 1709251199);
  CHECK(unix_from_civil(2038, 1, 19, 3, 14, 8) == 2147483648LL);
  CHECK(unix_from_civil(1969, 12, 31, 0, 0, 0) == -86400);
  SECTION("consecutive days are 86400 seconds apart across month and year ends")
  {
    CHECK(unix_from_civil(2026, 3, 1, 0, 0, 0) - unix_from_civil(2026, 2, 28, 0, 0, 0) == 86400);
    CHECK(unix_from_civil(2027, 1, 1, 0, 0, 0) - unix_from_civil(2026, 12, 31, 0, 0, 0) == 86400);
    CHECK(unix_from_civil(2024, 3, 1, 0, 0, 0) - unix_from_civil(2024, 2, 28, 0, 0, 0) == 2 * 86400);
  }
}

TEST_CASE("core::parse_time", "[core]")
{
  auto time_of = [](const char* text) {
    auto t = parse_time(text, k_now);
    INFO("text: " << text);
    REQUIRE(t.has_value());
    return *t;
  };
  SECTION("ISO 8601 in UTC")
  {
    CHECK(time_of("2026-11-22T09:30:00Z") == 1795339800);
    CHECK(time_of("2026-11-22t09:30:00z") == 1795339800);
  }
  SECTION("an offset is subtracted to reach UTC")
  {
    CHECK(time_of("2026-11-22T09:30:00+08:00") == 1795311000);
    CHECK(time_of("2026-11-22T09:30:00-05:00") == 1795339800 + 5 * 3600);
    CHECK(time_of("2026-11-22T09:30:00+0530") == 1795339800 - 5 * 3600 - 30 * 60);
  }
  SECTION("a date alone is midnight UTC")
  {
    CHECK(time_of("2026-11-22") == 1795305600);
  }
  SECTION("a space may separate date and time; seconds are optional")
  {
    CHECK(time_of("2026-11-22 09:30:00Z") == 1795339800);
    CHECK(time_of("2026-11-22 09:30:00") == 1795339800);
    CHECK(time_of("2026-11-22T09:30Z") == 1795339800);
  }
  SECTION("fractional seconds are accepted and dropped")
  {
    CHECK(time_of("2026-11-22T09:30:00.123Z") == 1795339800);
    CHECK(time_of("2026-11-22T09:30:00.999999+08:00") == 1795311000);
  }
  SECTION("leap days")
  {
    CHECK(time_of("2024-02-29") == unix_from_civil(2024, 2, 29, 0, 0, 0));
    CHECK(time_of("2000-02-29T00:00:00Z") == 951782400);
  }
  SECTION("now and relative times count back from the given now")
  {
    CHECK(time_of("now") == k_now);
    CHECK(time_of("24h") == k_now - 86400);
    CHECK(time_of("7d") == k_now - 7 * 86400);
    CHECK(time_of("1h30m") == k_now - 5400);
    CHECK(parse_time("24h", 1000000).value() == 1000000 - 86400);
  }
  SECTION("invalid dates, times and garbage are usage errors with a hint")
  {
    for (const char* bad :
         {"2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-11-00",
          "2026-11-22T24:00:00Z", "2026-11-22T09:60:00Z", "2026-11-22T09:30:00.Z", "2026-11-22T09:30:00+25:00",
          "2026-11-22T09:30:00Zjunk", "2026-11-22X09:30", "26-11-22", "2026/11/22", "yesterday", "garbage", "",
          "-24h", "24", "2026-11-22T", "2026-11-22T9:30"}) {
      INFO("text: '" << bad << "'");
      auto t = parse_time(bad, k_now);
      REQUIRE_FALSE(t.has_value());
      CHECK(t.error().kind == ErrorKind::usage);
      CHECK(t.error().hint.find("ISO 8601") != std::string::npos);
    }
  }
}

TEST_CASE("core::format_iso", "[core]")
{
  CHECK(format_iso(0) == "1970-01-01T00:00:00Z");
  CHECK(format_iso(1795339800) == "2026-11-22T09:30:00Z");
  CHECK(format_iso(951782400) == "2000-02-29T00:00:00Z");
  CHECK(format_iso(-86400) == "1969-12-31T00:00:00Z");
  SECTION("round trip through parse_time")
  {
    for (UnixTime t : {UnixTime{0}, UnixTime{1}, UnixTime{951782399}, UnixTime{1709251199},
                       UnixTime{1795339800}, UnixTime{2147483648LL}, UnixTime{4102444799LL}}) {
      INFO("t = " << t);
      auto text = format_iso(t);
      auto back = parse_time(text, 0);
      REQUIRE(back.has_value());
      CHECK(*back == t);
      CHECK(format_iso(*back) == text);
    }
  }
}

TEST_CASE("core::format_elapsed", "[core]")
{
  CHECK(format_elapsed(-5) == "0s");
  CHECK(format_elapsed(59) == "59s");
  CHECK(format_elapsed(180) == "3m");
  CHECK(format_elapsed(2 * 3600 + 5 * 60 + 7) == "2h 05m");
  CHECK(format_elapsed(4 * 86400 + 3 * 3600 + 59) == "4d 03h");
}

}  // namespace core_test_time
