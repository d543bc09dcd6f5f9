// skills: the conversation's group first, then its overflow chain once the wait reaches each hop.
#include "routing_test_util.hpp"

namespace routing_test_skills {

using namespace svc::routing;
using namespace svc::routing::test;

namespace {

// sales overflows to support after 60 s, support to general after 120 s more (general opens at 180 s).
Scenario
floor_with_chain()
{
  Scenario s;
  s.now = 1000;
  s.groups = {group("sales", {"billing"}, "support", 60), group("support", {"tier1"}, "general", 120),
              group("general", {})};
  s.agents = {agent(1, "ann").open(3).skills({"billing"}), agent(2, "bob").open(1).skills({"tier1"}),
              agent(3, "cid").open(0), agent(4, "dee").open(5).skills({"billing", "tier1"})};
  return s;
}

} // namespace

TEST_CASE("routing::skills: members of the group first", "[routing]")
{
  Scenario s = floor_with_chain();
  const Decision d = decide("skills", conversation(1, "sales", 0), s);  // waited 1000 s: overflow open
  CHECK(d.agent == "ann");  // a member with 3 open beats non-members with fewer
  CHECK(verdict(d, "ann").reason == "3 open");
  CHECK(verdict(d, "dee").reason == "5 open");
  CHECK(verdict(d, "bob").reason == "not in group sales (lacks skill: billing)");
  CHECK(d.why == "ann wins by skills: the fewest open conversations in group sales (3 open).");
}

TEST_CASE("routing::skills: overflow", "[routing]")
{
  Scenario s = floor_with_chain();
  s.agents[0].online = false;  // ann
  s.agents[3].open = 50;       // dee at cap: nobody in sales is eligible

  SECTION("before the threshold: nobody, the overflow group's members are not in the group")
  {
    const Decision d = decide("skills", conversation(1, "sales", 941), s);  // waited 59 s
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(verdict(d, "bob").reason == "not in group sales (lacks skill: billing)");
    CHECK_FALSE(verdict(d, "bob").eligible);
    CHECK(d.why == "nobody: every online agent of group sales is at cap, and the overflow to support opens after "
                   "60 s of waiting (waited 59 s).");
  }
  SECTION("at the threshold: the overflow group's least busy member")
  {
    const Decision d = decide("skills", conversation(1, "sales", 940), s);  // waited 60 s
    CHECK(d.agent == "bob");
    CHECK(verdict(d, "bob").reason == "1 open (overflow group support)");
    CHECK(verdict(d, "bob").eligible);
    CHECK(verdict(d, "cid").reason == "not in group sales (lacks skill: billing) nor in group support "
                                      "(lacks skill: tier1)");
    CHECK(verdict(d, "ann").reason == "offline");
    CHECK(verdict(d, "dee").reason == "at cap (50/50)");
    CHECK(d.why == "bob wins by skills overflow: no agent of sales was eligible and the conversation waited 60 s "
                   "(overflow to support after 60 s); bob wins with the fewest open conversations in group support "
                   "(1 open).");
  }
  SECTION("the chain's second hop counts from waiting_since, cumulatively")
  {
    s.agents[1].online = false;  // bob: nobody in support either
    const Decision early = decide("skills", conversation(1, "sales", 821), s);  // waited 179 s
    CHECK_FALSE(early.agent_id.has_value());
    CHECK(early.why == "nobody: no agent of sales or support is eligible, and the overflow to general opens after "
                       "180 s of waiting (waited 179 s).");
    const Decision later = decide("skills", conversation(1, "sales", 820), s);  // waited 180 s
    CHECK(later.agent == "cid");
    CHECK(verdict(later, "cid").reason == "0 open (overflow group general)");
    CHECK(later.why.starts_with("cid wins by skills overflow: no agent of sales or support was eligible and the "
                                "conversation waited 180 s (overflow to general after 180 s)"));
  }
  SECTION("a group without a threshold overflows at once")
  {
    s.groups[0].overflow_after_s.reset();
    CHECK(decide("skills", conversation(1, "sales", 1000), s).agent == "bob");
  }
  SECTION("a group without overflow: nobody")
  {
    s.groups[0].overflow_to.clear();
    const Decision d = decide("skills", conversation(1, "sales", 0), s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.why == "nobody: every online agent of group sales is at cap.");
  }
  SECTION("an overflow group that does not exist ends the chain")
  {
    s.groups[0].overflow_to = "nowhere";
    const Decision d = decide("skills", conversation(1, "sales", 0), s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.why == "nobody: every online agent of group sales is at cap, and the overflow group nowhere of sales "
                   "does not exist.");
  }
  SECTION("other policies never overflow")
  {
    CHECK_FALSE(decide("least-busy", conversation(1, "sales", 0), s).agent_id.has_value());
  }
}

TEST_CASE("routing::skills: an overflow cycle stops", "[routing]")
{
  Scenario s;
  s.now = 1000;
  s.agents = {agent(1, "ann").skills({"a"}).offline(), agent(2, "bob").skills({"b"}).offline(), agent(3, "cid")};

  SECTION("two groups overflowing into each other")
  {
    s.groups = {group("ga", {"a"}, "gb", 10), group("gb", {"b"}, "ga", 10)};
    const Decision d = decide("skills", conversation(1, "ga", 0), s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.why == "nobody: no agent of ga or gb is eligible, and the overflow from gb leads back to ga, so the "
                   "chain stops.");
  }
  SECTION("a group overflowing into itself")
  {
    s.groups = {group("ga", {"a"}, "ga", 0)};
    const Decision d = decide("skills", conversation(1, "ga", 0), s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.why.ends_with("the overflow from ga leads back to ga, so the chain stops."));
  }
  SECTION("a cycle behind the first hop still reaches a later group")
  {
    s.groups = {group("ga", {"a"}, "gb", 10), group("gb", {"b"}, "gc", 10), group("gc", {}, "gb", 10)};
    CHECK(decide("skills", conversation(1, "ga", 0), s).agent == "cid");
  }
}

TEST_CASE("routing::skills: without a group or with an unknown one", "[routing]")
{
  Scenario s = floor_with_chain();
  SECTION("no group: least-busy over everyone")
  {
    const Decision d = decide("skills", conversation(1), s);
    CHECK(d.agent == "cid");
    CHECK(d.why == "cid wins by skills: the conversation has no group, so least-busy over every agent: the fewest "
                   "open conversations (0 open).");
  }
  SECTION("an unknown group: nobody")
  {
    const Decision d = decide("skills", conversation(1, "vip"), s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.why == "nobody: group vip does not exist.");
  }
}

}  // namespace routing_test_skills
