// least-busy: the eligible agent with the fewest open conversations; ties by least recently assigned,
// then lower id.
#include <svc/routing/policies.hpp>
#include <svc/routing/ranking.hpp>

namespace svc::routing {

namespace {

class LeastBusy final : public Policy
{
public:
  std::string_view name() const override { return "least-busy"; }
  Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const override
  {
    return ranked_choice(*this, Rank::least_busy, conversation, floor, explain);
  }
  int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const override
  {
    return ranker.best(scope_of(conversation, floor.groups), Rank::least_busy);
  }
};

} // namespace

std::unique_ptr<Policy>
make_least_busy()
{
  return std::make_unique<LeastBusy>();
}

} // namespace svc::routing
