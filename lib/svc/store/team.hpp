// Agents and skill groups (the roster that routing works from).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

struct AgentRow {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> skills;
  int max_chats = 50;
  std::string status = "offline";            // online | away | offline
  std::optional<UnixTime> last_assigned_at;
  int open = 0;                              // open and pending conversations assigned to the agent
  std::vector<std::string> groups;           // the groups whose skills the agent has
};

// An agent belongs to a group when it has every skill the group asks for (a group without skills
// takes everyone).
struct GroupRow {
  std::int64_t id = 0;
  std::string name;
  std::vector<std::string> skills;
  std::string overflow_to;                   // "" for none
  std::optional<std::int64_t> overflow_after_s;
  std::vector<std::string> members;          // agents (not removed) in the group
};

class TeamRepository
{
public:
  virtual ~TeamRepository() = default;
  // conflict (exit 6) when an agent of that name exists; a removed agent's name is taken back.
  virtual Result<AgentRow> add_agent(const AgentRow& agent) = 0;
  virtual Result<std::vector<AgentRow>> agents() = 0;        // not removed, by name
  virtual Result<AgentRow> agent(const std::string& name) = 0; // not_found (exit 3)
  // Open conversations are unassigned (back to the backlog) and the removal is audited.
  virtual Status remove_agent(const std::string& name, const std::string& by) = 0;
  virtual Status set_agent_status(const std::string& name, const std::string& status) = 0;
  virtual Result<GroupRow> add_group(const GroupRow& group) = 0;
  virtual Result<std::vector<GroupRow>> groups() = 0;
  virtual Result<GroupRow> group(const std::string& name) = 0;  // not_found (exit 3)
};

} // namespace svc::store
