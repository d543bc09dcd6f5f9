// Routing policies: which agent gets a waiting conversation. Pure functions of a snapshot, shared by
// `svc assign --auto` (a snapshot read from the state file) and `svc simulate` (a simulated floor), so
// what the simulation predicts is what assignment does. Times are seconds (double) so both can use them.
// The exact rules (eligibility, each policy's ranking and tie-breaks, skills overflow) are in
// docs/routing.md; each policy lives in its own file beside this one (round_robin.cpp, ...).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::routing {

struct Agent {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> skills;
  int max_chats = 50;
  bool online = false;
  int open = 0;                              // conversations the agent holds now
  std::optional<double> last_assigned_at;    // never assigned: nullopt (goes first in round-robin)
};

struct Group {
  std::string name;
  std::vector<std::string> skills;           // an agent with all of them is in the group
  std::string overflow_to;                   // "" for none
  std::optional<double> overflow_after_s;    // the overflow group is eligible after this wait
};

struct Conversation {
  std::int64_t id = 0;
  std::string group;                         // "" for none: every agent may take it
  double waiting_since = 0;
  bool vip = false;                          // the contact carries a VIP tag
  std::string last_served_by;                // for sticky: "" when none
};

// One agent's verdict in a decision, for `svc assign --explain`.
struct Candidate {
  std::string agent;
  bool eligible = false;
  std::string reason;                        // why excluded, or the figure the policy ranked it by
};

struct Decision {
  std::optional<std::int64_t> agent_id;      // nullopt: nobody eligible (stays in the backlog)
  std::string agent;
  std::vector<Candidate> candidates;         // every agent, in the order given
  std::string why;                           // one sentence: why the winner won, or why nobody
};

struct Floor {
  std::span<const Agent> agents;
  std::span<const Group> groups;
  double now = 0;
};

class Ranker;  // ranking.hpp: "the best eligible agent of a scope", by a scan or by an index

class Policy
{
public:
  virtual ~Policy() = default;
  virtual std::string_view name() const = 0;
  // With explain, every agent's verdict and a sentence on the outcome; without, only agent_id and
  // agent are filled, by pick() over a scan of the floor.
  virtual Decision choose(const Conversation& conversation, const Floor& floor, bool explain) const = 0;
  // The winner's index in floor.agents (-1: nobody), the rule itself: the policy asks `ranker` for the
  // best eligible agent of a scope (and, for sticky, for an agent by name). choose(c, floor, false)
  // is pick(c, floor, ScanRanker(floor.agents)); `svc simulate` passes an AgentIndex (agent_index.hpp)
  // kept up to date as its floor changes, so it runs this same rule without a scan per decision.
  virtual int pick(const Conversation& conversation, const Floor& floor, const Ranker& ranker) const = 0;
  // Whether `a` is served before `b` from a backlog (default: oldest waiting first; priority puts VIP
  // first).
  virtual bool serves_before(const Conversation& a, const Conversation& b) const;
  // The order in which a backlog is served: a stable sort by serves_before.
  void order_backlog(std::vector<Conversation>& backlog) const;
};

// round-robin, least-busy, idle-rate, sticky, skills, priority; usage error (exit 2) listing them otherwise.
Result<std::unique_ptr<Policy>> make_policy(std::string_view name);
std::span<const std::string_view> policy_names();

} // namespace svc::routing
