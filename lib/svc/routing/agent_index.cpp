#include <svc/routing/agent_index.hpp>

#include <algorithm>
#include <bit>
#include <limits>
#include <numeric>
#include <utility>

namespace svc::routing {


AgentIndex::AgentIndex(std::span<const Agent> agents, std::span<const Group> groups)
  : m_agents(agents),
    m_groups(groups),
    m_tie(agents.size()),
    m_agent_of_tie(agents.size()),
    m_tie_bits(static_cast<int>(std::bit_width(agents.size()))),
    m_recency(agents.size(), k_never),
    m_stamp(agents.size(), 0),
    m_capacity(agents.size()),
    m_heap_of(groups.size() + 1, {-1, -1, -1}),
    m_heaps_of_agent(agents.size())
{
  m_tie_mask = (std::uint64_t{1} << m_tie_bits) - 1;
  m_stamp_limit = (std::uint64_t{1} << (63 - m_tie_bits)) - 2;
  m_members.reserve(groups.size());
  for (const auto& g : groups) {
    std::vector<std::uint8_t> in(agents.size());
    for (std::size_t i = 0; i < agents.size(); ++i)
      in[i] = in_group(agents[i], g) ? 1 : 0;
    m_members.push_back(std::move(in));
  }
  for (std::size_t i = 0; i < agents.size(); ++i)
    m_by_name.emplace(agents[i].name, static_cast<int>(i));  // the first of equal names, as a scan finds
  // The last rule is the lower id; a scan keeps the first of equal ids, so equal ids go by floor order.
  std::vector<std::size_t> order(agents.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return agents[a].id < agents[b].id; });
  for (std::size_t i = 0; i < order.size(); ++i) {
    m_tie[order[i]] = i;
    m_agent_of_tie[i] = static_cast<int>(order[i]);
  }
  for (std::size_t i = 0; i < agents.size(); ++i) {
    m_capacity[i] = has_capacity(agents[i]) ? 1 : 0;
    m_with_capacity += m_capacity[i];
    m_recency[i] = agents[i].last_assigned_at ? *agents[i].last_assigned_at : k_never;
  }
  restamp();
}

bool
AgentIndex::member(int scope, std::size_t agent) const
{
  return scope == 0 || m_members[static_cast<std::size_t>(scope - 1)][agent] != 0;
}

AgentIndex::Key
AgentIndex::key_of(std::size_t agent, Rank rank) const
{
  const Agent& a = m_agents[agent];
  std::uint64_t first = 0;
  switch (rank) {
  case Rank::round_robin:
    break;
  case Rank::least_busy:
    first = static_cast<std::uint64_t>(a.open);
    break;
  case Rank::idle_rate:  // 0 <= open < max_chats here (the agent has capacity)
    first = static_cast<std::uint64_t>((Key{static_cast<std::uint64_t>(a.open)} << 64) /
                                       static_cast<std::uint64_t>(a.max_chats));
    break;
  }
  return (Key{first} << 64) | (m_stamp[agent] << m_tie_bits) | m_tie[agent];
}

// The last assignments in time order: a time later than every other gets the next stamp, the latest
// time again gets its stamp, never assigned is 0; anything else redraws every stamp (true).
bool
AgentIndex::stamp_slow(std::size_t agent)
{
  const double r = m_recency[agent];
  // Stamps stay below 2^(64 - tie bits), so that the stamp and the tie share 64 bits.
  const std::uint64_t limit = (std::uint64_t{1} << (63 - m_tie_bits)) - 1;
  if (r == k_never) {
    m_stamp[agent] = 0;
  } else if ((m_last_stamp == 0 || r > m_last_recency) && m_last_stamp + 1 < limit) {
    m_stamp[agent] = ++m_last_stamp;
    m_last_recency = r;
  } else if (m_last_stamp > 0 && r == m_last_recency) {
    m_stamp[agent] = m_last_stamp;
  } else {
    restamp();
    return true;
  }
  return false;
}

void
AgentIndex::restamp()
{
  std::vector<std::size_t> by_time;
  for (std::size_t i = 0; i < m_agents.size(); ++i) {
    m_stamp[i] = 0;
    if (m_recency[i] != k_never)
      by_time.push_back(i);
  }
  std::sort(by_time.begin(), by_time.end(), [&](std::size_t a, std::size_t b) { return m_recency[a] < m_recency[b]; });
  m_last_stamp = 0;
  for (std::size_t j = 0; j < by_time.size(); ++j) {
    if (j == 0 || m_recency[by_time[j]] != m_recency[by_time[j - 1]])
      ++m_last_stamp;
    m_stamp[by_time[j]] = m_last_stamp;
  }
  m_last_recency = by_time.empty() ? 0 : m_recency[by_time.back()];
  for (auto& h : m_heaps)
    fill(h);
}

// Moves the hole at `at` up until `key` fits, and puts it there.
void
AgentIndex::sift_up(Heap& h, std::size_t at, Key key) const
{
  Key* items = h.items.data();
  int* position = h.position.data();
  while (at > 0) {
    const std::size_t parent = (at - 1) / 2;
    if (!(key < items[parent]))
      break;
    items[at] = items[parent];
    position[tie_of(items[at])] = static_cast<int>(at);
    at = parent;
  }
  items[at] = key;
  position[tie_of(key)] = static_cast<int>(at);
}

// Moves the hole at `at` down until `key` fits, and puts it there.
void
AgentIndex::sift_down(Heap& h, std::size_t at, Key key) const
{
  Key* items = h.items.data();
  int* position = h.position.data();
  const std::size_t n = h.items.size();
  for (;;) {
    std::size_t child = 2 * at + 1;
    if (child + 1 < n)
      child += static_cast<std::size_t>(items[child + 1] < items[child]);  // no branch: a coin toss for a predictor
    else if (child >= n)
      break;
    if (!(items[child] < key))
      break;
    items[at] = items[child];
    position[tie_of(items[at])] = static_cast<int>(at);
    at = child;
  }
  items[at] = key;
  position[tie_of(key)] = static_cast<int>(at);
}

// Takes items[at] out: the last item fills the hole and moves whichever way it must.
void
AgentIndex::remove(Heap& h, std::size_t at) const
{
  h.position[tie_of(h.items[at])] = -1;
  const Key last = h.items.back();
  h.items.pop_back();
  if (at == h.items.size())
    return;
  if (at > 0 && last < h.items[(at - 1) / 2])
    sift_up(h, at, last);
  else
    sift_down(h, at, last);
}

void
AgentIndex::place(Heap& h, std::size_t agent) const
{
  const int at = h.position[m_tie[agent]];
  if (!m_capacity[agent]) {  // membership of the scope is checked by the caller
    if (at >= 0)
      remove(h, static_cast<std::size_t>(at));
    return;
  }
  const Key key = key_of(agent, h.rank);
  if (at < 0) {
    h.items.push_back(key);
    sift_up(h, h.items.size() - 1, key);
    return;
  }
  const auto pos = static_cast<std::size_t>(at);
  if (key == h.items[pos])
    return;
  if (pos > 0 && key < h.items[(pos - 1) / 2])
    sift_up(h, pos, key);
  else
    sift_down(h, pos, key);
}

void
AgentIndex::fill(Heap& h) const
{
  h.items.clear();
  std::fill(h.position.begin(), h.position.end(), -1);
  for (std::size_t i = 0; i < m_agents.size(); ++i)
    if (member(h.scope, i))
      place(h, i);
}

const AgentIndex::Heap&
AgentIndex::build_heap(int scope, Rank rank) const
{
  int& slot = m_heap_of[static_cast<std::size_t>(scope)][static_cast<std::size_t>(rank)];
  Heap h;
  h.rank = rank;
  h.scope = scope;
  h.position.assign(m_agents.size(), -1);
  h.items.reserve(m_agents.size());
  fill(h);
  slot = static_cast<int>(m_heaps.size());
  for (std::size_t i = 0; i < m_agents.size(); ++i)
    if (member(scope, i))
      m_heaps_of_agent[i].push_back(slot);
  m_heaps.push_back(std::move(h));
  return m_heaps.back();
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
  const int slot = m_heap_of[static_cast<std::size_t>(index)][static_cast<std::size_t>(rank)];
  const Heap& h = slot >= 0 ? m_heaps[static_cast<std::size_t>(slot)] : build_heap(index, rank);
  return h.items.empty() ? -1 : agent_of(h.items.front());
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
