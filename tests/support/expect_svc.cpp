#include "support/expect_svc.hpp"

#include <catch2/catch.hpp>

namespace svc::test {

namespace {

std::string
describe(const std::vector<std::string>& args, const Outcome& o)
{
  return "svc " + Catch::Detail::stringify(args) + "\nstdout: " + o.out + "\nstderr: " + o.err;
}

} // namespace

Outcome
ok(InProcess& svc, const std::vector<std::string>& args, const std::string& stdin_text)
{
  auto o = svc.run(args, stdin_text);
  INFO(describe(args, o));
  REQUIRE(o.code == 0);
  return o;
}

Outcome
fails(InProcess& svc, const std::vector<std::string>& args, int code, const std::string& message)
{
  auto o = svc.run(args);
  INFO(describe(args, o));
  CHECK(o.code == code);
  CHECK(o.out.empty());
  CHECK(o.err.rfind("svc: error: ", 0) == 0);
  CHECK(o.err.find("\nhint: ") != std::string::npos);
  CHECK(o.err.find(message) != std::string::npos);
  return o;
}

} // namespace svc::test
