#include <svc/routing/agent_index.hpp>

#include <utility>

namespace svc::routing {

AgentIndex::AgentIndex(std::span<const Agent> agents, std::span<const Group> groups)
  : m_agents(agents), m_groups(groups), m_heap_of(groups.size() + 1, {-1, -1, -1})
{
  m_members.reserve(groups.size());
  for (const auto& g : groups) {
    std::vector<std::uint8_t> in(agents.size());
    for (std::size_t i = 0; i < agents.size(); ++i)
      in[i] = in_group(agents[i], g) ? 1 : 0;
    m_members.push_back(std::move(in));
  }
  for (std::size_t i = 0; i < agents.size(); ++i)
    m_by_name.emplace(agents[i].name, static_cast<int>(i));  // the first of equal names, as a scan finds
}

bool
AgentIndex::member(int scope, int agent) const
{
  return scope == 0 || m_members[static_cast<std::size_t>(scope - 1)][static_cast<std::size_t>(agent)] != 0;
}

void
AgentIndex::sift_up(Heap& h, std::size_t at)
{
  const Item item = h.items[at];
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (!key_before(item.key, h.items[parent].key))
      break;
    h.items[at] = h.items[parent];
    h.position[static_cast<std::size_t>(h.items[at].agent)] = static_cast<int>(at);
    at = parent;
  }
  h.items[at] = item;
  h.position[static_cast<std::size_t>(item.agent)] = static_cast<int>(at);
}

void
AgentIndex::sift_down(Heap& h, std::size_t at)
{
  const Item item = h.items[at];
  const std::size_t n = h.items.size();
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child >= n)
      break;
    if (child + 1 < n && key_before(h.items[child + 1].key, h.items[child].key))
      ++child;
    if (!key_before(h.items[child].key, item.key))
      break;
    h.items[at] = h.items[child];
    h.position[static_cast<std::size_t>(h.items[at].agent)] = static_cast<int>(at);
    at = child;
  }
  h.items[at] = item;
  h.position[static_cast<std::size_t>(item.agent)] = static_cast<int>(at);
}

void
AgentIndex::place(Heap& h, int agent) const
{
  const auto a = static_cast<std::size_t>(agent);
  const bool wanted = has_capacity(m_agents[a]);  // membership of the scope is checked by the caller
  const int at = h.position[a];
  if (at < 0) {
    if (!wanted)
      return;
    h.items.push_back({rank_key(m_agents[a], h.rank), agent});
    sift_up(h, h.items.size() - 1);
    return;
  }
  const auto pos = static_cast<std::size_t>(at);
  if (!wanted) {  // take it out: the last item fills its place and moves whichever way it must
    h.position[a] = -1;
    const Item last = h.items.back();
    h.items.pop_back();
    if (last.agent == agent)
      return;
    h.items[pos] = last;
    h.position[static_cast<std::size_t>(last.agent)] = at;
    sift_up(h, pos);
    sift_down(h, static_cast<std::size_t>(h.position[static_cast<std::size_t>(last.agent)]));
    return;
  }
  h.items[pos].key = rank_key(m_agents[a], h.rank);  // its figures changed: it moves one way or the other
  sift_up(h, pos);
  sift_down(h, static_cast<std::size_t>(h.position[a]));
}

AgentIndex::Heap&
AgentIndex::heap_for(int scope, Rank rank) const
{
  int& slot = m_heap_of[static_cast<std::size_t>(scope)][static_cast<std::size_t>(rank)];
  if (slot < 0) {
    Heap h;
    h.rank = rank;
    h.scope = scope;
    h.position.assign(m_agents.size(), -1);
    h.items.reserve(m_agents.size());
    for (std::size_t i = 0; i < m_agents.size(); ++i)
      if (member(scope, static_cast<int>(i)))
        place(h, static_cast<int>(i));
    slot = static_cast<int>(m_heaps.size());
    m_heaps.push_back(std::move(h));
  }
  return m_heaps[static_cast<std::size_t>(slot)];
}

void
AgentIndex::changed(int agent)
{
  for (auto& h : m_heaps)
    if (member(h.scope, agent))
      place(h, agent);
}

int
AgentIndex::best(const Scope& scope, Rank rank) const
{
  if (scope.unknown_group)
    return -1;
  int index = 0;
  if (scope.group) {
    const Group* first = m_groups.data();
    if (scope.group < first || scope.group >= first + m_groups.size())  // not our floor's group: ask a scan
      return routing::best(m_agents, scope, rank);
    index = 1 + static_cast<int>(scope.group - first);
  }
  const Heap& h = heap_for(index, rank);
  return h.items.empty() ? -1 : h.items.front().agent;
}

int
AgentIndex::agent_named(std::string_view name) const
{
  if (name.empty())
    return -1;
  auto it = m_by_name.find(name);
  return it == m_by_name.end() ? -1 : it->second;
}

} // namespace svc::routing
