#include <catch2/catch.hpp>

#include <regex>

#include <svc/core/regex_pattern.hpp>

namespace core_test_regex_pattern {

using namespace svc;

TEST_CASE("core::regex_pattern_problem passes real patterns, and std::regex compiles them", "[core][regex]")
{
  for (const char* pattern : {"https?://", "fr[e3]{2}", "a{2,5}", "a{0,}", "x{1000}", "\\d{11}", "13800138000",
                              "(a)(b)\\2\\1", "\\{12345\\}", "\\\\12345", "[0-9]{4}-[0-9]{2}", "\\x41\\u0042", "退款{1,3}"}) {
    INFO(pattern);
    CHECK_FALSE(regex_pattern_problem(pattern).has_value());
    CHECK_NOTHROW(std::regex(pattern, std::regex::ECMAScript));
  }
}

TEST_CASE("core::regex_pattern_problem refuses the counts libstdc++ would overflow on or expand", "[core][regex]")
{
  // The pattern fuzz_rules found: a back-reference of 19 digits overflows libstdc++'s long.
  CHECK(regex_pattern_problem("https?://|ro|z]+\\2222222222222222222z|top)")
        == "back-reference \\2222222222222222222 is too large");
  CHECK(regex_pattern_problem("(a)\\1234") == "back-reference \\1234 is too large");
  CHECK(regex_pattern_problem("a{1001}") == "repetition count 1001 is above 1000");
  CHECK(regex_pattern_problem("a{2,99999}") == "repetition count 99999 is above 1000");
  CHECK(regex_pattern_problem("a{99999999999999999999,}") == "repetition count 99999999999999999999 is above 1000");
  CHECK(regex_pattern_problem("[{]{5000}") == "repetition count 5000 is above 1000");
}

} // namespace core_test_regex_pattern
