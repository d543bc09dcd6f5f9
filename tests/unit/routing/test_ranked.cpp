// round-robin, least-busy and idle-rate: the winner on a fixed floor and every tie-break.
#include "routing_test_util.hpp"

namespace routing_test_ranked {

using namespace svc::routing;
using namespace svc::routing::test;

TEST_CASE("routing::round-robin", "[routing]")
{
  Scenario s;
  s.now = 1000;

  SECTION("the least recently assigned wins, whatever its load")
  {
    s.agents = {agent(1, "ann").assigned_at(950), agent(2, "bob").assigned_at(880).open(9),
                agent(3, "cid").assigned_at(990)};
    const Decision d = decide("round-robin", conversation(1), s);
    CHECK(d.agent == "bob");
    CHECK(d.agent_id == 2);
    CHECK(verdict(d, "ann").reason == "last assigned 50 s ago");
    CHECK(verdict(d, "bob").reason == "last assigned 120 s ago");
    CHECK(d.why == "bob wins by round-robin: the least recently assigned (last assigned 120 s ago).");
  }
  SECTION("never assigned goes first")
  {
    s.agents = {agent(1, "ann").assigned_at(0), agent(2, "bob")};
    const Decision d = decide("round-robin", conversation(1), s);
    CHECK(d.agent == "bob");
    CHECK(verdict(d, "bob").reason == "never assigned");
  }
  SECTION("a tie goes to the lower id, not to the floor order")
  {
    s.agents = {agent(7, "gus").assigned_at(500), agent(3, "cid").assigned_at(500), agent(5, "eli").assigned_at(600)};
    const Decision d = decide("round-robin", conversation(1), s);
    CHECK(d.agent == "cid");
    CHECK(d.why == "cid wins by round-robin: the least recently assigned (last assigned 500 s ago); "
                   "the tie with gus goes to the lower id.");
  }
  SECTION("two never assigned: the lower id")
  {
    s.agents = {agent(9, "ivy"), agent(4, "dan"), agent(1, "ann").assigned_at(10)};
    CHECK(decide("round-robin", conversation(1), s).agent == "dan");
  }
}

TEST_CASE("routing::least-busy", "[routing]")
{
  Scenario s;
  s.now = 1000;

  SECTION("the fewest open conversations wins")
  {
    s.agents = {agent(1, "ann").open(3), agent(2, "bob").open(1).assigned_at(999), agent(3, "cid").open(2)};
    const Decision d = decide("least-busy", conversation(1), s);
    CHECK(d.agent == "bob");
    CHECK(verdict(d, "ann").reason == "3 open");
    CHECK(verdict(d, "bob").reason == "1 open");
    CHECK(d.why == "bob wins by least-busy: the fewest open conversations (1 open).");
  }
  SECTION("a tie on open goes to the least recently assigned")
  {
    s.agents = {agent(1, "ann").open(1).assigned_at(900), agent(2, "bob").open(1).assigned_at(800),
                agent(3, "cid").open(2)};  // never assigned, but busier
    const Decision d = decide("least-busy", conversation(1), s);
    CHECK(d.agent == "bob");
    CHECK(d.why == "bob wins by least-busy: the fewest open conversations (1 open); "
                   "the tie with ann goes to the least recently assigned.");
  }
  SECTION("never assigned wins a tie on open")
  {
    s.agents = {agent(1, "ann").open(1).assigned_at(100), agent(2, "bob").open(1)};
    CHECK(decide("least-busy", conversation(1), s).agent == "bob");
  }
  SECTION("a tie on open and last assignment goes to the lower id")
  {
    s.agents = {agent(8, "hal").open(1).assigned_at(700), agent(6, "fay").open(1).assigned_at(700),
                agent(2, "bob").open(1).assigned_at(600).offline()};
    const Decision d = decide("least-busy", conversation(1), s);
    CHECK(d.agent == "fay");
    CHECK(d.why == "fay wins by least-busy: the fewest open conversations (1 open); "
                   "the tie with hal goes to the lower id.");
  }
  SECTION("the why names the group")
  {
    s.groups = {group("sales", {"billing"})};
    s.agents = {agent(1, "ann"), agent(2, "bob").open(4).skills({"billing"})};
    const Decision d = decide("least-busy", conversation(1, "sales"), s);
    CHECK(d.agent == "bob");
    CHECK(d.why == "bob wins by least-busy: the fewest open conversations in group sales (4 open).");
  }
}

TEST_CASE("routing::idle-rate", "[routing]")
{
  Scenario s;
  s.now = 1000;

  SECTION("the lowest open/max ratio wins, not the fewest open")
  {
    s.agents = {agent(1, "ann").open(1).cap(10), agent(2, "bob").open(2).cap(50), agent(3, "cid").open(0).cap(0)};
    const Decision d = decide("idle-rate", conversation(1), s);
    CHECK(d.agent == "bob");
    CHECK(verdict(d, "ann").reason == "ratio 0.10 (1/10)");
    CHECK(verdict(d, "bob").reason == "ratio 0.04 (2/50)");
    CHECK(verdict(d, "cid").reason == "at cap (0/0)");
    CHECK(d.why == "bob wins by idle-rate: the lowest share of its max chats in use (ratio 0.04 (2/50)).");
    CHECK(decide("least-busy", conversation(1), s).agent == "ann");  // the same floor ranks otherwise
  }
  SECTION("equal ratios tie exactly and go to the least recently assigned")
  {
    s.agents = {agent(1, "ann").open(1).cap(3).assigned_at(500), agent(2, "bob").open(2).cap(6).assigned_at(400)};
    const Decision d = decide("idle-rate", conversation(1), s);
    CHECK(d.agent == "bob");
    CHECK(d.why == "bob wins by idle-rate: the lowest share of its max chats in use (ratio 0.33 (2/6)); "
                   "the tie with ann goes to the least recently assigned.");
  }
  SECTION("equal ratios and last assignment: the lower id")
  {
    s.agents = {agent(5, "eli").open(3).cap(30), agent(4, "dan").open(1).cap(10)};
    CHECK(decide("idle-rate", conversation(1), s).agent == "dan");
  }
}

}  // namespace routing_test_ranked
