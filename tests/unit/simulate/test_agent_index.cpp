// routing::AgentIndex, the simulator's Ranker, against the scan that `svc assign --auto` uses: on
// random floors changed one agent at a time, every scope and rank gives the same best agent, and every
// policy picks the same agent through either.
#include <catch2/catch.hpp>

#include <limits>
#include <random>

#include <svc/routing/agent_index.hpp>
#include <svc/routing/policy.hpp>
#include <svc/routing/ranking.hpp>

namespace simulate_test_agent_index {

using namespace svc::routing;

namespace {

struct Random {
  std::mt19937 rng;
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool chance(int percent) { return between(1, 100) <= percent; }
};

std::vector<std::string>
skills(Random& r)
{
  std::vector<std::string> out;
  for (const char* s : {"a", "b", "c"})
    if (r.chance(50))
      out.emplace_back(s);
  return out;
}

} // namespace

TEST_CASE("routing::AgentIndex: the same answers as a scan, change after change", "[simulate][routing]")
{
  Random r{std::mt19937(424242)};
  const std::vector<std::string> policies(policy_names().begin(), policy_names().end());
  std::vector<std::unique_ptr<Policy>> made;
  for (const auto& name : policies) {
    auto policy = make_policy(name);
    REQUIRE(policy.has_value());
    made.push_back(std::move(policy.value()));
  }
  int compared = 0, found = 0;
  for (int round = 0; round < 60; ++round) {
    std::vector<Agent> agents(static_cast<std::size_t>(r.between(1, 12)));
    for (std::size_t i = 0; i < agents.size(); ++i) {
      Agent& a = agents[i];
      a.id = 50 - static_cast<std::int64_t>(3 * i) + r.between(0, 2);  // ids not in floor order
      a.name = "agent" + std::to_string(i);
      a.skills = skills(r);
      a.max_chats = r.between(1, 4);
      a.online = r.chance(80);
      a.open = r.between(0, a.max_chats);
    }
    std::vector<Group> groups;
    for (int g = 0; g < r.between(0, 3); ++g)
      groups.push_back(Group{"g" + std::to_string(g), skills(r), r.chance(50) ? "g0" : "", 30.0 * r.between(0, 2)});
    AgentIndex index(agents, groups);
    for (int step = 0; step < 200; ++step) {
      // One change to one agent, as the simulator makes them.
      const auto i = static_cast<std::size_t>(r.between(0, static_cast<int>(agents.size()) - 1));
      Agent& a = agents[i];
      switch (r.between(0, 3)) {
      case 0:
        if (a.open < a.max_chats) {
          ++a.open;
          a.last_assigned_at = 10.0 * r.between(0, 30);  // coarse, so that ties happen
        }
        break;
      case 1:
        if (a.open > 0)
          --a.open;
        break;
      case 2:
        a.online = !a.online;
        break;
      case 3:
        a.max_chats = r.between(1, 4);
        a.open = std::min(a.open, a.max_chats);
        break;
      }
      index.changed(static_cast<int>(i));

      std::vector<Scope> scopes{Scope{}, Scope{nullptr, true, "nope"}};
      for (const auto& g : groups)
        scopes.push_back(Scope::of_group(g));
      for (const auto& scope : scopes)
        for (Rank rank : {Rank::round_robin, Rank::least_busy, Rank::idle_rate}) {
          const int scanned = best(agents, scope, rank);
          REQUIRE(index.best(scope, rank) == scanned);
          ++compared;
          found += scanned >= 0 ? 1 : 0;
        }
      Conversation c;
      c.id = step;
      c.group = groups.empty() || r.chance(30) ? "" : groups[static_cast<std::size_t>(r.between(0, static_cast<int>(groups.size()) - 1))].name;
      c.waiting_since = 1000.0 - 10.0 * r.between(0, 10);
      c.last_served_by = r.chance(60) ? agents[static_cast<std::size_t>(r.between(0, static_cast<int>(agents.size()) - 1))].name : "";
      const Floor floor{agents, groups, 1000};
      for (std::size_t p = 0; p < made.size(); ++p) {
        INFO("policy " << policies[p]);
        const Decision d = made[p]->choose(c, floor, false);
        const int picked = made[p]->pick(c, floor, index);
        REQUIRE(d.agent_id.has_value() == (picked >= 0));
        if (picked >= 0)
          REQUIRE(*d.agent_id == agents[static_cast<std::size_t>(picked)].id);
      }
    }
  }
  CHECK(compared > 10000);
  CHECK(found > compared / 4);        // both outcomes are exercised
  CHECK(found < compared * 3 / 4);
}

TEST_CASE("routing::AgentIndex: a max_chats past what the keys were laid out for, and a floor too large for narrow keys",
          "[simulate][routing]")
{
  // Least-busy and round-robin keep open in the top bits of a 64-bit key, as many as the largest
  // max_chats needs: a larger one (here 1 -> 5 -> 1000 -> the largest int) lays the keys out again.
  // A floor whose stamps would not fit beside the largest open and the tie uses 128-bit keys instead.
  Random r{std::mt19937(99)};
  for (std::size_t size : {std::size_t{9}, std::size_t{9000}}) {
    std::vector<Agent> agents(size);
    for (std::size_t i = 0; i < agents.size(); ++i) {
      Agent& a = agents[i];
      a.id = static_cast<std::int64_t>(i + 1);
      a.name = "agent" + std::to_string(i);
      a.max_chats = 1;
      a.online = true;
    }
    if (size > 100)
      agents[5].max_chats = std::numeric_limits<int>::max();  // 31 bits of open and 14 of tie: too many for 64
    AgentIndex index(agents, {});
    double now = 0;
    const int grown[] = {5, 1000, std::numeric_limits<int>::max()};
    for (int step = 0; step < 600; ++step) {
      const auto i = static_cast<std::size_t>(r.between(0, 8));  // the first 9 agents change
      Agent& a = agents[i];
      if (step % 200 == 100)
        a.max_chats = grown[step / 200];
      if (r.chance(60) && a.open < a.max_chats) {
        a.open += 1 + (a.max_chats > 2000 ? 3000 * r.between(0, 1) : 0);  // open beyond 2^11, too
        a.open = std::min(a.open, a.max_chats);
        now += r.chance(30) ? 0.0 : 1.0;
        a.last_assigned_at = now;
      } else if (a.open > 0) {
        --a.open;
      }
      index.changed(static_cast<int>(i));
      for (Rank rank : {Rank::round_robin, Rank::least_busy, Rank::idle_rate})
        REQUIRE(index.best(Scope{}, rank) == best(agents, Scope{}, rank));
    }
  }
}

TEST_CASE("routing::AgentIndex: agent_named", "[simulate][routing]")
{
  std::vector<Agent> agents(3);
  agents[0].name = "ann";
  agents[1].name = "bob";
  agents[2].name = "cid";
  AgentIndex index(agents, {});
  CHECK(index.agent_named("bob") == 1);
  CHECK(index.agent_named("zed") == -1);
  CHECK(index.agent_named("") == -1);
  CHECK(ScanRanker(agents).agent_named("cid") == 2);
}

TEST_CASE("routing::AgentIndex: the simulator's changes on a larger floor, equal ids, near shares",
          "[simulate][routing]")
{
  // As the simulator changes a floor: the clock only moves forward (the index stamps assignments in
  // order), with now and then a step back (every stamp is redrawn). Equal ids go by floor order, as a
  // scan keeps the first; shares of large max_chats that differ by little must still rank exactly.
  Random r{std::mt19937(777)};
  std::vector<Agent> agents(70);
  for (std::size_t i = 0; i < agents.size(); ++i) {
    Agent& a = agents[i];
    a.id = static_cast<std::int64_t>(i % 23);  // equal ids
    a.name = "agent" + std::to_string(i);
    a.max_chats = i % 3 == 0 ? 1000000 - static_cast<int>(i) : r.between(1, 3);
    a.online = r.chance(90);
    a.open = r.between(0, std::min(a.max_chats, 3));
  }
  const std::vector<Group> groups;
  AgentIndex index(agents, groups);
  double now = 0;
  int compared = 0;
  for (int step = 0; step < 20000; ++step) {
    const auto i = static_cast<std::size_t>(r.between(0, static_cast<int>(agents.size()) - 1));
    Agent& a = agents[i];
    if (r.chance(50) && a.open < a.max_chats) {
      ++a.open;
      now += r.chance(20) ? 0.0 : 0.5 * r.between(1, 4);  // several assignments at one time, too
      a.last_assigned_at = r.chance(1) ? now - 100 : now;    // now and then back in time
    } else if (a.open > 0) {
      --a.open;
    } else {
      a.online = !a.online;
    }
    index.changed(static_cast<int>(i));
    for (Rank rank : {Rank::round_robin, Rank::least_busy, Rank::idle_rate}) {
      REQUIRE(index.best(Scope{}, rank) == best(agents, Scope{}, rank));
      ++compared;
    }
    int capacity = 0;
    for (const auto& ag : agents)
      capacity += has_capacity(ag) ? 1 : 0;
    REQUIRE(index.with_capacity() == capacity);
  }
  CHECK(compared == 60000);
}

}  // namespace simulate_test_agent_index
