// svc::Result, Error and the SVC_TRY / SVC_CHECK propagation macros (lib/svc/core/result.hpp).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <svc/core/result.hpp>

namespace core_test_result {

using namespace svc;

namespace {

Result<int>
parse_positive(int v)
{
  if (v <= 0)
    return make_error(ErrorKind::usage, "{} is not positive", v).with_hint("give a number above 0");
  return v;
}

int g_after_try = 0; // how often code after a SVC_TRY ran

Result<int>
doubled(int v)
{
  SVC_TRY(x, parse_positive(v));
  ++g_after_try;
  return x * 2;
}

Status
check_both(int a, int b)
{
  SVC_CHECK(parse_positive(a));
  SVC_CHECK(parse_positive(b));
  ++g_after_try;
  return {};
}

Result<std::unique_ptr<int>>
make_boxed(int v)
{
  if (v < 0)
    return make_error(ErrorKind::not_found, "negative");
  return std::make_unique<int>(v);
}

Result<int>
unbox(int v)
{
  SVC_TRY(box, make_boxed(v)); // a move-only value must pass through SVC_TRY
  SVC_TRY(again, make_boxed(*box + 1)); // two SVC_TRYs in one function
  return *again;
}

} // namespace

TEST_CASE("core::Result", "[core]")
{
  SECTION("a value")
  {
    Result<int> r = 7;
    CHECK(r.has_value());
    CHECK(static_cast<bool>(r));
    CHECK(*r == 7);
    CHECK(r.value() == 7);
  }
  SECTION("an error keeps kind, message and hint")
  {
    Result<int> r = parse_positive(-3);
    REQUIRE_FALSE(r.has_value());
    CHECK_FALSE(static_cast<bool>(r));
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message == "-3 is not positive");
    CHECK(r.error().hint == "give a number above 0");
  }
  SECTION("Status")
  {
    Status ok;
    CHECK(ok.has_value());
    Status bad = make_error(ErrorKind::state, "locked");
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().kind == ErrorKind::state);
  }
  SECTION("operator-> reaches the value")
  {
    Result<std::string> r = std::string("abc");
    CHECK(r->size() == 3);
  }
  SECTION("error kinds carry the exit codes of cli.md")
  {
    CHECK(static_cast<int>(ErrorKind::failed) == 1);
    CHECK(static_cast<int>(ErrorKind::usage) == 2);
    CHECK(static_cast<int>(ErrorKind::not_found) == 3);
    CHECK(static_cast<int>(ErrorKind::auth) == 4);
    CHECK(static_cast<int>(ErrorKind::temporary) == 5);
    CHECK(static_cast<int>(ErrorKind::conflict) == 6);
    CHECK(static_cast<int>(ErrorKind::state) == 7);
    CHECK(static_cast<int>(ErrorKind::partial) == 8);
  }
}

TEST_CASE("core::Error::prefixed", "[core]")
{
  Error e = make_error(ErrorKind::auth, "token refused").with_hint("re-bind");
  e.http_status = 401;
  Error p = e.prefixed("shop");
  CHECK(p.message == "shop: token refused");
  CHECK(p.kind == ErrorKind::auth);
  CHECK(p.hint == "re-bind");
  CHECK(p.http_status == 401);
  CHECK(e.message == "token refused"); // the original is unchanged
}

TEST_CASE("core::SVC_TRY", "[core]")
{
  SECTION("binds the value and continues")
  {
    g_after_try = 0;
    auto r = doubled(21);
    REQUIRE(r.has_value());
    CHECK(*r == 42);
    CHECK(g_after_try == 1);
  }
  SECTION("returns the error unchanged and stops")
  {
    g_after_try = 0;
    auto r = doubled(0);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(r.error().message == "0 is not positive");
    CHECK(r.error().hint == "give a number above 0");
    CHECK(g_after_try == 0);
  }
  SECTION("works with move-only values and several uses in one function")
  {
    auto ok = unbox(4);
    REQUIRE(ok.has_value());
    CHECK(*ok == 5);
    auto bad = unbox(-1);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().kind == ErrorKind::not_found);
  }
}

TEST_CASE("core::SVC_CHECK", "[core]")
{
  g_after_try = 0;
  CHECK(check_both(1, 2).has_value());
  CHECK(g_after_try == 1);
  auto first = check_both(-1, 2);
  REQUIRE_FALSE(first.has_value());
  CHECK(first.error().message == "-1 is not positive");
  auto second = check_both(1, -2);
  REQUIRE_FALSE(second.has_value());
  CHECK(second.error().message == "-2 is not positive");
  CHECK(g_after_try == 1);
}

}  // namespace core_test_result
