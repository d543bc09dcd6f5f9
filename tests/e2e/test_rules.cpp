// The real svc binary running `svc rules apply` against a real `svc sandbox serve`: a templated reply
// reaches the sandbox once (inline with `svc pull --apply-rules`, and not again on later runs), two
// concurrent runs process every message once, a run killed with SIGKILL while a notify command runs is
// reported by the next run and nothing happens twice, and --dry-run changes nothing.
#include <catch2/catch.hpp>

#include <csignal>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/sandbox_process.hpp"
#include "support/spawn.hpp"

namespace e2e_test_rules {

using namespace svc::test;
using nlohmann::json;

namespace {

std::size_t
sent_with_text(const SandboxProcess& sandbox, const std::string& text)
{
  std::size_t n = 0;
  for (const auto& s : sandbox.sent())
    if (s.at("text") == text)
      ++n;
  return n;
}

std::string
slurp(const std::filesystem::path& p)
{
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// message_id -> how many times the notify command saw it.
std::map<std::int64_t, int>
notified(const std::filesystem::path& file)
{
  std::map<std::int64_t, int> out;
  std::istringstream in(slurp(file));
  for (std::string line; std::getline(in, line);)
    if (!line.empty())
      ++out[json::parse(line).at("message_id").get<std::int64_t>()];
  return out;
}

// A rules file: a templated reply to "e2e-refund" on Telegram, and a notify command for every "e2e-"
// message that appends its stdin (one line) to `log` and, while `block` exists, then blocks until killed
// (writing its pid to `pid`).
std::string
write_rules(const TempDir& dir, const std::string& log)
{
  auto path = dir / "rules.toml";
  std::string script = "x=$(cat); printf '%s\\n' \"$x\" >> '" + log + "'; if [ -e '" + (dir / "block").string()
                       + "' ]; then echo $$ > '" + (dir / "blocked.pid").string() + "'; exec sleep 600; fi";
  std::ofstream(path) << "[[rule]]\nname = \"refund\"\n"
                         "when = { keywords = [\"e2e-refund\"], account = \"tg\" }\n"
                         "then = { reply = \"refund\", tag = [\"refund\"] }\n\n"
                         "[[rule]]\nname = \"watch\"\n"
                         "when = { keywords = [\"e2e-\"] }\n"
                      << "then = { notify = " << json({"sh", "-c", script}).dump() << " }\n";
  return path.string();
}

struct Setup {
  SandboxProcess sandbox{{.seed = 909, .world_size = 20, .faults = ""}};
  SvcHome home{sandbox};
  TempDir dir;
  std::string log = (dir / "notified.jsonl").string();
  std::string rules = write_rules(dir, log);

  Setup()
  {
    home.bind("telegram", "tg", sandbox.url());
    home.env()["SVC_RULES"] = rules;
    auto t = home.run({"template", "add", "refund", "Hi {contact.name}, your refund is on its way"});
    INFO(describe(t));
    REQUIRE(t.code == 0);
  }

  std::int64_t inbound() const { return home.query_int("SELECT count(*) FROM messages WHERE direction = 'in'"); }
};

} // namespace

TEST_CASE("e2e::rules apply: a templated reply reaches the sandbox once", "[e2e][rules]")
{
  Setup s;
  s.sandbox.inject("telegram", "dm", "Rita", "e2e-refund please, order 12");
  auto dry = s.home.run({"--format", "json", "pull", "--apply-rules"});
  INFO(describe(dry));
  REQUIRE(dry.code == 0);
  CHECK(dry.err.find("Processed") != std::string::npos);
  const std::string text = "Hi Rita, your refund is on its way";
  CHECK(sent_with_text(s.sandbox, text) == 1);
  CHECK(s.home.query_int("SELECT count(*) FROM rule_runs") == s.inbound());
  CHECK(s.home.query_int("SELECT count(*) FROM outbox WHERE kind = 'rule' AND agent = 'rules' AND status = 'sent'")
        == 1);
  CHECK(notified(s.log).size() == 1);

  // Later runs, and a later pull that brings the sent reply back, never send it again.
  auto again = s.home.run({"--format", "json", "rules", "apply"});
  INFO(describe(again));
  REQUIRE(again.code == 0);
  CHECK(json::parse(again.out).empty());
  REQUIRE(s.home.run({"pull", "--apply-rules"}).code == 0);
  CHECK(sent_with_text(s.sandbox, text) == 1);
  CHECK(notified(s.log).size() == 1);

  SECTION("a new message gets its own reply; --dry-run before it changes nothing")
  {
    s.sandbox.inject("telegram", "dm", "Sam", "e2e-refund too");
    REQUIRE(s.home.run({"pull"}).code == 0);
    auto before = s.home.query_int("SELECT count(*) FROM rule_runs");
    auto preview = s.home.run({"--format", "json", "rules", "apply", "--dry-run"});
    INFO(describe(preview));
    REQUIRE(preview.code == 0);
    auto rows = json::parse(preview.out);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("rules") == json({"refund", "watch"}));
    CHECK(rows[0].at("actions")[0].at("text") == "Hi Sam, your refund is on its way");
    CHECK(s.home.query_int("SELECT count(*) FROM rule_runs") == before);
    CHECK(sent_with_text(s.sandbox, "Hi Sam, your refund is on its way") == 0);
    CHECK(notified(s.log).size() == 1);

    REQUIRE(s.home.run({"rules", "apply"}).code == 0);
    CHECK(sent_with_text(s.sandbox, "Hi Sam, your refund is on its way") == 1);
    CHECK(notified(s.log).size() == 2);
  }
}

TEST_CASE("e2e::rules apply: two concurrent runs process each message once", "[e2e][rules]")
{
  Setup s;
  for (int i = 0; i < 12; ++i)
    s.sandbox.inject("telegram", "dm", "Customer " + std::to_string(i), "e2e-refund #" + std::to_string(i));
  REQUIRE(s.home.run({"pull"}).code == 0);
  std::map<std::string, std::string> env = s.home.env();
  env["SVC_STATE"] = s.home.state();
  pid_t a = spawn_svc({"rules", "apply"}, env, {.in = "/dev/null", .out = s.dir / "a.out", .err = s.dir / "a.err"});
  pid_t b = spawn_svc({"rules", "apply"}, env, {.in = "/dev/null", .out = s.dir / "b.out", .err = s.dir / "b.err"});
  int ca = wait_exit(a), cb = wait_exit(b);
  INFO(slurp(s.dir / "a.err") << "\n" << slurp(s.dir / "b.err"));
  CHECK(ca == 0);
  CHECK(cb == 0);
  CHECK(s.home.query_int("SELECT count(*) FROM rule_runs") == s.inbound());
  CHECK(s.home.query_int("SELECT count(*) FROM outbox WHERE kind = 'rule'") == 12);
  CHECK(s.home.query_int("SELECT count(DISTINCT reply_to) FROM outbox WHERE kind = 'rule'") == 12);
  for (int i = 0; i < 12; ++i)
    CHECK(sent_with_text(s.sandbox, "Hi Customer " + std::to_string(i) + ", your refund is on its way") == 1);
  auto seen = notified(s.log);
  CHECK(seen.size() == 12);
  for (const auto& [id, times] : seen) {
    INFO("message " << id);
    CHECK(times == 1);
  }
}

TEST_CASE("e2e::rules apply: a run killed while a notify command runs", "[e2e][rules]")
{
  Setup s;
  for (int i = 0; i < 3; ++i)
    s.sandbox.inject("telegram", "dm", "Kim " + std::to_string(i), "e2e-refund " + std::to_string(i));
  REQUIRE(s.home.run({"pull"}).code == 0);
  std::ofstream(s.dir / "block") << "";
  std::map<std::string, std::string> env = s.home.env();
  env["SVC_STATE"] = s.home.state();
  pid_t run = spawn_svc({"rules", "apply"}, env, {.in = "/dev/null", .out = s.dir / "k.out", .err = s.dir / "k.err"});
  // Wait until the first notify command is blocked (it wrote its pid), then kill svc mid-run.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (slurp(s.dir / "blocked.pid").empty()) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(::kill(run, SIGKILL) == 0);
  CHECK(wait_exit(run) == 128 + SIGKILL);
  pid_t blocked = std::stoi(slurp(s.dir / "blocked.pid"));
  ::kill(blocked, SIGKILL); // the orphaned command
  std::filesystem::remove(s.dir / "block");
  // The killed run committed the first message (reply recorded and sent) and started its notification.
  CHECK(s.home.query_int("SELECT count(*) FROM rule_runs WHERE message_id IN (SELECT id FROM messages WHERE text "
                         "LIKE 'e2e-%')") == 1);

  auto next = s.home.run({"rules", "apply"});
  INFO(describe(next));
  REQUIRE(next.code == 0);
  CHECK(next.err.find("was interrupted") != std::string::npos);
  CHECK(s.home.query_int("SELECT count(*) FROM rule_runs") == s.inbound());
  CHECK(s.home.query_int("SELECT count(*) FROM rule_notifications WHERE status = 'interrupted'") == 1);
  CHECK(s.home.query_int("SELECT count(*) FROM rule_notifications WHERE status = 'done'") == 2);
  for (int i = 0; i < 3; ++i)
    CHECK(sent_with_text(s.sandbox, "Hi Kim " + std::to_string(i) + ", your refund is on its way") == 1);
  auto seen = notified(s.log);
  CHECK(seen.size() == 3);
  for (const auto& [id, times] : seen)
    CHECK(times == 1);

  // Reported once; a third run has nothing to do or say.
  auto third = s.home.run({"rules", "apply"});
  REQUIRE(third.code == 0);
  CHECK(third.err.find("interrupted") == std::string::npos);
  CHECK(notified(s.log).size() == 3);
}

}  // namespace e2e_test_rules
