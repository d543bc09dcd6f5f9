// priority: VIP conversations are served first (then the oldest waiting); each goes to the least-busy
// eligible agent. The priority is in the backlog order, not in the choice of agent.
#include <svc/routing/policies.hpp>
#include <svc/routing/ranking.hpp>

namespace svc::routing {

namespace {

class Priority final : public Policy
{
public:
  std::string_view name() const override { return "priority"; }
  Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const override
  {
    return ranked_choice(*this, Rank::least_busy, conversation, floor, explain);
  }
  int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const override
  {
    return ranker.best(scope_of(conversation, floor.groups), Rank::least_busy);
  }
  bool serves_before(const Conversation& a, const Conversation& b) const override
  {
    if (a.vip != b.vip)
      return a.vip;
    return oldest_first(a, b);
  }
};

} // namespace

std::unique_ptr<Policy>
make_priority()
{
  return std::make_unique<Priority>();
}

} // namespace svc::routing
