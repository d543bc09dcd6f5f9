// round-robin: the least recently assigned eligible agent (never assigned goes first), ties by lower id.
#include <svc/routing/policies.hpp>
#include <svc/routing/ranking.hpp>

namespace svc::routing {

namespace {

class RoundRobin final : public Policy
{
public:
  std::string_view name() const override { return "round-robin"; }
  Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const override
  {
    return ranked_choice(*this, Rank::round_robin, conversation, floor, explain);
  }
  int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const override
  {
    return ranker.best(scope_of(conversation, floor.groups), Rank::round_robin);
  }
};

} // namespace

std::unique_ptr<Policy>
make_round_robin()
{
  return std::make_unique<RoundRobin>();
}

} // namespace svc::routing
