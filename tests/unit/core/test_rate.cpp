#include <catch2/catch.hpp>

#include <svc/core/time.hpp>

namespace core_test_rate {

using namespace svc;

TEST_CASE("core::parse_rate", "[core][time]")
{
  auto [text, per_second] = GENERATE(table<const char*, double>({
    {"10/s", 10.0}, {"600/m", 10.0}, {"600/min", 10.0}, {"36/h", 0.01}, {"2.5", 2.5}, {"0", 0.0}, {"0/s", 0.0},
  }));
  auto r = parse_rate(text);
  INFO(text);
  REQUIRE(r.has_value());
  CHECK(*r == Approx(per_second));
}

TEST_CASE("core::parse_rate errors", "[core][time]")
{
  auto text = GENERATE("", "/s", "ten/s", "10/d", "-1/s", "10/", "10 /s");
  auto r = parse_rate(text);
  INFO(text);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().kind == ErrorKind::usage);
  CHECK_FALSE(r.error().hint.empty());
}

}  // namespace core_test_rate
