// `svc guard add|list|remove`, run in-process (cli::run) against a temporary state file. The refusal of
// replies and sends is end to end (tests/e2e/test_bot.cpp).
#include <catch2/catch.hpp>

#include "support/expect_svc.hpp"

namespace commands_test_guard {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

TEST_CASE("svc guard", "[commands][guard]")
{
  SvcEnv env;
  auto& svc = env.svc;

  auto added = ok(svc, {"guard", "add", "Cheap", "最便宜", "re:fr[e3]{2}"});
  CHECK(added.err.find("Added 3 terms") != std::string::npos);
  CHECK(ok(svc, {"guard", "add", "cheap"}).err.find("(1 already listed)") != std::string::npos);

  auto list = json::parse(ok(svc, {"--format", "json", "guard", "list"}).out);
  REQUIRE(list.size() == 3);
  CHECK(list[0] == json({{"term", "cheap"}, {"kind", "word"}, {"created_at", "2026-11-18T11:06:40Z"}}));
  CHECK(list[1].at("term") == "re:fr[e3]{2}");
  CHECK(list[1].at("kind") == "pattern");

  fails(svc, {"guard", "add", "ok", "re:(x"}, 2, "svc: error: bad pattern '(x'");
  fails(svc, {"guard", "add", "re:a{2,99999}"}, 2, "svc: error: bad pattern 'a{2,99999}': repetition count 99999 is above 1000");
  fails(svc, {"guard", "remove", "CHEAP", "nope"}, 3, "'nope' is not on the guard list");
  CHECK(json::parse(ok(svc, {"--format", "json", "guard", "list"}).out).size() == 3); // nothing changed

  ok(svc, {"guard", "remove", "CHEAP", "re:fr[e3]{2}"});
  list = json::parse(ok(svc, {"--format", "json", "guard", "list"}).out);
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("term") == "最便宜");
}

}  // namespace commands_test_guard
