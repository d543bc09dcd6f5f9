#include <svc/workflow/floor.hpp>

#include <algorithm>

#include <svc/workflow/assign.hpp>

namespace svc::workflow {

Result<FloorSnapshot>
read_floor(store::Store& store, UnixTime now)
{
  SVC_TRY(agents, store.team().agents());
  SVC_TRY(groups, store.team().groups());
  FloorSnapshot floor;
  floor.now = static_cast<double>(now);
  for (const auto& a : agents) {
    routing::Agent r;
    r.id = a.id;
    r.name = a.name;
    r.skills = a.skills;
    r.max_chats = a.max_chats;
    r.online = a.status == "online";
    r.open = a.open;
    if (a.last_assigned_at)
      r.last_assigned_at = static_cast<double>(*a.last_assigned_at);
    floor.agents.push_back(std::move(r));
  }
  for (const auto& g : groups) {
    routing::Group r;
    r.name = g.name;
    r.skills = g.skills;
    r.overflow_to = g.overflow_to;
    if (g.overflow_after_s)
      r.overflow_after_s = static_cast<double>(*g.overflow_after_s);
    floor.groups.push_back(std::move(r));
  }
  return floor;
}

routing::Conversation
to_routing(const store::RoutingFacts& facts, UnixTime now)
{
  routing::Conversation c;
  c.id = facts.conversation_id;
  c.group = facts.group;
  c.waiting_since = static_cast<double>(facts.waiting_since.value_or(now));
  c.vip = std::find(facts.contact_tags.begin(), facts.contact_tags.end(), k_vip_tag) != facts.contact_tags.end();
  c.last_served_by = facts.last_served_by;
  return c;
}

} // namespace svc::workflow
