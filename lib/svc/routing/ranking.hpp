// The orders policies rank eligible agents by, and the explanation of a ranked choice. Every order is
// total: it ends at the lower id, so the same floor always gives the same winner.
//   round-robin  least recently assigned (never assigned first), then lower id
//   least-busy   fewest open, then least recently assigned, then lower id
//   idle-rate    lowest open/max_chats, then least recently assigned, then lower id
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include <svc/routing/eligibility.hpp>
#include <svc/routing/policy.hpp>

namespace svc::routing {

enum class Rank { round_robin, least_busy, idle_rate };

// What an agent is ranked by, in order: the share open/max_chats (compared exactly, by
// cross-multiplying; least-busy counts open only, round-robin nothing), then the last assignment
// (never assigned: before any time), then the id. AgentIndex keeps these per agent so that its heaps
// compare without reaching into the Agent.
struct RankKey {
  std::int64_t open = 0;
  std::int64_t max_chats = 1;
  double recency = 0;
  std::int64_t id = 0;
};

inline RankKey
rank_key(const Agent& a, Rank rank)
{
  const double recency = a.last_assigned_at ? *a.last_assigned_at : -std::numeric_limits<double>::infinity();
  switch (rank) {
  case Rank::round_robin:
    return {0, 1, recency, a.id};
  case Rank::least_busy:
    return {a.open, 1, recency, a.id};
  case Rank::idle_rate:
    return {a.open, a.max_chats, recency, a.id};
  }
  return {};
}

inline bool
key_before(const RankKey& a, const RankKey& b)
{
  const std::int64_t x = a.open * b.max_chats, y = b.open * a.max_chats;
  if (x != y)
    return x < y;
  if (a.recency != b.recency)
    return a.recency < b.recency;
  return a.id < b.id;
}

// true when `a` goes before `b` (both eligible, so max_chats > 0): the orders in the header comment.
inline bool
ranks_before(const Agent& a, const Agent& b, Rank rank)
{
  return key_before(rank_key(a, rank), rank_key(b, rank));
}

// The index of the first eligible agent in `rank` order, -1 when nobody is eligible. No allocation.
int best(std::span<const Agent> agents, const Scope& scope, Rank rank);

// The figure an agent is ranked by: "2 open", "ratio 0.04 (2/50)", "last assigned 120 s ago",
// "never assigned".
std::string figure(const Agent& agent, Rank rank, double now);

// The rule that makes a winner win, for the why: "the fewest open conversations".
std::string_view rule(Rank rank);

// When other eligible agents tie with the winner on the rank's first figure, how the tie was broken:
// "; the tie with carol goes to the least recently assigned" or "; the tie with carol goes to the
// lower id"; "" without a tie.
std::string tie_note(std::span<const Agent> agents, const Scope& scope, Rank rank, int winner);

// Every agent's verdict, in floor order: the exclusion, or the rank's figure.
std::vector<Candidate> ranked_candidates(const Floor& floor, const Scope& scope, Rank rank);

// Why agents[winner] won, to follow "bob wins by least-busy: " or "bob wins with ": "the fewest open
// conversations in group sales (2 open)" plus any tie_note; no full stop.
std::string ranked_reason(const Floor& floor, const Scope& scope, Rank rank, int winner);

// Answers what a policy asks of the floor (Policy::pick): the best eligible agent of a scope in a
// rank's order, exactly as best() above, and an agent by name. ScanRanker scans the floor on every
// question (assign); AgentIndex (agent_index.hpp) keeps the answers up to date as the floor changes
// (simulate).
class Ranker
{
public:
  virtual ~Ranker() = default;
  virtual int best(const Scope& scope, Rank rank) const = 0;
  // The index of the agent called `name`, -1 when there is none.
  virtual int agent_named(std::string_view name) const = 0;
};

class ScanRanker final : public Ranker
{
public:
  explicit ScanRanker(std::span<const Agent> agents) : m_agents(agents) {}
  int best(const Scope& scope, Rank rank) const override { return routing::best(m_agents, scope, rank); }
  int agent_named(std::string_view name) const override;

private:
  std::span<const Agent> m_agents;
};

// The whole decision of a policy that ranks the eligible agents by one order (round-robin,
// least-busy, idle-rate, priority): why = "bob wins by least-busy: the fewest open conversations (2
// open)." or "nobody: no agent is online." Without explain, the policy's pick() over a scan.
Decision ranked_choice(const Policy& policy,
                       Rank rank,
                       const Conversation& conversation,
                       const Floor& floor,
                       bool explain);

} // namespace svc::routing
