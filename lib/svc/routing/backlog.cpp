// The default backlog order; priority.cpp puts VIP conversations in front of it (serves_before).
#include <algorithm>

#include <svc/routing/policies.hpp>

namespace svc::routing {

bool
oldest_first(const Conversation& a, const Conversation& b)
{
  if (a.waiting_since != b.waiting_since)
    return a.waiting_since < b.waiting_since;
  return a.id < b.id;
}

bool
Policy::serves_before(const Conversation& a, const Conversation& b) const
{
  return oldest_first(a, b);
}

void
Policy::order_backlog(std::vector<Conversation>& backlog) const
{
  std::stable_sort(backlog.begin(), backlog.end(),
                   [this](const Conversation& a, const Conversation& b) { return serves_before(a, b); });
}

} // namespace svc::routing
