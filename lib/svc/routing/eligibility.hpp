// Who may take a conversation, shared by every policy (docs/routing.md, "Eligibility"): the agent is
// online, holds fewer than max_chats conversations, and when the conversation has a group, is in it
// (has every skill the group asks for). The checks are allocation-free for the simulation's hot path;
// the functions returning strings are only called with explain.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include <svc/routing/policy.hpp>

namespace svc::routing {

// The group called `name`, or nullptr.
const Group* find_group(std::span<const Group> groups, std::string_view name);

// An agent is in a group when it has every skill of the group; a group without skills takes everyone.
bool in_group(const Agent& agent, const Group& group);

// Online and under its cap: could take one more conversation, group aside.
inline bool
has_capacity(const Agent& agent)
{
  return agent.online && agent.open < agent.max_chats;
}

// The agents a conversation may go to: everyone (no group), the members of one group, or nobody (the
// conversation names a group that does not exist).
struct Scope {
  const Group* group = nullptr;     // nullptr: every agent, unless unknown_group
  bool unknown_group = false;
  std::string_view group_name;      // the conversation's group, for messages

  static Scope of_group(const Group& g) { return Scope{&g, false, g.name}; }
};

Scope scope_of(const Conversation& conversation, std::span<const Group> groups);

inline bool
in_scope(const Agent& agent, const Scope& scope)
{
  if (scope.unknown_group)
    return false;
  return scope.group == nullptr || in_group(agent, *scope.group);
}

inline bool
eligible(const Agent& agent, const Scope& scope)
{
  return has_capacity(agent) && in_scope(agent, scope);
}

// Why an agent is excluded, the first check that fails: "offline", "at cap (3/3)", "not in group
// sales (lacks skill: billing)", "group vip does not exist"; "" when eligible.
std::string exclusion(const Agent& agent, const Scope& scope);

// "group sales (lacks skill: billing)" / "group sales (lacks skills: billing, refunds)".
std::string shortfall(const Agent& agent, const Group& group);

// "not in group sales (lacks skill: billing)".
inline std::string
not_in_group(const Agent& agent, const Group& group)
{
  return "not in " + shortfall(agent, group);
}

// Why nobody in `scope` can take the conversation, without the "nobody: " lead: "there are no
// agents", "group vip does not exist", "no agent is online", "no agent is in group sales (skills:
// billing)", "no agent of group sales is online", "every online agent of group sales is at cap".
std::string nobody_reason(std::span<const Agent> agents, const Scope& scope);

// A Decision naming agents[index] (index < 0: nobody), without explanation.
Decision decision_for(std::span<const Agent> agents, int index);

} // namespace svc::routing
