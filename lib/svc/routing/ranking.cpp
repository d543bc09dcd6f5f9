#include <svc/routing/ranking.hpp>

#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace svc::routing {

namespace {

template <class T>
int
three_way(const T& a, const T& b)
{
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Least recently assigned first; never assigned goes before any time.
int
by_recency(const Agent& a, const Agent& b)
{
  if (a.last_assigned_at.has_value() != b.last_assigned_at.has_value())
    return a.last_assigned_at.has_value() ? 1 : -1;
  if (!a.last_assigned_at)
    return 0;
  return three_way(*a.last_assigned_at, *b.last_assigned_at);
}

// The rank's first figure. The idle ratio is compared by cross-multiplying, exactly, rather than as
// doubles: 1/3 and 2/6 tie and go on to the next rule.
int
by_first_figure(const Agent& a, const Agent& b, Rank rank)
{
  switch (rank) {
  case Rank::round_robin:
    return by_recency(a, b);
  case Rank::least_busy:
    return three_way(a.open, b.open);
  case Rank::idle_rate:
    return three_way(std::int64_t{a.open} * b.max_chats, std::int64_t{b.open} * a.max_chats);
  }
  return 0;
}

// Everything before the id: for round-robin the first figure is the recency already.
int
by_figures(const Agent& a, const Agent& b, Rank rank)
{
  if (int c = by_first_figure(a, b, rank))
    return c;
  return rank == Rank::round_robin ? 0 : by_recency(a, b);
}

std::string
names_of(const std::vector<const Agent*>& agents)
{
  constexpr std::size_t shown = 3;
  std::string out;
  for (std::size_t i = 0; i < agents.size() && i < shown; ++i)
    out += (i ? ", " : "") + agents[i]->name;
  if (agents.size() > shown)
    out += fmt::format(" and {} more", agents.size() - shown);
  return out;
}

} // namespace

int
best(std::span<const Agent> agents, const Scope& scope, Rank rank)
{
  int winner = -1;
  for (std::size_t i = 0; i < agents.size(); ++i) {
    if (!eligible(agents[i], scope))
      continue;
    if (winner < 0 || ranks_before(agents[i], agents[static_cast<std::size_t>(winner)], rank))
      winner = static_cast<int>(i);
  }
  return winner;
}

std::string
figure(const Agent& agent, Rank rank, double now)
{
  switch (rank) {
  case Rank::least_busy:
    return fmt::format("{} open", agent.open);
  case Rank::idle_rate:
    return fmt::format("ratio {:.2f} ({}/{})", static_cast<double>(agent.open) / agent.max_chats, agent.open,
                       agent.max_chats);
  case Rank::round_robin:
    if (!agent.last_assigned_at)
      return "never assigned";
    return fmt::format("last assigned {:.0f} s ago", now - *agent.last_assigned_at);
  }
  return {};
}

std::string_view
rule(Rank rank)
{
  switch (rank) {
  case Rank::round_robin:
    return "the least recently assigned";
  case Rank::least_busy:
    return "the fewest open conversations";
  case Rank::idle_rate:
    return "the lowest share of its max chats in use";
  }
  return {};
}

std::string
tie_note(std::span<const Agent> agents, const Scope& scope, Rank rank, int winner)
{
  if (winner < 0)
    return {};
  const Agent& w = agents[static_cast<std::size_t>(winner)];
  std::vector<const Agent*> tied_first;  // equal on the first figure
  std::vector<const Agent*> tied_all;    // equal on every figure: only the id tells them apart
  for (std::size_t i = 0; i < agents.size(); ++i) {
    const Agent& a = agents[i];
    if (static_cast<int>(i) == winner || !eligible(a, scope) || by_first_figure(a, w, rank) != 0)
      continue;
    tied_first.push_back(&a);
    if (by_figures(a, w, rank) == 0)
      tied_all.push_back(&a);
  }
  if (tied_first.empty())
    return {};
  if (!tied_all.empty())
    return fmt::format("; the tie with {} goes to the lower id", names_of(tied_all));
  return fmt::format("; the tie with {} goes to the least recently assigned", names_of(tied_first));
}

std::vector<Candidate>
ranked_candidates(const Floor& floor, const Scope& scope, Rank rank)
{
  std::vector<Candidate> out;
  out.reserve(floor.agents.size());
  for (const auto& a : floor.agents) {
    Candidate c{a.name, false, exclusion(a, scope)};
    if (c.reason.empty()) {
      c.eligible = true;
      c.reason = figure(a, rank, floor.now);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string
ranked_reason(const Floor& floor, const Scope& scope, Rank rank, int winner)
{
  const Agent& w = floor.agents[static_cast<std::size_t>(winner)];
  std::string where = scope.group ? fmt::format(" in group {}", scope.group->name) : std::string{};
  return fmt::format("{}{} ({}){}", rule(rank), where, figure(w, rank, floor.now),
                     tie_note(floor.agents, scope, rank, winner));
}

int
ScanRanker::agent_named(std::string_view name) const
{
  if (name.empty())
    return -1;
  for (std::size_t i = 0; i < m_agents.size(); ++i)
    if (m_agents[i].name == name)
      return static_cast<int>(i);
  return -1;
}

Decision
ranked_choice(const Policy& policy,
              Rank rank,
              const Conversation& conversation,
              const Floor& floor,
              bool explain)
{
  if (!explain)
    return decision_for(floor.agents, policy.pick(conversation, floor, ScanRanker(floor.agents)));
  const Scope scope = scope_of(conversation, floor.groups);
  const int winner = best(floor.agents, scope, rank);
  Decision d = decision_for(floor.agents, winner);
  d.candidates = ranked_candidates(floor, scope, rank);
  if (winner < 0)
    d.why = fmt::format("nobody: {}.", nobody_reason(floor.agents, scope));
  else
    d.why = fmt::format("{} wins by {}: {}.", d.agent, policy.name(), ranked_reason(floor, scope, rank, winner));
  return d;
}

} // namespace svc::routing
