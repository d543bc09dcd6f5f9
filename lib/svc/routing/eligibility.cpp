#include <svc/routing/eligibility.hpp>

#include <algorithm>
#include <vector>

#include <fmt/format.h>

namespace svc::routing {

namespace {

bool
has_skill(const Agent& agent, const std::string& skill)
{
  return std::find(agent.skills.begin(), agent.skills.end(), skill) != agent.skills.end();
}

} // namespace

const Group*
find_group(std::span<const Group> groups, std::string_view name)
{
  for (const auto& g : groups)
    if (g.name == name)
      return &g;
  return nullptr;
}

bool
in_group(const Agent& agent, const Group& group)
{
  return std::all_of(group.skills.begin(), group.skills.end(),
                     [&](const std::string& skill) { return has_skill(agent, skill); });
}

Scope
scope_of(const Conversation& conversation, std::span<const Group> groups)
{
  if (conversation.group.empty())
    return Scope{};
  if (const Group* g = find_group(groups, conversation.group))
    return Scope::of_group(*g);
  return Scope{nullptr, true, conversation.group};
}

std::string
shortfall(const Agent& agent, const Group& group)
{
  std::vector<std::string_view> missing;
  for (const auto& skill : group.skills)
    if (!has_skill(agent, skill))
      missing.push_back(skill);
  return fmt::format("group {} (lacks skill{}: {})", group.name, missing.size() == 1 ? "" : "s",
                     fmt::join(missing, ", "));
}

std::string
exclusion(const Agent& agent, const Scope& scope)
{
  if (!agent.online)
    return "offline";
  if (agent.open >= agent.max_chats)
    return fmt::format("at cap ({}/{})", agent.open, agent.max_chats);
  if (scope.unknown_group)
    return fmt::format("group {} does not exist", scope.group_name);
  if (scope.group && !in_group(agent, *scope.group))
    return not_in_group(agent, *scope.group);
  return {};
}

std::string
nobody_reason(std::span<const Agent> agents, const Scope& scope)
{
  if (agents.empty())
    return "there are no agents";
  if (scope.unknown_group)
    return fmt::format("group {} does not exist", scope.group_name);
  if (std::none_of(agents.begin(), agents.end(), [](const Agent& a) { return a.online; }))
    return "no agent is online";
  if (!scope.group)
    return "every online agent is at cap";
  const Group& g = *scope.group;
  bool any_member = false;
  bool any_online_member = false;
  for (const auto& a : agents) {
    if (in_group(a, g)) {
      any_member = true;
      any_online_member = any_online_member || a.online;
    }
  }
  if (!any_member)
    return fmt::format("no agent is in group {} (skills: {})", g.name, fmt::join(g.skills, ", "));
  if (!any_online_member)
    return fmt::format("no agent of group {} is online", g.name);
  return fmt::format("every online agent of group {} is at cap", g.name);
}

Decision
decision_for(std::span<const Agent> agents, int index)
{
  Decision d;
  if (index >= 0) {
    const Agent& a = agents[static_cast<std::size_t>(index)];
    d.agent_id = a.id;
    d.agent = a.name;
  }
  return d;
}

} // namespace svc::routing
