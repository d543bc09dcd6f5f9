// The conversation workflow with the real binary, several processes at once on one state file, against
// a real `svc sandbox serve`: claims are atomic (one of N simultaneous claimers wins), N agents replying to
// one conversation at once give exactly one reply at the sandbox, another agent's claim refuses reply,
// assign and transfer (exit 6, naming the holder) unless --force (audited), a reply to a message someone
// else answered since you looked asks for --force, and transfer notes, resolve/reopen and the audit log.
#include <catch2/catch.hpp>

#include <future>

#include <fmt/format.h>

#include "support/sandbox_process.hpp"

namespace e2e_test_workflow {

using namespace svc::test;
using nlohmann::json;

namespace {

// Telegram customers who each wrote once, pulled into the state file; returns their conversation ids.
std::vector<std::int64_t>
fresh_conversations(const SandboxProcess& sandbox, const SvcHome& home, const std::string& prefix, int n)
{
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) {
    texts.push_back(fmt::format("{} question {}", prefix, i));
    sandbox.inject("telegram", "dm", fmt::format("{}-customer-{}", prefix, i), texts.back());
  }
  auto pulled = home.run({"pull", "--account", "tg"});
  INFO(describe(pulled));
  REQUIRE(pulled.code == 0);
  std::vector<std::int64_t> ids;
  for (const auto& text : texts)
    for (const auto& m : home.stored())
      if (m.text == text)
        ids.push_back(m.conversation_id);
  REQUIRE(ids.size() == texts.size());
  return ids;
}

// Runs every command at once, each as its own svc process.
std::vector<Outcome>
all_at_once(const SvcHome& home, const std::vector<std::vector<std::string>>& commands)
{
  std::vector<std::future<Outcome>> running;
  for (const auto& args : commands)
    running.push_back(std::async(std::launch::async, [&home, args] { return home.run(args); }));
  std::vector<Outcome> out;
  for (auto& r : running)
    out.push_back(r.get());
  return out;
}

std::size_t
sent_containing(const SandboxProcess& sandbox, const std::string& needle)
{
  std::size_t n = 0;
  for (const auto& s : sandbox.sent())
    if (s.at("text").get<std::string>().find(needle) != std::string::npos)
      ++n;
  return n;
}

std::vector<std::string>
actions_of(const SvcHome& home, std::int64_t conversation)
{
  std::vector<std::string> actions;
  for (const auto& e : home.json({"history", std::to_string(conversation)}))
    actions.push_back(e.at("action"));
  return actions;
}

bool
contains(const std::vector<std::string>& v, const std::string& s)
{
  return std::find(v.begin(), v.end(), s) != v.end();
}

} // namespace

TEST_CASE("e2e::workflow claims are atomic across processes: one of N simultaneous claimers wins", "[e2e][workflow]")
{
  SandboxProcess sandbox({.seed = 501, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto conversations = fresh_conversations(sandbox, home, "claim", 4);
  const int agents = 5;
  for (auto conversation : conversations) {
    std::vector<std::vector<std::string>> claims;
    for (int a = 0; a < agents; ++a)
      claims.push_back({"--as", fmt::format("agent{}", a), "claim", std::to_string(conversation), "--ttl", "10m"});
    auto outcomes = all_at_once(home, claims);
    int won = 0;
    std::string winner;
    for (int a = 0; a < agents; ++a) {
      INFO(describe(outcomes[a]));
      if (outcomes[a].code == 0) {
        ++won;
        winner = fmt::format("agent{}", a);
      } else {
        CHECK(outcomes[a].code == 6);
        CHECK(outcomes[a].err.find("is claimed by agent") != std::string::npos);
        CHECK(outcomes[a].err.find(" until ") != std::string::npos);
      }
    }
    CHECK(won == 1);
    CHECK(home.query_int(fmt::format("SELECT count(*) FROM audit_log WHERE conversation_id = {} AND action = 'claimed'",
                                     conversation)) == 1);
    auto show = home.json({"show", std::to_string(conversation)});
    CHECK(show.at("claim").at("agent") == winner);
  }
}

TEST_CASE("e2e::workflow N agents replying to one conversation at once send exactly one reply", "[e2e][workflow]")
{
  SandboxProcess sandbox({.seed = 502, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto conversations = fresh_conversations(sandbox, home, "race", 3);
  const int agents = 4;
  std::vector<std::vector<std::string>> replies;
  for (auto conversation : conversations)
    for (int a = 0; a < agents; ++a)
      replies.push_back({"--as", fmt::format("agent{}", a), "reply", std::to_string(conversation), "--text",
                         fmt::format("answer to #{} from agent{}", conversation, a)});
  auto outcomes = all_at_once(home, replies);
  for (std::size_t c = 0; c < conversations.size(); ++c) {
    int succeeded = 0;
    for (int a = 0; a < agents; ++a) {
      const auto& o = outcomes[c * agents + a];
      INFO(describe(o));
      if (o.code == 0)
        ++succeeded;
      else {
        CHECK(o.code == 6);
        CHECK(o.err.find("already answered by agent") != std::string::npos);
      }
    }
    CHECK(succeeded == 1);
    CHECK(sent_containing(sandbox, fmt::format("answer to #{} ", conversations[c])) == 1);
    CHECK(home.query_int(fmt::format("SELECT count(*) FROM outbox WHERE conversation_id = {}", conversations[c])) == 1);
  }
}

TEST_CASE("e2e::workflow another agent's claim refuses reply, assign and transfer unless --force", "[e2e][workflow]")
{
  SandboxProcess sandbox({.seed = 503, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto id = fresh_conversations(sandbox, home, "held", 1).front();
  auto conversation = std::to_string(id);
  for (const char* agent : {"alice", "bob"})
    REQUIRE(home.run({"agent", "add", agent, "--status", "online"}).code == 0);
  REQUIRE(home.run({"group", "add", "sales"}).code == 0);
  REQUIRE(home.run({"--as", "alice", "claim", conversation}).code == 0);

  for (const auto& args : std::vector<std::vector<std::string>>{
         {"--as", "bob", "reply", conversation, "--text", "bob was here"},
         {"--as", "bob", "assign", conversation, "--to", "bob"},
         {"--as", "bob", "assign", conversation, "--auto"},
         {"--as", "bob", "transfer", conversation, "--to-group", "sales"},
         {"--as", "bob", "claim", conversation},
         {"--as", "bob", "release", conversation}}) {
    auto o = home.run(args);
    INFO(describe(o));
    CHECK(o.code == 6);
    CHECK(o.err.find("claimed by alice until") != std::string::npos);
    CHECK(o.err.find("--force") != std::string::npos);
  }
  CHECK(sent_containing(sandbox, "bob was here") == 0);
  CHECK(home.query_int("SELECT count(*) FROM outbox") == 0);
  CHECK(home.query_int("SELECT count(*) FROM conversations WHERE assignee_id IS NOT NULL") == 0);

  // The holder may do all of it; renewing the claim extends it.
  auto renewed = home.run({"--as", "alice", "claim", conversation, "--ttl", "1h"});
  INFO(describe(renewed));
  CHECK(renewed.code == 0);
  CHECK(contains(actions_of(home, id), "claim renewed"));

  // --force goes through and is audited.
  auto forced = home.run({"--as", "bob", "reply", conversation, "--text", "bob forced", "--force"});
  INFO(describe(forced));
  CHECK(forced.code == 0);
  CHECK(sent_containing(sandbox, "bob forced") == 1);
  bool audited = false;
  for (const auto& e : home.json({"history", conversation}))
    if (e.at("action") == "forced" && e.at("agent") == "bob")
      audited = e.at("detail").at("over_claim_of") == "alice";
  CHECK(audited);
}

TEST_CASE("e2e::workflow a reply to a message answered since you looked needs --force", "[e2e][workflow]")
{
  SandboxProcess sandbox({.seed = 504, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto id = fresh_conversations(sandbox, home, "looked", 1).front();
  auto conversation = std::to_string(id);
  REQUIRE(home.run({"--as", "bob", "show", conversation}).code == 0);
  REQUIRE(home.run({"--as", "alice", "reply", conversation, "--text", "alice answers first"}).code == 0);

  auto late = home.run({"--as", "bob", "reply", conversation, "--text", "bob answers too"});
  INFO(describe(late));
  CHECK(late.code == 6);
  CHECK(late.err.find("already answered by alice") != std::string::npos);
  CHECK(sent_containing(sandbox, "bob answers too") == 0);

  // Having seen alice's answer, bob may add to it.
  REQUIRE(home.run({"--as", "bob", "show", conversation}).code == 0);
  auto after_look = home.run({"--as", "bob", "reply", conversation, "--text", "bob adds a detail"});
  INFO(describe(after_look));
  CHECK(after_look.code == 0);
  CHECK(sent_containing(sandbox, "bob adds a detail") == 1);

  // A new customer message is a new question: alice may answer it without looking again.
  sandbox.inject("telegram", "dm", "looked-customer-0", "looked: one more thing");
  REQUIRE(home.run({"pull", "--account", "tg"}).code == 0);
  auto next = home.run({"--as", "alice", "reply", conversation, "--text", "alice answers the follow-up"});
  INFO(describe(next));
  CHECK(next.code == 0);
}

TEST_CASE("e2e::workflow transfer notes, resolve, reopen by a new message, and the audit log", "[e2e][workflow]")
{
  SandboxProcess sandbox({.seed = 505, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto id = fresh_conversations(sandbox, home, "lead", 1).front();
  auto conversation = std::to_string(id);
  REQUIRE(home.run({"agent", "add", "alice", "--status", "online"}).code == 0);
  REQUIRE(home.run({"agent", "add", "sam", "--skills", "sales", "--status", "online"}).code == 0);
  REQUIRE(home.run({"group", "add", "sales", "--skills", "sales"}).code == 0);

  REQUIRE(home.run({"--as", "alice", "assign", conversation, "--to", "alice"}).code == 0);
  auto moved = home.run({"--as", "alice", "transfer", conversation, "--to-group", "sales", "--note", "wants 40 units, call back Monday"});
  INFO(describe(moved));
  REQUIRE(moved.code == 0);

  auto show = home.json({"show", conversation});
  CHECK(show.at("group") == "sales");
  CHECK(show.at("assignee").is_null());
  REQUIRE(show.at("notes").size() == 1);
  CHECK(show.at("notes")[0].at("text") == "wants 40 units, call back Monday");
  CHECK(show.at("notes")[0].at("by") == "alice");
  auto table = home.run({"show", conversation});
  CHECK(table.out.find("wants 40 units, call back Monday") != std::string::npos);
  CHECK(home.json({"inbox", "--group", "sales"}).size() == 1);

  // The group's agent picks it up by policy, answers and resolves it.
  auto picked = home.json({"--as", "sam", "assign", conversation, "--auto", "--policy", "skills"});
  CHECK(picked.at("assigned_to") == "sam");
  REQUIRE(home.run({"--as", "sam", "reply", conversation, "--text", "sam: quote attached"}).code == 0);
  REQUIRE(home.run({"--as", "sam", "resolve", conversation}).code == 0);
  CHECK(home.json({"inbox", "--group", "sales"}).empty());
  auto resolved = home.json({"inbox", "--status", "resolved"});
  REQUIRE(resolved.size() == 1);
  CHECK(resolved[0].at("id") == id);

  // The customer writes again: the conversation is open again.
  sandbox.inject("telegram", "dm", "lead-customer-0", "lead: and delivery?");
  REQUIRE(home.run({"pull", "--account", "tg"}).code == 0);
  auto reopened = home.json({"inbox", "--group", "sales"});
  REQUIRE(reopened.size() == 1);
  CHECK(reopened[0].at("id") == id);
  CHECK(reopened[0].at("status") == "open");

  auto actions = actions_of(home, id);
  std::vector<std::string> expected = {"assigned", "transferred", "assigned", "replied", "resolved", "reopened"};
  CHECK(actions == expected);
  auto history = home.json({"history", conversation});
  CHECK(history[1].at("agent") == "alice");
  CHECK(history[1].at("detail").at("note") == "wants 40 units, call back Monday");
  CHECK(history[3].at("agent") == "sam");
  CHECK(history[5].at("agent").is_null()); // reopened by the pull, not by a person
}

}  // namespace e2e_test_workflow
