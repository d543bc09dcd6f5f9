// `svc guard add|list|remove`, run in-process (cli::run) against a temporary state file. The refusal of
// replies and sends is end to end (tests/e2e/test_bot.cpp).
#include <catch2/catch.hpp>

#include "support/run_svc.hpp"
#include "support/temp_dir.hpp"

namespace commands_test_guard {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

TEST_CASE("svc guard", "[commands][guard]")
{
  TempDir dir;
  InProcess svc{(dir / "state.db").string()};
  auto run = [&](const std::vector<std::string>& args, int code) {
    auto o = svc.run(args);
    INFO("svc " << Catch::Detail::stringify(args) << "\nstdout: " << o.out << "\nstderr: " << o.err);
    REQUIRE(o.code == code);
    return o;
  };

  auto added = run({"guard", "add", "Cheap", "最便宜", "re:fr[e3]{2}"}, 0);
  CHECK(added.err.find("Added 3 terms") != std::string::npos);
  CHECK(run({"guard", "add", "cheap"}, 0).err.find("(1 already listed)") != std::string::npos);

  auto list = json::parse(run({"--format", "json", "guard", "list"}, 0).out);
  REQUIRE(list.size() == 3);
  CHECK(list[0] == json({{"term", "cheap"}, {"kind", "word"}, {"created_at", "2026-11-18T11:06:40Z"}}));
  CHECK(list[1].at("term") == "re:fr[e3]{2}");
  CHECK(list[1].at("kind") == "pattern");

  auto bad = run({"guard", "add", "ok", "re:(x"}, 2);
  CHECK(bad.err.rfind("svc: error: bad pattern '(x'", 0) == 0);
  auto missing = run({"guard", "remove", "CHEAP", "nope"}, 3);
  CHECK(missing.err.find("'nope' is not on the guard list") != std::string::npos);
  CHECK(json::parse(run({"--format", "json", "guard", "list"}, 0).out).size() == 3); // nothing changed

  run({"guard", "remove", "CHEAP", "re:fr[e3]{2}"}, 0);
  list = json::parse(run({"--format", "json", "guard", "list"}, 0).out);
  REQUIRE(list.size() == 1);
  CHECK(list[0].at("term") == "最便宜");
}

}  // namespace commands_test_guard
