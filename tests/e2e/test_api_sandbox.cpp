// `svc api`: raw authenticated calls against the sandbox, with auth added the platform's way.
#include <catch2/catch.hpp>

#include "support/sandbox_process.hpp"

namespace e2e_test_api_sandbox {

using namespace svc::test;

TEST_CASE("e2e::svc api", "[e2e][api]")
{
  SandboxProcess sandbox(SandboxOptions{7, 30, ""});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());

  SECTION("telegram getMe: the bot, token added to the path but never printed")
  {
    auto o = home.run({"api", "tg", "GET", "getMe", "-vv"});
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto json = nlohmann::json::parse(o.out);
    CHECK(json["ok"] == true);
    CHECK(json["result"]["is_bot"] == true);
    std::string token = sandbox.account("telegram")["token"];
    CHECK(o.out.find(token) == std::string::npos);
    CHECK(o.err.find(token) == std::string::npos);
  }

  SECTION("weibo users/show with a field")
  {
    std::string uid = std::to_string(sandbox.account("weibo")["uid"].get<std::int64_t>());
    auto o = home.run({"api", "wb", "GET", "/2/users/show.json", "-f", "uid=" + uid});
    INFO(describe(o));
    REQUIRE(o.code == 0);
    CHECK(nlohmann::json::parse(o.out)["idstr"] == uid);
  }

  SECTION("a platform error maps to its exit code")
  {
    auto o = home.run({"api", "wb", "GET", "/2/users/show.json", "-f", "uid=1"});
    INFO(describe(o));
    CHECK(o.code == 3); // 20003 user does not exist
    CHECK(o.err.rfind("svc: error:", 0) == 0);
  }

  SECTION("bad field syntax is a usage error")
  {
    auto o = home.run({"api", "tg", "GET", "getMe", "-f", "novalue"});
    CHECK(o.code == 2);
  }
}

}  // namespace e2e_test_api_sandbox
