// sticky: back to the last agent when eligible, else least-busy with the reason it was skipped.
#include "routing_test_util.hpp"

namespace routing_test_sticky {

using namespace svc::routing;
using namespace svc::routing::test;

TEST_CASE("routing::sticky", "[routing]")
{
  Scenario s;
  s.groups = {group("sales", {"billing"})};
  s.agents = {agent(1, "ann").open(1).skills({"billing"}), agent(2, "bob").open(6).cap(8).skills({"billing"}),
              agent(3, "cid").open(2)};
  Conversation c = conversation(1);
  c.last_served_by = "bob";

  SECTION("the last agent wins although busier")
  {
    const Decision d = decide("sticky", c, s);
    CHECK(d.agent == "bob");
    CHECK(d.agent_id == 2);
    CHECK(verdict(d, "bob").reason == "served this contact last");
    CHECK(verdict(d, "ann").reason == "1 open");
    CHECK(verdict(d, "ann").eligible);
    CHECK(d.why == "bob wins by sticky: bob served this contact last.");
  }
  SECTION("offline: falls back to least-busy")
  {
    s.agents[1].online = false;
    const Decision d = decide("sticky", c, s);
    CHECK(d.agent == "ann");
    CHECK(verdict(d, "bob").reason == "offline");
    CHECK(d.why == "bob served this contact last but is offline, so sticky fell back to least-busy: "
                   "ann wins with the fewest open conversations (1 open).");
  }
  SECTION("at cap: falls back")
  {
    s.agents[1].open = 8;
    const Decision d = decide("sticky", c, s);
    CHECK(d.agent == "ann");
    CHECK(d.why == "bob served this contact last but is at cap (8/8), so sticky fell back to least-busy: "
                   "ann wins with the fewest open conversations (1 open).");
  }
  SECTION("not in the conversation's group: falls back within the group")
  {
    c.last_served_by = "cid";
    c.group = "sales";
    s.agents[0].open = 7;
    const Decision d = decide("sticky", c, s);
    CHECK(d.agent == "bob");
    CHECK(d.why == "cid served this contact last but is not in group sales (lacks skill: billing), so sticky fell "
                   "back to least-busy: bob wins with the fewest open conversations in group sales (6 open).");
  }
  SECTION("the last agent is not on the floor")
  {
    c.last_served_by = "zed";
    const Decision d = decide("sticky", c, s);
    CHECK(d.agent == "ann");
    CHECK(d.why.starts_with("zed served this contact last but is not an agent here, so sticky fell back"));
  }
  SECTION("no last agent")
  {
    c.last_served_by.clear();
    const Decision d = decide("sticky", c, s);
    CHECK(d.agent == "ann");
    CHECK(d.why.starts_with("no agent served this contact before, so sticky fell back to least-busy: ann wins"));
  }
  SECTION("fallback finds nobody")
  {
    for (auto& a : s.agents)
      a.online = false;
    const Decision d = decide("sticky", c, s);
    CHECK_FALSE(d.agent_id.has_value());
    CHECK(d.why == "nobody: bob served this contact last but is offline, and the least-busy fallback found "
                   "nobody either: no agent is online.");
  }
}

}  // namespace routing_test_sticky
