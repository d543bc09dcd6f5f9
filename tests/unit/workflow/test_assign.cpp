// Assignment by each routing policy on one fixed floor (workflow_fixture.hpp), with the assignments the
// policy definitions in docs/routing.md give, worked out by hand in each case; --explain's output; and
// hand assignment, transfer and the backlog on a real state file.
#include <catch2/catch.hpp>

#include <svc/workflow/assign.hpp>

#include "support/run_svc.hpp"
#include "workflow_fixture.hpp"

namespace workflow_test_assign {

using namespace svc;
using namespace svc::test;

namespace {

std::vector<std::string>
backlog_by(Floor& floor, const std::string& policy_name)
{
  auto policy = routing::make_policy(policy_name);
  REQUIRE(policy.has_value());
  auto done = workflow::assign_backlog(floor.store(), **policy, "lead", floor.clock().now());
  REQUIRE(done.has_value());
  std::vector<std::string> who;
  for (int n = 1; n <= 6; ++n)
    who.push_back(floor.assignee(n));
  return who;
}

routing::Decision
decide(Floor& floor, int n, const std::string& policy_name)
{
  auto policy = routing::make_policy(policy_name);
  REQUIRE(policy.has_value());
  auto d = workflow::explain(floor.store(), floor.conversation(n), **policy, floor.clock().now());
  REQUIRE(d.has_value());
  return *d;
}

} // namespace

TEST_CASE("workflow::assign the backlog by each policy", "[workflow][routing]")
{
  // Open chats before: ann 1/3 (last assigned T-2000), ben 2/5 (T-1000), cat 0/1 (never), dan offline.
  using V = std::vector<std::string>;
  SECTION("round-robin: least recently assigned first")
  {
    Floor f;
    CHECK(backlog_by(f, "round-robin") == V{"cat", "ann", "ben", "ann", "ben", "ben"});
  }
  SECTION("least-busy: fewest open, then least recently assigned")
  {
    Floor f;
    // c3: ann and ben both hold 2; ben was assigned longer ago.
    CHECK(backlog_by(f, "least-busy") == V{"cat", "ann", "ben", "ann", "ben", "ben"});
  }
  SECTION("idle-rate: lowest open/max")
  {
    Floor f;
    // c4: ann 2/3 = 0.67 against ben 3/5 = 0.6; c5: ann 0.67 against ben 4/5.
    CHECK(backlog_by(f, "idle-rate") == V{"cat", "ann", "ben", "ben", "ann", "ben"});
  }
  SECTION("priority: the VIP customer is served first")
  {
    Floor f;
    f.tag_contact(6, "vip");
    // c6 goes first and takes cat (0 open); then least-busy over the rest.
    CHECK(backlog_by(f, "priority") == V{"ann", "ben", "ann", "ben", "ben", "cat"});
  }
  SECTION("capacity runs out: the rest stays in the backlog")
  {
    Floor f;
    for (const char* name : {"ben"})
      REQUIRE(f.store().team().set_agent_status(name, "away").has_value());
    // Only ann (2 free) and cat (1 free) are online: three conversations get someone.
    CHECK(backlog_by(f, "least-busy") == V{"cat", "ann", "ann", "", "", ""});
    auto left = f.store().workflow().unassigned();
    REQUIRE(left.has_value());
    CHECK(left->size() == 3);
  }
}

TEST_CASE("workflow::assign sticky sends a returning customer to the agent who served them", "[workflow][routing]")
{
  Floor f;
  f.answered_by(3, "ann");
  f.writes_again(3);
  CHECK(decide(f, 3, "sticky").agent == "ann");
  CHECK(decide(f, 3, "least-busy").agent == "cat");

  SECTION("across linked identities")
  {
    f.answered_by(8, "ben"); // customer 8 is ben's
    f.link(4, 8);
    auto d = decide(f, 4, "sticky");
    CHECK(d.agent == "ben");
  }
  SECTION("falls back when that agent is offline")
  {
    REQUIRE(f.store().team().set_agent_status("ann", "offline").has_value());
    auto d = decide(f, 3, "sticky");
    CHECK(d.agent == "cat");
    CHECK(d.why.find("ann") != std::string::npos);
  }
}

TEST_CASE("workflow::assign skills uses the group, then its overflow after the wait", "[workflow][routing]")
{
  Floor f;
  store::GroupRow general;
  general.name = "general";
  REQUIRE(f.store().team().add_group(general).has_value());
  store::GroupRow billing;
  billing.name = "billing";
  billing.skills = {"billing"};
  billing.overflow_to = "general";
  billing.overflow_after_s = 300;
  REQUIRE(f.store().team().add_group(billing).has_value());
  REQUIRE(workflow::transfer(f.store(), f.conversation(2), "billing", "", "lead", false).has_value()); // waited 500 s
  REQUIRE(workflow::transfer(f.store(), f.conversation(5), "billing", "", "lead", false).has_value()); // waited 200 s

  CHECK(decide(f, 2, "skills").agent == "cat"); // a billing member with room
  // Billing full: cat 1/1, ann 3/3; dan is offline.
  REQUIRE(workflow::assign_to(f.store(), f.conversation(1), "cat", "lead", false).has_value());
  REQUIRE(workflow::assign_to(f.store(), f.conversation(3), "ann", "lead", false).has_value());
  REQUIRE(workflow::assign_to(f.store(), f.conversation(4), "ann", "lead", false).has_value());
  CHECK(decide(f, 2, "skills").agent == "ben");      // past 300 s: the overflow group
  auto early = decide(f, 5, "skills");
  CHECK_FALSE(early.agent_id.has_value());            // 200 s: still only billing
  f.clock().set(Floor::T + 100);
  CHECK(decide(f, 5, "skills").agent == "ben");
  // Other policies keep a grouped conversation in its group: nobody there has room.
  CHECK_FALSE(decide(f, 2, "least-busy").agent_id.has_value());
}

TEST_CASE("workflow::assign by hand and transfer are audited; a removed agent's chats return to the backlog",
          "[workflow]")
{
  Floor f;
  REQUIRE(workflow::assign_to(f.store(), f.conversation(1), "dan", "lead", false).has_value());
  CHECK(f.assignee(1) == "dan");
  auto unknown = workflow::assign_to(f.store(), f.conversation(1), "zed", "lead", false);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().kind == ErrorKind::not_found);
  CHECK(f.assignee(1) == "dan");

  REQUIRE(f.store().team().remove_agent("dan", "lead").has_value());
  CHECK(f.assignee(1) == "");
  auto history = f.store().workflow().history(f.conversation(1));
  REQUIRE(history.has_value());
  REQUIRE(history->size() == 2);
  CHECK((*history)[0].action == "assigned");
  CHECK((*history)[1].action == "unassigned");
  CHECK((*history)[1].detail.find("agent removed") != std::string::npos);
}

TEST_CASE("commands::assign --explain prints every candidate and why the winner won", "[workflow][commands]")
{
  Floor f;
  InProcess svc(f.path(), Floor::T);
  auto id = std::to_string(f.conversation(3));
  auto text = svc.run({"assign", "--explain", id, "--policy", "least-busy"});
  INFO(text.err);
  REQUIRE(text.code == 0);
  CHECK(text.out.find("dan") != std::string::npos);
  CHECK(text.out.find("offline") != std::string::npos);
  CHECK(text.out.find("cat") != std::string::npos);
  CHECK(f.assignee(3) == ""); // explaining changes nothing

  auto json = svc.run({"--format", "json", "assign", "--explain", id, "--policy", "least-busy"});
  REQUIRE(json.code == 0);
  auto j = json.json();
  CHECK(j.at("assigned_to") == "cat");
  REQUIRE(j.at("candidates").size() == 4);
  int eligible = 0;
  for (const auto& c : j.at("candidates"))
    eligible += c.at("eligible").get<bool>();
  CHECK(eligible == 3);
  CHECK(j.at("why").get<std::string>().find("cat") != std::string::npos);

  auto bad = svc.run({"assign", "--auto", id, "--policy", "fastest"});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("round-robin") != std::string::npos);
  auto both = svc.run({"assign", id, "--to", "ann", "--auto"});
  CHECK(both.code == 2);
}

}  // namespace workflow_test_assign
