// Floors for the routing tests: agents built fluently, a Scenario that owns what a Floor points at,
// and `decide`, which runs a policy with explain and checks that without explain it picks the same.
#pragma once

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include <svc/routing/policy.hpp>

namespace svc::routing::test {

// An online agent with 0 of 50 open, never assigned, without skills, until told otherwise.
struct AgentBuilder {
  Agent a;
  AgentBuilder(std::int64_t id, std::string name)
  {
    a.id = id;
    a.name = std::move(name);
    a.online = true;
  }
  AgentBuilder& open(int n) { a.open = n; return *this; }
  AgentBuilder& cap(int n) { a.max_chats = n; return *this; }
  AgentBuilder& offline() { a.online = false; return *this; }
  AgentBuilder& assigned_at(double t) { a.last_assigned_at = t; return *this; }
  AgentBuilder& skills(std::vector<std::string> s) { a.skills = std::move(s); return *this; }
  operator Agent() const { return a; }
};

inline AgentBuilder
agent(std::int64_t id, std::string name)
{
  return AgentBuilder(id, std::move(name));
}

inline Group
group(std::string name,
      std::vector<std::string> skills,
      std::string overflow_to = "",
      std::optional<double> after = std::nullopt)
{
  return Group{std::move(name), std::move(skills), std::move(overflow_to), after};
}

inline Conversation
conversation(std::int64_t id, std::string group = "", double waiting_since = 0)
{
  Conversation c;
  c.id = id;
  c.group = std::move(group);
  c.waiting_since = waiting_since;
  return c;
}

struct Scenario {
  std::vector<Agent> agents;
  std::vector<Group> groups;
  double now = 1000;
  Floor floor() const { return Floor{agents, groups, now}; }
};

inline std::unique_ptr<Policy>
policy(std::string_view name)
{
  auto made = make_policy(name);
  REQUIRE(made.has_value());
  return std::move(*made);
}

// The decision with explain; the hot path (explain=false) must name the same agent and explain nothing.
inline Decision
decide(std::string_view policy_name, const Conversation& c, const Scenario& s)
{
  auto p = policy(policy_name);
  Decision quick = p->choose(c, s.floor(), false);
  Decision full = p->choose(c, s.floor(), true);
  CHECK(quick.agent_id == full.agent_id);
  CHECK(quick.agent == full.agent);
  CHECK(quick.candidates.empty());
  CHECK(quick.why.empty());
  REQUIRE(full.candidates.size() == s.agents.size());
  return full;
}

// The verdict on the agent called `name`.
inline const Candidate&
verdict(const Decision& d, std::string_view name)
{
  for (const auto& c : d.candidates)
    if (c.agent == name)
      return c;
  FAIL("no candidate " << name);
  throw;  // unreachable: FAIL throws
}

} // namespace svc::routing::test
