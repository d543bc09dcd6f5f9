// Over randomized floors (fixed seed): explain=false picks the same agent as explain=true, the
// explanation is consistent with the pick, and the ranked policies agree with a plain reference sort.
#include "routing_test_util.hpp"

#include <algorithm>
#include <random>
#include <tuple>

namespace routing_test_property {

using namespace svc::routing;
using namespace svc::routing::test;

namespace {

const std::vector<std::string> k_skills{"a", "b", "c"};
const std::vector<std::string> k_group_names{"g0", "g1", "g2", "g3"};

struct Random {
  std::mt19937 rng;
  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  std::vector<std::string> skills()
  {
    std::vector<std::string> out;
    for (const auto& s : k_skills)
      if (chance(45))
        out.push_back(s);
    return out;
  }
};

// Few distinct values, so that ties on every figure are common.
Scenario
random_floor(Random& r)
{
  Scenario s;
  s.now = 1000;
  const int agents = r.between(0, 7);
  for (int i = 0; i < agents; ++i) {
    Agent a;
    a.id = 100 - 7 * i + r.between(0, 3);  // ids not in floor order
    a.name = "agent" + std::to_string(i);
    a.skills = r.skills();
    a.max_chats = r.between(0, 4);
    a.online = r.chance(75);
    a.open = r.between(0, a.max_chats + 1);
    if (r.chance(70))
      a.last_assigned_at = 100.0 * r.between(0, 4);
    s.agents.push_back(a);
  }
  const int groups = r.between(0, 4);
  for (int i = 0; i < groups; ++i) {
    Group g;
    g.name = k_group_names[static_cast<std::size_t>(i)];
    g.skills = r.skills();
    if (r.chance(60))
      g.overflow_to = r.chance(85) ? k_group_names[static_cast<std::size_t>(r.between(0, 3))] : "missing";
    if (r.chance(80))
      g.overflow_after_s = 100.0 * r.between(0, 3);
    s.groups.push_back(g);
  }
  return s;
}

Conversation
random_conversation(Random& r, const Scenario& s)
{
  Conversation c;
  c.id = r.between(1, 1000);
  const int pick = r.between(0, 5);
  c.group = pick == 0 ? "" : (pick == 5 ? "unknown" : k_group_names[static_cast<std::size_t>(pick - 1)]);
  c.waiting_since = s.now - 50.0 * r.between(0, 12);
  c.vip = r.chance(30);
  const int served = r.between(0, 9);
  if (served < static_cast<int>(s.agents.size()))
    c.last_served_by = s.agents[static_cast<std::size_t>(served)].name;
  else if (served == 9)
    c.last_served_by = "gone";
  return c;
}

// Eligibility written out again, independently of eligibility.cpp.
bool
reference_eligible(const Agent& a, const Conversation& c, const Scenario& s)
{
  if (!a.online || a.open >= a.max_chats)
    return false;
  if (c.group.empty())
    return true;
  auto g = std::find_if(s.groups.begin(), s.groups.end(), [&](const Group& x) { return x.name == c.group; });
  if (g == s.groups.end())
    return false;
  for (const auto& skill : g->skills)
    if (std::count(a.skills.begin(), a.skills.end(), skill) == 0)
      return false;
  return true;
}

// The winner of a ranked policy by sorting on the documented keys.
std::optional<std::int64_t>
reference_winner(std::string_view policy, const Conversation& c, const Scenario& s)
{
  using Key = std::tuple<double, double, std::int64_t>;
  std::vector<Key> keys;
  for (const auto& a : s.agents) {
    if (!reference_eligible(a, c, s))
      continue;
    const double recency = a.last_assigned_at.value_or(-1e300);  // never assigned first
    double first = recency;
    if (policy == "least-busy" || policy == "priority")
      first = a.open;
    else if (policy == "idle-rate")
      first = static_cast<double>(a.open) / a.max_chats;
    keys.emplace_back(first, policy == "round-robin" ? 0.0 : recency, a.id);
  }
  if (keys.empty())
    return std::nullopt;
  return std::get<2>(*std::min_element(keys.begin(), keys.end()));
}

} // namespace

TEST_CASE("routing::property: explain does not change the pick", "[routing]")
{
  Random r{std::mt19937(20240611)};
  int decided = 0;
  int nobody = 0;
  for (int round = 0; round < 3000; ++round) {
    const Scenario s = random_floor(r);
    const Conversation c = random_conversation(r, s);
    for (const auto name : policy_names()) {
      auto p = policy(name);
      const Decision quick = p->choose(c, s.floor(), false);
      const Decision full = p->choose(c, s.floor(), true);
      INFO("round " << round << ", policy " << name << ": " << full.why);
      REQUIRE(quick.agent_id == full.agent_id);
      REQUIRE(quick.agent == full.agent);
      REQUIRE(quick.candidates.empty());
      REQUIRE(full.candidates.size() == s.agents.size());
      REQUIRE_FALSE(full.why.empty());
      for (std::size_t i = 0; i < s.agents.size(); ++i) {
        REQUIRE(full.candidates[i].agent == s.agents[i].name);
        REQUIRE_FALSE(full.candidates[i].reason.empty());
      }
      if (name == "round-robin" || name == "least-busy" || name == "idle-rate" || name == "priority") {
        REQUIRE(full.agent_id == reference_winner(name, c, s));
        for (std::size_t i = 0; i < s.agents.size(); ++i)
          REQUIRE(full.candidates[i].eligible == reference_eligible(s.agents[i], c, s));
      }
      if (!full.agent_id) {
        ++nobody;
        REQUIRE(full.why.starts_with("nobody: "));
        for (const auto& cand : full.candidates)
          REQUIRE_FALSE(cand.eligible);
        continue;
      }
      ++decided;
      REQUIRE(full.why.starts_with(full.agent + " ") == (name != "sticky" || full.agent == c.last_served_by));
      const auto winner = std::find_if(full.candidates.begin(), full.candidates.end(),
                                       [&](const Candidate& x) { return x.agent == full.agent; });
      REQUIRE(winner->eligible);
      // Every policy but round-robin and idle-rate ends at least-busy: no eligible agent has fewer open.
      if (name == "least-busy" || name == "priority" || name == "skills" ||
          (name == "sticky" && full.agent != c.last_served_by)) {
        const auto& w = s.agents[static_cast<std::size_t>(winner - full.candidates.begin())];
        for (std::size_t i = 0; i < s.agents.size(); ++i)
          if (full.candidates[i].eligible)
            REQUIRE(s.agents[i].open >= w.open);
      }
    }
  }
  // The generator must exercise both outcomes, or the property says little.
  CHECK(decided > 2000);
  CHECK(nobody > 2000);
}

}  // namespace routing_test_property
