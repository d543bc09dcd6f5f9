// sticky: a returning contact goes back to the agent who served it last (last_served_by), when that
// agent is eligible; otherwise least-busy decides, and the why says why the sticky agent was skipped.
#include <fmt/format.h>

#include <svc/routing/policies.hpp>
#include <svc/routing/ranking.hpp>

namespace svc::routing {

namespace {

// Why the sticky agent was not taken: "no agent served this contact before", "alice served this
// contact last but is offline".
std::string
skipped(const Conversation& conversation, const Floor& floor, const Scope& scope, int sticky)
{
  if (conversation.last_served_by.empty())
    return "no agent served this contact before";
  if (sticky < 0)
    return fmt::format("{} served this contact last but is not an agent here", conversation.last_served_by);
  return fmt::format("{} served this contact last but is {}", conversation.last_served_by,
                     exclusion(floor.agents[static_cast<std::size_t>(sticky)], scope));
}

class Sticky final : public Policy
{
public:
  std::string_view name() const override { return "sticky"; }

  int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const override
  {
    const Scope scope = scope_of(conversation, floor.groups);
    const int sticky = ranker.agent_named(conversation.last_served_by);
    if (sticky >= 0 && eligible(floor.agents[static_cast<std::size_t>(sticky)], scope))
      return sticky;
    return ranker.best(scope, Rank::least_busy);
  }

  Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const override
  {
    const ScanRanker scan(floor.agents);
    if (!explain)
      return decision_for(floor.agents, pick(conversation, floor, scan));

    const Scope scope = scope_of(conversation, floor.groups);
    const int sticky = scan.agent_named(conversation.last_served_by);
    const bool stuck = sticky >= 0 && eligible(floor.agents[static_cast<std::size_t>(sticky)], scope);
    const int winner = stuck ? sticky : best(floor.agents, scope, Rank::least_busy);
    Decision d = decision_for(floor.agents, winner);
    d.candidates = ranked_candidates(floor, scope, Rank::least_busy);
    if (stuck) {
      d.candidates[static_cast<std::size_t>(sticky)].reason = "served this contact last";
      d.why = fmt::format("{} wins by sticky: {} served this contact last.", d.agent, d.agent);
    } else if (winner >= 0) {
      d.why = fmt::format("{}, so sticky fell back to least-busy: {} wins with {}.",
                          skipped(conversation, floor, scope, sticky), d.agent,
                          ranked_reason(floor, scope, Rank::least_busy, winner));
    } else {
      d.why = fmt::format("nobody: {}, and the least-busy fallback found nobody either: {}.",
                          skipped(conversation, floor, scope, sticky), nobody_reason(floor.agents, scope));
    }
    return d;
  }
};

} // namespace

std::unique_ptr<Policy>
make_sticky()
{
  return std::make_unique<Sticky>();
}

} // namespace svc::routing
