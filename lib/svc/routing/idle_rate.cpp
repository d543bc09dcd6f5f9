// idle-rate: the lowest open/max_chats ratio, so an agent with a higher cap takes more; ties by least
// recently assigned, then lower id.
#include <svc/routing/policies.hpp>
#include <svc/routing/ranking.hpp>

namespace svc::routing {

namespace {

class IdleRate final : public Policy
{
public:
  std::string_view name() const override { return "idle-rate"; }
  Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const override
  {
    return ranked_choice(*this, Rank::idle_rate, conversation, floor, explain);
  }
  int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const override
  {
    return ranker.best(scope_of(conversation, floor.groups), Rank::idle_rate);
  }
};

} // namespace

std::unique_ptr<Policy>
make_idle_rate()
{
  return std::make_unique<IdleRate>();
}

} // namespace svc::routing
