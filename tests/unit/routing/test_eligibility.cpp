// Eligibility, shared by every policy: online, under cap, and in the conversation's group.
#include "routing_test_util.hpp"

namespace routing_test_eligibility {

using namespace svc::routing;
using namespace svc::routing::test;

TEST_CASE("routing::eligibility: exclusion reasons", "[routing]")
{
  Scenario s;
  s.groups = {group("sales", {"billing", "refunds"}), group("anyone", {})};
  s.agents = {
    agent(1, "ann").offline().skills({"billing", "refunds"}),
    agent(2, "bob").open(3).cap(3).skills({"billing", "refunds"}),
    agent(3, "cid").skills({"refunds"}),
    agent(4, "dee"),
    agent(5, "eve").open(2).skills({"billing", "refunds"}),
    agent(6, "fay").open(5).cap(3).offline(),
  };

  SECTION("offline, at cap, lacking one skill, lacking several")
  {
    const Decision d = decide("least-busy", conversation(1, "sales"), s);
    CHECK(d.agent == "eve");
    CHECK(verdict(d, "ann").reason == "offline");
    CHECK(verdict(d, "bob").reason == "at cap (3/3)");
    CHECK(verdict(d, "cid").reason == "not in group sales (lacks skill: billing)");
    CHECK(verdict(d, "dee").reason == "not in group sales (lacks skills: billing, refunds)");
    CHECK(verdict(d, "eve").reason == "2 open");
    CHECK(verdict(d, "fay").reason == "offline");  // the first check that fails
    for (const auto& c : d.candidates)
      CHECK(c.eligible == (c.agent == "eve"));
  }
  SECTION("candidates list every agent in floor order")
  {
    const Decision d = decide("round-robin", conversation(1, "sales"), s);
    std::vector<std::string> names;
    for (const auto& c : d.candidates)
      names.push_back(c.agent);
    CHECK(names == std::vector<std::string>{"ann", "bob", "cid", "dee", "eve", "fay"});
  }
  SECTION("a group without skills takes every agent")
  {
    const Decision d = decide("least-busy", conversation(1, "anyone"), s);
    CHECK(d.agent == "cid");  // cid and dee have 0 open; cid has the lower id
    CHECK(verdict(d, "dee").eligible);
    CHECK(verdict(d, "eve").eligible);
    CHECK_FALSE(verdict(d, "bob").eligible);
  }
  SECTION("without a group every agent with capacity is eligible")
  {
    const Decision d = decide("least-busy", conversation(1), s);
    CHECK(d.agent == "cid");
    CHECK(verdict(d, "dee").reason == "0 open");
  }
  SECTION("an unknown group: nobody is in it")
  {
    const Decision d = decide("least-busy", conversation(1, "vip"), s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.agent.empty());
    CHECK(verdict(d, "dee").reason == "group vip does not exist");
    CHECK(verdict(d, "ann").reason == "offline");
    CHECK(d.why == "nobody: group vip does not exist.");
  }
  SECTION("over its cap counts as at cap")
  {
    s.agents[5].online = true;
    const Decision d = decide("least-busy", conversation(1), s);
    CHECK(verdict(d, "fay").reason == "at cap (5/3)");
    CHECK_FALSE(verdict(d, "fay").eligible);
  }
}

TEST_CASE("routing::eligibility: why nobody", "[routing]")
{
  Scenario s;
  s.groups = {group("sales", {"billing"})};

  SECTION("no agents")
  {
    CHECK(decide("least-busy", conversation(1), s).why == "nobody: there are no agents.");
  }
  SECTION("no agent is online")
  {
    s.agents = {agent(1, "ann").offline().skills({"billing"}), agent(2, "bob").offline()};
    CHECK(decide("round-robin", conversation(1), s).why == "nobody: no agent is online.");
    CHECK(decide("round-robin", conversation(1, "sales"), s).why == "nobody: no agent is online.");
  }
  SECTION("every online agent is at cap")
  {
    s.agents = {agent(1, "ann").open(2).cap(2), agent(2, "bob").offline()};
    CHECK(decide("idle-rate", conversation(1), s).why == "nobody: every online agent is at cap.");
  }
  SECTION("nobody has the group's skills")
  {
    s.agents = {agent(1, "ann"), agent(2, "bob").skills({"refunds"})};
    CHECK(decide("least-busy", conversation(1, "sales"), s).why ==
          "nobody: no agent is in group sales (skills: billing).");
  }
  SECTION("the group's members are offline")
  {
    s.agents = {agent(1, "ann"), agent(2, "bob").skills({"billing"}).offline()};
    CHECK(decide("least-busy", conversation(1, "sales"), s).why == "nobody: no agent of group sales is online.");
  }
  SECTION("the group's online members are at cap")
  {
    s.agents = {agent(1, "ann"), agent(2, "bob").skills({"billing"}).open(4).cap(4)};
    CHECK(decide("least-busy", conversation(1, "sales"), s).why ==
          "nobody: every online agent of group sales is at cap.");
  }
}

TEST_CASE("routing::eligibility: every policy skips ineligible agents", "[routing]")
{
  // ann would win every ranking (no open chats, never assigned, lowest id, served the contact last)
  // but is excluded; bob is the only eligible agent.
  const auto name = GENERATE(from_range(policy_names()));
  Scenario s;
  s.groups = {group("sales", {"billing"})};
  s.agents = {agent(1, "ann").skills({"billing"}), agent(2, "bob").open(4).assigned_at(990).skills({"billing"}),
              agent(3, "cid").open(4).cap(4).skills({"billing"}), agent(4, "dee")};
  Conversation c = conversation(1, "sales");
  c.last_served_by = "ann";

  SECTION("offline")
  {
    s.agents[0].online = false;
  }
  SECTION("at cap")
  {
    s.agents[0].open = 50;
  }
  SECTION("not in the group")
  {
    s.agents[0].skills.clear();
  }
  INFO("policy " << name);
  const Decision d = decide(name, c, s);
  CHECK(d.agent == "bob");
  CHECK(d.agent_id == 2);
  CHECK_FALSE(verdict(d, "ann").eligible);
}

}  // namespace routing_test_eligibility
