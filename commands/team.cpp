#include "commands/team.hpp"

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

std::vector<std::string>
split_list(const std::string& text)
{
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty())
      out.push_back(item);
    if (comma == std::string::npos)
      break;
    start = comma + 1;
  }
  return out;
}

nlohmann::json
agent_json(const store::AgentRow& a)
{
  return {{"name", a.name},
          {"status", a.status},
          {"skills", a.skills},
          {"max_chats", a.max_chats},
          {"open", a.open},
          {"groups", a.groups},
          {"last_assigned_at", a.last_assigned_at ? nlohmann::json(format_iso(*a.last_assigned_at)) : nlohmann::json()}};
}

const std::vector<output::Column> k_agent_columns = {{"name", "NAME"},         {"status", "STATUS"},
                                                     {"open", "OPEN"},         {"max_chats", "MAX"},
                                                     {"skills", "SKILLS"},     {"groups", "GROUPS"}};

struct AgentAddOptions {
  std::string name;
  std::string skills;
  int max_chats = 50;
  std::string status = "offline";
};

Status
run_agent_add(const AgentAddOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  store::AgentRow row;
  row.name = opts.name;
  row.skills = split_list(opts.skills);
  row.max_chats = opts.max_chats;
  row.status = opts.status;
  SVC_TRY(added, store->team().add_agent(row));
  output::print_object(ctx.format(), ctx.io, agent_json(added), k_agent_columns);
  ctx.io.status(fmt::format("✓ Added agent {} ({})", added.name, added.status));
  return {};
}

Status
run_agent_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(agents, store->team().agents());
  auto sink = output::make_sink(ctx.format(), ctx.io, k_agent_columns);
  for (const auto& a : agents)
    sink->row(agent_json(a));
  sink->end();
  return {};
}

struct AgentNameOptions {
  std::string name;
  std::string status;
};

Status
run_agent_remove(const AgentNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->team().remove_agent(opts.name, ctx.options.agent));
  ctx.io.status(fmt::format("✓ Removed agent {}; their open conversations are back in the backlog", opts.name));
  return {};
}

Status
run_agent_status(const AgentNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->team().set_agent_status(opts.name, opts.status));
  ctx.io.status(fmt::format("✓ {} is {}", opts.name, opts.status));
  return {};
}

nlohmann::json
group_json(const store::GroupRow& g)
{
  return {{"name", g.name},
          {"skills", g.skills},
          {"overflow_to", g.overflow_to.empty() ? nlohmann::json() : nlohmann::json(g.overflow_to)},
          {"overflow_after_s", g.overflow_after_s ? nlohmann::json(*g.overflow_after_s) : nlohmann::json()},
          {"members", g.members}};
}

const std::vector<output::Column> k_group_columns = {
  {"name", "NAME"}, {"skills", "SKILLS"}, {"overflow_to", "OVERFLOW TO"}, {"overflow_after_s", "AFTER (S)"},
  {"members", "MEMBERS"}};

struct GroupAddOptions {
  std::string name;
  std::string skills;
  std::string overflow_to;
  std::string after;
};

Status
run_group_add(const GroupAddOptions& opts, Context& ctx)
{
  store::GroupRow row;
  row.name = opts.name;
  row.skills = split_list(opts.skills);
  row.overflow_to = opts.overflow_to;
  if (!opts.after.empty() && opts.overflow_to.empty())
    return make_error(ErrorKind::usage, "--after needs --overflow-to GROUP");
  if (!opts.overflow_to.empty()) {
    SVC_TRY(after, parse_duration(opts.after.empty() ? std::string("2m") : opts.after));
    row.overflow_after_s = after.count();
  }
  SVC_TRY(store, ctx.store());
  SVC_TRY(added, store->team().add_group(row));
  output::print_object(ctx.format(), ctx.io, group_json(added), k_group_columns);
  ctx.io.status(fmt::format("✓ Added group {} ({} member(s) by skills)", added.name, added.members.size()));
  return {};
}

Status
run_group_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(groups, store->team().groups());
  auto sink = output::make_sink(ctx.format(), ctx.io, k_group_columns);
  for (const auto& g : groups)
    sink->row(group_json(g));
  sink->end();
  return {};
}

} // namespace

void
setup_agent_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AgentAddOptions>();
  cmd.add_option("name", o->name, "The agent's name (as used with --as)")->required();
  cmd.add_option("--skills", o->skills, "Comma-separated skills (groups take agents by skills)");
  cmd.add_option("--max-chats", o->max_chats, "Most conversations held at once")->capture_default_str()
    ->check(CLI::Range(1, 100000));
  cmd.add_option("--status", o->status, "online, away or offline")->capture_default_str()
    ->check(CLI::IsMember({"online", "away", "offline"}));
  inv.bind(&cmd, [o](Context& ctx) { return run_agent_add(*o, ctx); });
}

void
setup_agent_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_agent_list(ctx); });
}

void
setup_agent_remove(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AgentNameOptions>();
  cmd.add_option("name", o->name, "The agent")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_agent_remove(*o, ctx); });
}

void
setup_agent_status(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AgentNameOptions>();
  cmd.add_option("name", o->name, "The agent")->required();
  cmd.add_option("status", o->status, "online, away or offline")->required()
    ->check(CLI::IsMember({"online", "away", "offline"}));
  inv.bind(&cmd, [o](Context& ctx) { return run_agent_status(*o, ctx); });
}

void
setup_group_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<GroupAddOptions>();
  cmd.add_option("name", o->name, "The group's name")->required();
  cmd.add_option("--skills", o->skills, "Comma-separated skills an agent needs to be in the group");
  cmd.add_option("--overflow-to", o->overflow_to, "The group that also takes its conversations after a wait");
  cmd.add_option("--after", o->after, "The wait before overflowing (default 2m)");
  inv.bind(&cmd, [o](Context& ctx) { return run_group_add(*o, ctx); });
}

void
setup_group_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_group_list(ctx); });
}

} // namespace svc::commands
