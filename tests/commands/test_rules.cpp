// `svc rules check|test|apply` run in-process (cli::run) against a temporary state file: line numbers for
// syntax and semantic errors, which rules fire on a text, where the rules file is found, and usage errors
// that change nothing.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/expect_svc.hpp"

namespace commands_test_rules {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env : SvcEnv {
  std::string write(const std::string& name, const std::string& text)
  {
    auto path = dir / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
};

// The message `fails` must find right after "svc: error: ".
std::string
error_start(const std::string& message)
{
  return "svc: error: " + message;
}

const char* k_rules = R"TOML([hours]
zone = "Asia/Shanghai"

[[rule]]
name = "refund"
when = { keywords = ["refund", "退款"], channel = "dm" }
then = { reply = "refund", tag = ["refund"], route = "billing" }

[[rule]]
name = "vip"
when = { tags = ["vip"] }
then = { priority = 9 }

[[rule]]
name = "night"
when = { time = "off_hours" }
then = { ignore = true }
)TOML";

} // namespace

TEST_CASE("svc rules check", "[commands][rules]")
{
  Env env;
  auto& svc = env.svc;
  auto file = env.write("rules.toml", k_rules);

  SECTION("a good file lists its rules; templates and groups are checked when there is a state file")
  {
    auto o = ok(svc, {"--format", "json", "rules", "check", file});
    auto rows = json::parse(o.out);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].at("name") == "refund");
    CHECK(rows[0].at("line") == 4);
    CHECK(rows[2].at("actions") == json::parse(R"([{"action":"ignore"}])"));
    CHECK(o.err.find("not checked: there is no state file") != std::string::npos);
  }
  SECTION("unknown template and group, at the line of their value")
  {
    ok(svc, {"template", "list"}); // creates the state file
    auto o = fails(svc, {"rules", "check", file}, 2, error_start(file + ":7: unknown group 'billing' (rule 'refund')"));
    CHECK(o.err.find("svc: error: " + file + ":7: unknown template 'refund' (rule 'refund')") != std::string::npos);
    CHECK(o.err.find("hint: 2 problems") != std::string::npos);
    ok(svc, {"template", "add", "refund", "Sorry {contact.name}"});
    ok(svc, {"group", "add", "billing"});
    ok(svc, {"rules", "check", file});
  }
  SECTION("a template with a variable a rule cannot fill")
  {
    ok(svc, {"template", "add", "refund", "Order {order} is on its way"});
    ok(svc, {"group", "add", "billing"});
    fails(svc, {"rules", "check", file}, 2,
          error_start(file + ":7: template 'refund' uses {order}, which a rule cannot fill"));
  }
  SECTION("syntax errors carry toml++'s line")
  {
    auto bad = env.write("bad.toml", "[[rule]]\nname = \"x\"\n\nthen = { tag = \"a\" \n");
    fails(svc, {"rules", "check", bad}, 2, error_start(bad + ":4: "));
  }
  SECTION("semantic errors: every one, in line order, the last as the error")
  {
    auto bad = env.write("bad.toml", "[[rule]]\nname = \"x\"\nwhen = { regex = \"a(\" }\nthen = { colour = 1 }\n");
    auto o = fails(svc, {"rules", "check", bad}, 2, error_start(bad + ":4: "));
    CHECK(o.err.rfind("svc: error: " + bad + ":3: bad regex 'a('", 0) == 0);
  }
  SECTION("no file")
  {
    fails(svc, {"rules", "check", (env.dir / "none.toml").string()}, 3, error_start("no rules file at "));
  }
  SECTION("the default file: SVC_RULES, else $XDG_CONFIG_HOME/svc/rules.toml")
  {
    svc.env["XDG_CONFIG_HOME"] = env.dir.path().string();
    fails(svc, {"rules", "check"}, 3, error_start("no rules file at " + (env.dir / "svc" / "rules.toml").string()));
    env.write("svc/rules.toml", "[[rule]]\nname = \"a\"\nthen = { ignore = true }\n");
    CHECK(json::parse(ok(svc, {"--format", "json", "rules", "check"}).out).size() == 1);
    svc.env["SVC_RULES"] = file;
    CHECK(json::parse(ok(svc, {"--format", "json", "rules", "check"}).out).size() == 3);
  }
}

TEST_CASE("svc rules test", "[commands][rules]")
{
  Env env;
  auto& svc = env.svc;
  auto file = env.write("rules.toml", k_rules);
  // The fixed clock (1795000000) is Wed 2026-11-18 11:06:40 UTC, 19:06 in Shanghai: off hours.
  SECTION("which rules fire and what they would do, with the reply's text")
  {
    ok(svc, {"template", "add", "refund", "Sorry {contact.name}, we will refund you"});
    ok(svc, {"group", "add", "billing"});
    auto rows = json::parse(ok(svc, {"--format", "json", "rules", "test", "我要退款", "--rules", file}).out);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].at("rule") == "refund");
    CHECK(rows[0].at("actions")[0].at("action") == "reply");
    // No contact: the template needs a name it does not have.
    CHECK(rows[0].at("actions")[0].at("outcome").get<std::string>().rfind("skipped: ", 0) == 0);
    CHECK(rows[1].at("rule") == "night");
    auto day = json::parse(
      ok(svc, {"--format", "json", "rules", "test", "refund", "--rules", file, "--at", "2026-11-18T03:00:00Z"}).out);
    REQUIRE(day.size() == 1);
    CHECK(day[0].at("rule") == "refund");
  }
  SECTION("nothing fires")
  {
    auto o = ok(svc, {"rules", "test", "hello", "--channel", "comment", "--rules", file, "--at",
                      "2026-11-18T03:00:00Z"});
    CHECK(o.err.find("no rule fires") != std::string::npos);
  }
  SECTION("a contact that does not exist, a bad channel, a bad file: usage errors")
  {
    ok(svc, {"template", "add", "refund", "x"});
    ok(svc, {"group", "add", "billing"});
    fails(svc, {"rules", "test", "hi", "--rules", file, "--contact", "99"}, 3, "");
    fails(svc, {"rules", "test", "hi", "--rules", file, "--channel", "sms"}, 2, error_start("unknown channel 'sms'"));
    auto bad = env.write("bad.toml", "[[rule]]\nname = 1\nthen = { ignore = true }\n");
    fails(svc, {"rules", "test", "hi", "--rules", bad}, 2, error_start(bad + ":2: 'name' must be a string"));
  }
}

TEST_CASE("svc rules apply: usage errors change nothing", "[commands][rules]")
{
  Env env;
  auto& svc = env.svc;
  auto file = env.write("rules.toml", k_rules);
  ok(svc, {"template", "add", "other", "x"});
  SECTION("a rules file with problems")
  {
    auto o = fails(svc, {"rules", "apply", "--rules", file}, 2, error_start(file + ":7: unknown template 'refund'"));
    CHECK(o.err.find("hint: 1 more problem in the file") != std::string::npos);
  }
  SECTION("a bad --since")
  {
    fails(svc, {"rules", "apply", "--rules", file, "--since", "yesterday-ish"}, 2, "");
  }
  SECTION("nothing to do")
  {
    ok(svc, {"template", "add", "refund", "x"});
    ok(svc, {"group", "add", "billing"});
    auto o = ok(svc, {"--format", "json", "rules", "apply", "--rules", file});
    CHECK(json::parse(o.out).empty());
    CHECK(o.err.find("Processed 0 messages") != std::string::npos);
  }
  SECTION("pull --apply-rules does not go with --follow")
  {
    auto o = svc.run({"pull", "--apply-rules", "--follow"});
    CHECK(o.code == 2);
  }
}

}  // namespace commands_test_rules
