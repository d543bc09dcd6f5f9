// libcurl is loaded on the first request (dlopen), not linked: a library that cannot be loaded is a
// clear error, and the real one loads.
#include <catch2/catch.hpp>

#include <svc/http/curl_transport.hpp>

namespace http_test_curl_loading {

using namespace svc::http;

TEST_CASE("http::load_libcurl", "[http]")
{
  SECTION("a library that is not there: failed, naming it, with a hint")
  {
    auto missing = load_libcurl("libsvc-test-no-such-curl.so.4");
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == svc::ErrorKind::failed);
    CHECK_THAT(missing.error().message, Catch::StartsWith("cannot load libcurl (libsvc-test-no-such-curl.so.4): "));
    CHECK(missing.error().message.find('\n') == std::string::npos);
    CHECK_THAT(missing.error().hint, Catch::Contains("libcurl4"));
    // Asked again: the same answer, not a crash on a half-loaded table.
    CHECK_FALSE(load_libcurl("libsvc-test-no-such-curl.so.4"));
  }

  SECTION("a library without curl's functions: failed")
  {
    auto wrong = load_libcurl("libm.so.6");
    REQUIRE_FALSE(wrong);
    CHECK_THAT(wrong.error().message, Catch::StartsWith("cannot load libcurl (libm.so.6): "));
  }

  SECTION("the real one")
  {
    CHECK(load_libcurl());
  }
}

} // namespace http_test_curl_loading
