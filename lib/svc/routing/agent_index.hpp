// A Ranker for a floor that changes one agent at a time (svc simulate): the same answers as a scan
// (ScanRanker, ranking.hpp), without a scan per decision. For each scope and rank a policy asks about,
// the eligible agents of that scope sit in an indexed binary heap ordered as ranks_before orders them;
// the caller reports every change to an agent with changed(i), which moves the agent in each heap that
// holds its scope. best() is then a look at a heap's top, and a change costs O(log n) per heap, with no
// allocation once a heap exists (each is built on the first question about its scope and rank).
//
// The simulator calls changed() twice per conversation (assigned, finished), so a comparison must be
// cheap: an agent's figures for a rank are one number, compared as an integer, that also names the
// agent. For idle-rate, 128 bits, from the high bits down:
//   64 bits  open/max_chats as floor(open * 2^64 / max_chats) (exact: two different shares of max_chats
//            below 2^31 are more than 2^-62 apart, and equal shares give equal numbers)
//   the rest the recency stamp, then the agent's place in id order (the tie, which names the agent).
// For least-busy and round-robin, 64 bits (half the work per comparison and move): open (round-robin
// 0) in the top bits (as many as the largest max_chats needs: a heap holds agents under their cap), then
// the stamp and the tie as above; on a floor too large for that (the stamps would not fit) they use
// 128 bits too.
// The stamp orders the last assignments as their times do: the next stamp for a time later than every
// other, the same stamp for the same time, and every stamp redrawn (a sort of the agents) on the rare
// change that goes back in time, which the simulator never makes (its clock only moves forward).
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <svc/routing/ranking.hpp>

namespace svc::routing {

class AgentIndex final : public Ranker
{
public:
  // The spans must outlive the index, and the policy must be handed the same `groups` span in its
  // Floor (a scope's group is recognised by its address). Agents' ids, skills and the groups must not
  // change; their open, max_chats, online and last_assigned_at may, reported with changed().
  AgentIndex(std::span<const Agent> agents, std::span<const Group> groups);

  // agents[agent] changed (open, max_chats, online or last_assigned_at).
  void changed(int agent)
  {
    const auto a = static_cast<std::size_t>(agent);
    const Agent& ag = m_agents[a];
    if (ag.max_chats > m_max_chats_fit) [[unlikely]]
      layout();  // open may no longer fit the narrow keys' top bits; every heap is filled again
    const std::uint8_t capacity = has_capacity(ag) ? 1 : 0;
    m_with_capacity += capacity - m_capacity[a];
    m_capacity[a] = capacity;
    const double recency = ag.last_assigned_at ? *ag.last_assigned_at : k_never;
    if (recency != m_recency[a]) {
      m_recency[a] = recency;
      if (stamp(a))
        return;  // restamped: every heap was filled again
    }
    for (int h : m_heaps_of_agent[a]) {
      Heap& heap = m_heaps[static_cast<std::size_t>(h)];
      if (heap.narrow)
        place_narrow(heap, a);
      else
        place_wide(heap, a);
    }
  }

  int best(const Scope& scope, Rank rank) const override;
  int agent_named(std::string_view name) const override;

  // The agents that could take one more conversation (online, under their cap), whatever the scope.
  // Eligibility needs capacity (docs/routing.md), so at 0 no policy can place anyone.
  int with_capacity() const { return m_with_capacity; }

private:
  static constexpr double k_never = -std::numeric_limits<double>::infinity();
  __extension__ typedef unsigned __int128 Key;
  typedef std::uint64_t NarrowKey;
  struct Heap {
    Rank rank = Rank::least_busy;
    int scope = 0;                 // 0: every agent; 1 + g: the members of groups[g]
    bool narrow = false;           // keys in narrow_items (least-busy, round-robin), else in items
    std::vector<Key> items;        // a min-heap
    std::vector<NarrowKey> narrow_items;
    std::vector<int> position;     // per tie (agent in id order): its place in the items, -1 when absent
  };

  Key key_of(std::size_t agent, Rank rank) const;
  NarrowKey narrow_key_of(std::size_t agent, Rank rank) const;
  template <class K>
  int agent_of(K key) const { return m_agent_of_tie[tie_of(key)]; }
  template <class K>
  std::size_t tie_of(K key) const { return static_cast<std::size_t>(key & m_tie_mask); }
  const Heap& build_heap(int scope, Rank rank) const;  // on the first question about scope and rank
  bool member(int scope, std::size_t agent) const;
  template <class K>
  void sift_up(std::vector<K>& items, int* position, std::size_t at, K key) const;
  template <class K>
  void sift_down(std::vector<K>& items, int* position, std::size_t at, K key) const;
  template <class K>
  void remove(std::vector<K>& items, int* position, std::size_t at) const;
  template <class K>
  void place_key(std::vector<K>& items, int* position, int at, K key) const;
  void place(Heap& h, std::size_t agent) const;  // insert, move or remove agent as its state says
  // place() for one kind of key. Two functions rather than one with both: the simulator's path
  // (narrow keys) is then a smaller function, with fewer mispredicted branches (docs/simulate.md).
  void place_narrow(Heap& h, std::size_t agent) const;
  void place_wide(Heap& h, std::size_t agent) const;
  void layout();                                 // the narrow keys' fields for the floor's max_chats
  void fill(Heap& h) const;                      // from scratch
  // After the agent's last_assigned_at changed; true: restamped. The usual case inline: a time later
  // than the latest (the simulator's clock only moves forward).
  bool stamp(std::size_t agent)
  {
    if (m_recency[agent] > m_last_recency && m_last_stamp > 0 && m_last_stamp < m_stamp_limit) {
      m_stamp[agent] = ++m_last_stamp;
      m_last_recency = m_recency[agent];
      return false;
    }
    return stamp_slow(agent);
  }
  bool stamp_slow(std::size_t agent);
  void restamp();                                // every stamp again, in order of the recencies

  std::span<const Agent> m_agents;
  std::span<const Group> m_groups;
  std::vector<std::vector<std::uint8_t>> m_members;         // per group: agent is a member
  std::vector<std::uint64_t> m_tie;                         // per agent: its place in (id, floor order)
  std::vector<int> m_agent_of_tie;
  int m_tie_bits = 0;                                       // the low bits the tie takes
  int m_open_bits = 0;                                      // narrow keys: the top bits open takes
  int m_max_chats_fit = 0;                                  // narrow keys: open fits below this max_chats
  bool m_narrow = false;                                    // narrow keys fit this floor
  std::uint64_t m_stamp_limit = 0;                          // stamps stay below it (stamp_slow's limit - 1)
  std::uint64_t m_tie_mask = 0;
  std::vector<double> m_recency;                            // per agent: last_assigned_at as stamped (-inf: never)
  std::vector<std::uint64_t> m_stamp;                       // per agent: 0 never, else 1, 2, ... in time order
  std::uint64_t m_last_stamp = 0;                           // the latest time's stamp
  double m_last_recency = 0;                                // and that time (when m_last_stamp > 0)
  std::vector<std::uint8_t> m_capacity;                     // per agent: has_capacity when last reported
  int m_with_capacity = 0;
  std::unordered_map<std::string_view, int> m_by_name;
  // The heaps, built on demand by the const best(): a cache of the floor, not part of its value.
  mutable std::vector<Heap> m_heaps;
  mutable std::vector<std::array<int, 3>> m_heap_of;        // per scope, per rank: index in m_heaps or -1
  mutable std::vector<std::vector<int>> m_heaps_of_agent;   // per agent: the heaps of its scopes
};

} // namespace svc::routing
