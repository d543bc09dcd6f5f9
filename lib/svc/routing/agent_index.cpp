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
  layout();
}

// The narrow keys' fields: open takes the bits the largest max_chats needs, the stamp what the tie
// leaves. They fit when a full restamp (a stamp per agent, plus room to grow) does; otherwise every
// heap uses wide keys. Every stamp is redrawn and every heap filled again.
void
AgentIndex::layout()
{
  int most = 1;
  for (const auto& a : m_agents)
    most = std::max(most, a.max_chats);
  m_open_bits = static_cast<int>(std::bit_width(static_cast<unsigned>(most)));
  m_max_chats_fit = static_cast<int>((std::uint64_t{1} << m_open_bits) - 1);
  const int stamp_bits = 64 - m_open_bits - m_tie_bits;
  m_narrow = stamp_bits >= m_tie_bits + 8;
  if (!m_narrow)
    m_max_chats_fit = std::numeric_limits<int>::max();  // open never goes in a narrow key
  m_stamp_limit = (std::uint64_t{1} << (m_narrow ? stamp_bits : 63 - m_tie_bits)) - 2;
  for (auto& h : m_heaps)
    h.narrow = m_narrow && h.rank != Rank::idle_rate;
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

inline AgentIndex::NarrowKey
AgentIndex::narrow_key_of(std::size_t agent, Rank rank) const
{
  // least-busy: 0 <= open < max_chats <= m_max_chats_fit here (the agent has capacity)
  const NarrowKey first = rank == Rank::least_busy ? static_cast<NarrowKey>(m_agents[agent].open) << (64 - m_open_bits) : 0;
  return first | (m_stamp[agent] << m_tie_bits) | m_tie[agent];
}

// The last assignments in time order: a time later than every other gets the next stamp, the latest
// time again gets its stamp, never assigned is 0; anything else redraws every stamp (true).
bool
AgentIndex::stamp_slow(std::size_t agent)
{
  const double r = m_recency[agent];
  // Stamps stay below the limit (layout()), so that the stamp and the tie share 64 bits (with open,
  // in a narrow key).
  const std::uint64_t limit = m_stamp_limit + 1;
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
template <class K>
inline void
AgentIndex::sift_up(std::vector<K>& heap, int* position, std::size_t at, K key) const
{
  K* items = heap.data();
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
template <class K>
inline void
AgentIndex::sift_down(std::vector<K>& heap, int* position, std::size_t at, K key) const
{
  K* items = heap.data();
  const std::size_t n = heap.size();
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
template <class K>
inline void
AgentIndex::remove(std::vector<K>& items, int* position, std::size_t at) const
{
  position[tie_of(items[at])] = -1;
  const K last = items.back();
  items.pop_back();
  if (at == items.size())
    return;
  if (at > 0 && last < items[(at - 1) / 2])
    sift_up(items, position, at, last);
  else
    sift_down(items, position, at, last);
}

// Inserts `key` (at < 0) or moves the item at `at` to it.
template <class K>
inline void
AgentIndex::place_key(std::vector<K>& items, int* position, int at, K key) const
{
  if (at < 0) {
    items.push_back(key);
    sift_up(items, position, items.size() - 1, key);
    return;
  }
  const auto pos = static_cast<std::size_t>(at);
  if (key == items[pos])
    return;
  if (pos > 0 && key < items[(pos - 1) / 2])
    sift_up(items, position, pos, key);
  else
    sift_down(items, position, pos, key);
}

void
AgentIndex::place(Heap& h, std::size_t agent) const
{
  if (h.narrow)
    place_narrow(h, agent);
  else
    place_wide(h, agent);
}

void
AgentIndex::place_narrow(Heap& h, std::size_t agent) const
{
  int* position = h.position.data();
  const int at = position[m_tie[agent]];
  if (!m_capacity[agent]) {  // membership of the scope is checked by the caller
    if (at >= 0)
      remove(h.narrow_items, position, static_cast<std::size_t>(at));
    return;
  }
  place_key(h.narrow_items, position, at, narrow_key_of(agent, h.rank));
}

void
AgentIndex::place_wide(Heap& h, std::size_t agent) const
{
  int* position = h.position.data();
  const int at = position[m_tie[agent]];
  if (!m_capacity[agent]) {
    if (at >= 0)
      remove(h.items, position, static_cast<std::size_t>(at));
    return;
  }
  place_key(h.items, position, at, key_of(agent, h.rank));
}

void
AgentIndex::fill(Heap& h) const
{
  h.items.clear();
  h.narrow_items.clear();
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
  h.narrow = m_narrow && rank != Rank::idle_rate;
  h.position.assign(m_agents.size(), -1);
  if (h.narrow)
    h.narrow_items.reserve(m_agents.size());
  else
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
  if (h.narrow)
    return h.narrow_items.empty() ? -1 : agent_of(h.narrow_items.front());
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
