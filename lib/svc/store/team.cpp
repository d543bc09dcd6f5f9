// TeamRepository on SQLite: agents and skill groups.
#include <algorithm>

#include <nlohmann/json.hpp>

#include <svc/store/sqlite_store.hpp>

namespace svc::store {

namespace {

std::vector<std::string>
parse_skills(const std::string& text)
{
  auto j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array())
    for (const auto& s : j)
      if (s.is_string())
        out.push_back(s.get<std::string>());
  return out;
}

bool
has_all(const std::vector<std::string>& have, const std::vector<std::string>& need)
{
  return std::all_of(need.begin(), need.end(),
                     [&](const std::string& s) { return std::find(have.begin(), have.end(), s) != have.end(); });
}

Error
no_such_agent(const std::string& name)
{
  return make_error(ErrorKind::not_found, "no agent named '{}'", name)
    .with_hint("`svc agent list` shows the agents; `svc agent add NAME` adds one");
}

Error
no_such_group(const std::string& name)
{
  return make_error(ErrorKind::not_found, "no group named '{}'", name)
    .with_hint("`svc group list` shows the groups; `svc group add NAME` adds one");
}

std::vector<AgentRow>
read_agents(Db& db, const std::string& name)
{
  Stmt s = db.prepare(
    "SELECT a.id, a.name, a.skills, a.max_chats, a.status, a.last_assigned_at,"
    " (SELECT count(*) FROM conversations c WHERE c.assignee_id = a.id AND c.status IN ('open', 'pending'))"
    " FROM agents a WHERE a.removed_at IS NULL AND (?1 IS NULL OR a.name = ?1) ORDER BY a.name");
  s.bind_text_or_null(1, name);
  std::vector<AgentRow> out;
  while (s.step()) {
    AgentRow a;
    a.id = s.col_int(0);
    a.name = s.col_text(1);
    a.skills = parse_skills(s.col_text(2));
    a.max_chats = static_cast<int>(s.col_int(3));
    a.status = s.col_text(4);
    a.last_assigned_at = s.col_opt_int(5);
    a.open = static_cast<int>(s.col_int(6));
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<GroupRow>
read_groups(Db& db, const std::string& name)
{
  Stmt s = db.prepare("SELECT g.id, g.name, g.skills, coalesce(o.name, ''), g.overflow_after_s FROM groups g"
                      " LEFT JOIN groups o ON o.id = g.overflow_group_id"
                      " WHERE (?1 IS NULL OR g.name = ?1) ORDER BY g.name");
  s.bind_text_or_null(1, name);
  std::vector<GroupRow> out;
  while (s.step())
    out.push_back({s.col_int(0), s.col_text(1), parse_skills(s.col_text(2)), s.col_text(3), s.col_opt_int(4), {}});
  return out;
}

// Fills each agent's groups and each group's members (membership is by skills).
void
link_members(std::vector<AgentRow>& agents, std::vector<GroupRow>& groups)
{
  for (auto& g : groups)
    for (auto& a : agents)
      if (has_all(a.skills, g.skills)) {
        g.members.push_back(a.name);
        a.groups.push_back(g.name);
      }
}

} // namespace

Result<AgentRow>
SqliteTeamRepository::add_agent(const AgentRow& agent)
{
  if (agent.max_chats < 1)
    return make_error(ErrorKind::usage, "--max-chats must be at least 1");
  SVC_CHECK(m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      if (!read_agents(m_db, agent.name).empty())
        return make_error(ErrorKind::conflict, "an agent named '{}' exists", agent.name)
          .with_hint("`svc agent remove` it first, or pick another name");
      // A removed agent's row keeps its history; adding the name again brings it back.
      m_db
        .prepare("INSERT INTO agents (name, skills, max_chats, status, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                 " ON CONFLICT (name) DO UPDATE SET skills = excluded.skills, max_chats = excluded.max_chats,"
                 " status = excluded.status, removed_at = NULL")
        .bind(1, agent.name)
        .bind(2, nlohmann::json(agent.skills).dump())
        .bind(3, agent.max_chats)
        .bind(4, agent.status)
        .bind(5, m_clock.now())
        .exec();
      return {};
    });
  }));
  return this->agent(agent.name);
}

Result<std::vector<AgentRow>>
SqliteTeamRepository::agents()
{
  return guarded([&]() -> Result<std::vector<AgentRow>> {
    auto agents = read_agents(m_db, "");
    auto groups = read_groups(m_db, "");
    link_members(agents, groups);
    return agents;
  });
}

Result<AgentRow>
SqliteTeamRepository::agent(const std::string& name)
{
  SVC_TRY(all, agents());
  for (auto& a : all)
    if (a.name == name)
      return a;
  return no_such_agent(name);
}

Status
SqliteTeamRepository::remove_agent(const std::string& name, const std::string& by)
{
  return m_store.transaction([&]() -> Status {
    SVC_TRY(a, agent(name));
    return guarded([&]() -> Status {
      UnixTime now = m_clock.now();
      Stmt open = m_db.prepare("SELECT id FROM conversations WHERE assignee_id = ?1 AND status IN ('open', 'pending')");
      open.bind(1, a.id);
      std::vector<std::int64_t> released;
      while (open.step())
        released.push_back(open.col_int(0));
      for (auto id : released)
        SVC_CHECK(m_store.workflow().audit(id, by, "unassigned",
                                           nlohmann::json{{"from", name}, {"reason", "agent removed"}}.dump()));
      m_db.prepare("UPDATE conversations SET assignee_id = NULL, updated_at = ?2 WHERE assignee_id = ?1"
                   " AND status IN ('open', 'pending')")
        .bind(1, a.id)
        .bind(2, now)
        .exec();
      m_db.prepare("UPDATE agents SET removed_at = ?2, status = 'offline' WHERE id = ?1").bind(1, a.id).bind(2, now).exec();
      return {};
    });
  });
}

Status
SqliteTeamRepository::set_agent_status(const std::string& name, const std::string& status)
{
  if (status != "online" && status != "away" && status != "offline")
    return make_error(ErrorKind::usage, "unknown agent status '{}'", status).with_hint("use online, away or offline");
  return m_store.transaction([&]() -> Status {
    SVC_TRY(a, agent(name));
    return guarded([&]() -> Status {
      m_db.prepare("UPDATE agents SET status = ?2 WHERE id = ?1").bind(1, a.id).bind(2, status).exec();
      return {};
    });
  });
}

Result<GroupRow>
SqliteTeamRepository::add_group(const GroupRow& group)
{
  SVC_CHECK(m_store.transaction([&]() -> Status {
    return guarded([&]() -> Status {
      if (!read_groups(m_db, group.name).empty())
        return make_error(ErrorKind::conflict, "a group named '{}' exists", group.name);
      std::optional<std::int64_t> overflow;
      if (!group.overflow_to.empty()) {
        if (group.overflow_to == group.name)
          return make_error(ErrorKind::usage, "a group cannot overflow to itself");
        auto target = read_groups(m_db, group.overflow_to);
        if (target.empty())
          return no_such_group(group.overflow_to);
        overflow = target.front().id;
      }
      m_db
        .prepare("INSERT INTO groups (name, skills, overflow_group_id, overflow_after_s, created_at)"
                 " VALUES (?1, ?2, ?3, ?4, ?5)")
        .bind(1, group.name)
        .bind(2, nlohmann::json(group.skills).dump())
        .bind(3, overflow)
        .bind(4, overflow ? group.overflow_after_s : std::nullopt)
        .bind(5, m_clock.now())
        .exec();
      return {};
    });
  }));
  return this->group(group.name);
}

Result<std::vector<GroupRow>>
SqliteTeamRepository::groups()
{
  return guarded([&]() -> Result<std::vector<GroupRow>> {
    auto agents = read_agents(m_db, "");
    auto groups = read_groups(m_db, "");
    link_members(agents, groups);
    return groups;
  });
}

Result<GroupRow>
SqliteTeamRepository::group(const std::string& name)
{
  SVC_TRY(all, groups());
  for (auto& g : all)
    if (g.name == name)
      return g;
  return no_such_group(name);
}

} // namespace svc::store
