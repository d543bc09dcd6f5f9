// A Ranker for a floor that changes one agent at a time (svc simulate): the same answers as a scan
// (ScanRanker, ranking.hpp), without a scan per decision. For each scope and rank a policy asks about,
// the eligible agents of that scope sit in a binary heap ordered by ranks_before (as RankKeys); the caller reports
// every change to an agent with changed(i), which moves the agent in each heap that holds its scope.
// best() is then a look at a heap's top, and a change costs O(log n) per heap, with no allocation
// once a heap exists (each is built on the first question about its scope and rank).
#pragma once

#include <array>
#include <cstdint>
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
  // Floor (a scope's group is recognised by its address). Agents' skills and the groups must not
  // change; their open, max_chats, online and last_assigned_at may, reported with changed().
  AgentIndex(std::span<const Agent> agents, std::span<const Group> groups);

  // agents[agent] changed (open, max_chats, online or last_assigned_at).
  void changed(int agent);

  int best(const Scope& scope, Rank rank) const override;
  int agent_named(std::string_view name) const override;

private:
  struct Item {
    RankKey key;                   // the agent's figures when it was last placed
    int agent = 0;
  };
  struct Heap {
    Rank rank = Rank::least_busy;
    int scope = 0;                 // 0: every agent; 1 + g: the members of groups[g]
    std::vector<Item> items;       // heap-ordered by key_before (= ranks_before)
    std::vector<int> position;     // per agent: its place in items, -1 when absent
  };

  Heap& heap_for(int scope, Rank rank) const;
  bool member(int scope, int agent) const;
  static void sift_up(Heap& h, std::size_t at);
  static void sift_down(Heap& h, std::size_t at);
  void place(Heap& h, int agent) const;  // insert, move or remove agent as its state says

  std::span<const Agent> m_agents;
  std::span<const Group> m_groups;
  std::vector<std::vector<std::uint8_t>> m_members;         // per group: agent is a member
  std::unordered_map<std::string_view, int> m_by_name;
  // The heaps, built on demand by the const best(): a cache of the floor, not part of its value.
  mutable std::vector<Heap> m_heaps;
  mutable std::vector<std::array<int, 3>> m_heap_of;        // per scope, per rank: index in m_heaps or -1
};

} // namespace svc::routing
