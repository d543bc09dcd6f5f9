// `svc template add|list|show|remove` and the usage errors of `svc send`, run in-process (cli::run)
// against a temporary state file.
#include <catch2/catch.hpp>

#include "support/expect_svc.hpp"

namespace commands_test_template {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

using Env = SvcEnv;

} // namespace

TEST_CASE("svc template", "[commands][template]")
{
  Env env;
  auto& svc = env.svc;

  SECTION("add, list, show, replace, remove")
  {
    auto added = ok(svc, {"template", "add", "greet", "您好 {contact.name}，我是 {agent} {{ok}}"});
    CHECK(added.err.find("Added template 'greet'") != std::string::npos);
    ok(svc, {"template", "add", "bye", "-"}, "再见 {contact.name}\n");

    auto list = json::parse(ok(svc, {"--format", "json", "template", "list"}).out);
    REQUIRE(list.size() == 2);
    CHECK(list[0].at("name") == "bye");
    CHECK(list[0].at("text") == "再见 {contact.name}"); // stdin, trailing newline dropped
    CHECK(list[1].at("name") == "greet");
    CHECK(list[1].at("variables") == json({"contact.name", "agent"}));
    CHECK(list[1].at("created_at") == "2026-11-18T11:06:40Z");

    auto table = ok(svc, {"template", "list"}).out;
    CHECK(table.find("NAME") != std::string::npos);
    CHECK(table.find("greet") != std::string::npos);

    svc.clock.advance(60);
    auto replaced = ok(svc, {"template", "add", "greet", "Hi {contact.name}"});
    CHECK(replaced.err.find("Replaced template 'greet'") != std::string::npos);
    auto shown = json::parse(ok(svc, {"--format", "json", "template", "show", "greet"}).out);
    CHECK(shown.at("text") == "Hi {contact.name}");
    CHECK(shown.at("created_at") == "2026-11-18T11:06:40Z");
    CHECK(shown.at("updated_at") == "2026-11-18T11:07:40Z");

    auto removed = ok(svc, {"template", "remove", "bye"});
    CHECK(removed.err.find("Removed template 'bye'") != std::string::npos);
    CHECK(json::parse(ok(svc, {"--format", "json", "template", "list"}).out).size() == 1);
  }

  SECTION("bad input is refused and changes nothing")
  {
    ok(svc, {"template", "add", "greet", "Hi {contact.name}"});
    fails(svc, {"template", "add", "greet", "Hi {contact.name"}, 2, "template 'greet': unclosed '{'");
    fails(svc, {"template", "add", "other", "50% off }"}, 2, "unmatched '}'");
    fails(svc, {"template", "add", "bad name", "x"}, 2, "bad template name");
    fails(svc, {"template", "add", "empty", ""}, 2, "template 'empty' is empty");
    fails(svc, {"template", "show", "nope"}, 3, "no template named 'nope'");
    fails(svc, {"template", "remove", "nope"}, 3, "no template named 'nope'");
    auto list = json::parse(ok(svc, {"--format", "json", "template", "list"}).out);
    REQUIRE(list.size() == 1);
    CHECK(list[0].at("text") == "Hi {contact.name}");
  }
}

TEST_CASE("svc send: usage errors", "[commands][send]")
{
  Env env;
  auto& svc = env.svc;
  // The hint says what to add when the option is missing, and what to drop when both are given.
  fails(svc, {"send", "--account", "wx", "--text", "x"}, 2, "hint: add --to CONTACT");
  fails(svc, {"send", "--account", "wx", "--to", "1", "--tag", "vip", "--text", "x"}, 2, "--to CONTACT or --tag TAG");
  fails(svc, {"send", "--account", "wx", "--to", "1", "--tag", "vip", "--text", "x"}, 2, "not both: drop one");
  fails(svc, {"send", "--account", "wx", "--tag", "vip"}, 2, "--text TEXT or --template NAME");
  fails(svc, {"send", "--account", "wx", "--tag", "vip"}, 2, "hint: add --text");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--text", "x", "--template", "t"}, 2,
        "--text TEXT or --template NAME");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--text", "x", "--template", "t"}, 2, "keep one");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--text", "x", "--var", "a=1"}, 2, "--var only fills");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--template", "t", "--var", "agent=me"}, 2, "built in");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--text", "x", "--rate", "fast"}, 2, "");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--text", "x", "--rate", "0/min"}, 2, "sends nothing");
  fails(svc, {"send", "--account", "wx", "--tag", "vip", "--text", "x"}, 3, "wx");
}

}  // namespace commands_test_template
