#include "commands/simulate.hpp"

#include <CLI/CLI.hpp>

#include <svc/output/sink.hpp>
#include <svc/simulate/report.hpp>
#include <svc/simulate/settings.hpp>
#include <svc/simulate/simulate.hpp>
#include <svc/simulate/staff.hpp>
#include <svc/store/simulation_source.hpp>

namespace svc::commands {

namespace {

using namespace svc::simulate;

// The model options as typed, each with its CLI11 option so that "given" can be told from "default"
// (a scenario file fills only what the command line did not give).
struct RawOptions {
  std::string scenario;
  int agents = 0;
  std::string agents_file;
  bool from_state = false;
  std::string arrivals, profile;
  bool replay = false;
  std::string since, handle, patience;
  int max_chats = 1;
  std::string policy, compare, slowdown, duration, warmup, target;
  int replications = 1;
  std::uint64_t seed = 1;
  bool analytic = false;
  bool per_agent = false;
  int max_agents = 10000;  // staff
  CLI::Option* o_agents = nullptr;
  CLI::Option* o_max_chats = nullptr;
  CLI::Option* o_replications = nullptr;
  CLI::Option* o_seed = nullptr;
};

void
add_model_options(CLI::App& cmd, RawOptions& o)
{
  cmd.add_option("--scenario", o.scenario, "A JSON file of these settings (the command line wins)");
  o.o_agents = cmd.add_option("--agents", o.agents, "N identical agents (with --max-chats)");
  cmd.add_option("--agents-file", o.agents_file, "A roster: agents with skills, max chats, shifts; groups");
  cmd.add_flag("--from-state", o.from_state, "The agents and groups of the state file");
  cmd.add_option("--arrivals", o.arrivals, "Poisson arrivals at RATE (120/h, 2/m, 0.5/s)");
  cmd.add_option("--profile", o.profile, "Arrivals by time of day from a file (lines: HH:MM RATE)");
  cmd.add_flag("--replay", o.replay, "Replay the state file's conversations (with --since)");
  cmd.add_option("--since", o.since, "History window for --replay and empirical distributions (default 30d)");
  cmd.add_option("--handle", o.handle, "Handling time: exp:MEAN, lognormal:MEAN,SD, fixed:D, empirical (default exp:4m)");
  cmd.add_option("--patience", o.patience, "Patience: exp:MEAN, none, fixed:D, empirical (default none)");
  o.o_max_chats = cmd.add_option("--max-chats", o.max_chats,
                                 "Chats an agent holds at once (default 1; --from-state: each agent's own)");
  cmd.add_option("--policy", o.policy, "Routing policy (default least-busy)");
  cmd.add_option("--compare", o.compare, "Several policies on the same random streams: P1,P2,...");
  cmd.add_option("--slowdown", o.slowdown, "Pace factor with 1, 2, 3... chats held: 1,1.25,1.5");
  cmd.add_option("--duration", o.duration, "Simulated time (default 8h; --replay: the window)");
  cmd.add_option("--warmup", o.warmup, "Simulated but not measured: 10% (default) or a duration");
  o.o_replications = cmd.add_option("--replications", o.replications, "Independent runs, for 95% intervals");
  o.o_seed = cmd.add_option("--seed", o.seed, "Random seed: the same seed gives the same figures");
  cmd.add_option("--target", o.target, "Service-level target PERCENT/WAIT (default 80/20s)");
}

// The settings the command line gave.
Settings
settings_of(const RawOptions& o)
{
  Settings s;
  if (o.o_agents->count())
    s.agents = o.agents;
  s.agents_file = o.agents_file;
  s.from_state = o.from_state;
  s.arrivals = o.arrivals;
  s.profile_file = o.profile;
  s.replay = o.replay;
  s.since = o.since;
  s.handle = o.handle;
  s.patience = o.patience;
  if (o.o_max_chats->count())
    s.max_chats = o.max_chats;
  s.policy = o.policy;
  s.compare = o.compare;
  s.slowdown = o.slowdown;
  s.duration = o.duration;
  s.warmup = o.warmup;
  s.target = o.target;
  if (o.o_replications->count())
    s.replications = o.replications;
  if (o.o_seed->count())
    s.seed = o.seed;
  return s;
}

// `svc simulate --agents 5 staff --target 90/30s`: what `staff` did not give, `simulate` may have.
void
fill_from(Settings& s, const Settings& parent)
{
  auto text = [](std::string& mine, const std::string& theirs) {
    if (mine.empty())
      mine = theirs;
  };
  if (!s.agents)
    s.agents = parent.agents;
  text(s.agents_file, parent.agents_file);
  s.from_state = s.from_state || parent.from_state;
  text(s.arrivals, parent.arrivals);
  text(s.profile_file, parent.profile_file);
  s.replay = s.replay || parent.replay;
  text(s.since, parent.since);
  text(s.handle, parent.handle);
  text(s.patience, parent.patience);
  if (!s.max_chats)
    s.max_chats = parent.max_chats;
  text(s.policy, parent.policy);
  text(s.compare, parent.compare);
  text(s.slowdown, parent.slowdown);
  text(s.duration, parent.duration);
  text(s.warmup, parent.warmup);
  text(s.target, parent.target);
  if (!s.replications)
    s.replications = parent.replications;
  if (!s.seed)
    s.seed = parent.seed;
}

// The command line's settings with a scenario file's filling the gaps.
Result<Settings>
with_scenario(Settings s, const std::string& scenario)
{
  if (!scenario.empty()) {
    SVC_TRY(text, read_text_file(scenario, "scenario file"));
    SVC_CHECK(apply_scenario(s, text, scenario));
  }
  return s;
}

// The model, with what it needs of the state file read (the team, the history).
Result<Model>
model_of(const Settings& s, Context& ctx)
{
  StateInputs state;
  if (needs_team(s) || needs_history(s)) {
    SVC_TRY(store, ctx.existing_store());
    if (needs_team(s)) {
      SVC_TRY(agents, store->team().agents());
      SVC_TRY(groups, store->team().groups());
      for (const auto& a : agents)
        state.agents.push_back({a.name, a.skills, a.max_chats, {}});
      for (const auto& g : groups) {
        routing::Group r{g.name, g.skills, g.overflow_to, std::nullopt};
        if (g.overflow_after_s)
          r.overflow_after_s = static_cast<double>(*g.overflow_after_s);
        state.groups.push_back(std::move(r));
      }
    }
    if (needs_history(s)) {
      SVC_TRY(window, history_window(s, ctx.clock.now()));
      state.since = window.first;
      state.until = window.second;
      SVC_TRY(inquiries, store::simulation_source(*store)->inquiries(window.first, window.second, "vip"));
      state.inquiries = std::move(inquiries);
    }
  }
  return build_model(s, state);
}

void
print_runs(Context& ctx, const Model& model, const std::vector<PolicyRun>& runs, bool with_analytic, bool per_agent)
{
  std::string why_not;
  std::optional<Analytic> analytic;
  if (with_analytic)
    if (auto q = queue_model(model, why_not))
      analytic = analytic_figures(*q);

  if (ctx.format() != output::Format::table) {
    auto sink = output::make_sink(ctx.format(), ctx.io, {});
    for (const auto& run : runs)
      sink->row(policy_json(run, model, analytic, why_not, with_analytic));
    sink->end();
    return;
  }
  // People: one row per policy side by side (and the closed form's), then groups and agents.
  auto ci = [](const Summary& s, double Figures::*f) -> std::optional<double> {
    if (!s.ci95)
      return std::nullopt;
    return (*s.ci95).*f;
  };
  auto figure_row = [&](const std::string& name, const Summary& s) {
    return nlohmann::json{{"name", name},
                          {"offered", count_cell(s.value.offered, ci(s, &Figures::offered))},
                          {"answered", count_cell(s.value.answered, ci(s, &Figures::answered))},
                          {"abandon_rate", share_cell(s.value.abandon_rate, ci(s, &Figures::abandon_rate))},
                          {"p_wait", share_cell(s.value.p_wait, ci(s, &Figures::p_wait))},
                          {"mean_wait_s", seconds_cell(s.value.mean_wait_s, ci(s, &Figures::mean_wait_s))},
                          {"wait_p90_s", seconds_cell(s.value.wait_p90_s, ci(s, &Figures::wait_p90_s))},
                          {"service_level", share_cell(s.value.service_level, ci(s, &Figures::service_level))},
                          {"occupancy", share_cell(s.value.occupancy, ci(s, &Figures::occupancy))},
                          {"max_queue", count_cell(s.value.max_queue, ci(s, &Figures::max_queue))}};
  };
  std::vector<output::Column> columns = {{"name", "POLICY"},           {"offered", "OFFERED"},
                                         {"answered", "ANSWERED"},     {"abandon_rate", "ABANDONED"},
                                         {"p_wait", "WAITED"},         {"mean_wait_s", "MEAN WAIT"},
                                         {"wait_p90_s", "P90 WAIT"},   {"service_level", "SL " + target_text(model)},
                                         {"occupancy", "OCCUPANCY"},   {"max_queue", "MAX QUEUE"}};
  auto sink = output::make_sink(ctx.format(), ctx.io, columns);
  for (const auto& run : runs)
    sink->row(figure_row(run.policy, run.overall));
  if (analytic) {
    Summary s;
    s.value.p_wait = analytic->p_wait;
    s.value.abandon_rate = analytic->abandon_rate;
    s.value.mean_wait_s = analytic->mean_wait_s;
    s.value.wait_p90_s = analytic->wait_p90_s.value_or(NAN);
    s.value.service_level = analytic->service_level;
    s.value.occupancy = analytic->occupancy;
    nlohmann::json row = figure_row(analytic->model == "erlang_c" ? "(Erlang C)" : "(Erlang A)", s);
    row["offered"] = row["answered"] = row["max_queue"] = "-";
    sink->row(row);
  }
  sink->end();
  if (with_analytic && !analytic)
    ctx.io.status("analytic: not available: " + why_not);

  if (!runs.empty() && !runs.front().groups.empty()) {
    ctx.io.out << '\n';
    columns.insert(columns.begin() + 1, {"group", "GROUP"});
    auto groups = output::make_sink(ctx.format(), ctx.io, columns);
    for (const auto& run : runs)
      for (const auto& g : run.groups) {
        nlohmann::json row = figure_row(run.policy, g.figures);
        row["group"] = g.name.empty() ? std::string("(none)") : g.name;
        groups->row(row);
      }
    groups->end();
  }
  if (per_agent) {
    ctx.io.out << '\n';
    auto agents = output::make_sink(ctx.format(), ctx.io,
                                    {{"policy", "POLICY"}, {"agent", "AGENT"}, {"occupancy", "OCCUPANCY"},
                                     {"answered", "ANSWERED"}});
    for (const auto& run : runs)
      for (const auto& a : run.per_agent)
        agents->row({{"policy", run.policy},
                     {"agent", a.name},
                     {"occupancy", share_cell(a.occupancy, std::nullopt)},
                     {"answered", count_cell(a.answered, std::nullopt)}});
    agents->end();
  }
}

std::string
run_summary(const Model& model, const std::vector<PolicyRun>& runs)
{
  std::uint64_t measured = 0, events = 0;
  double elapsed = 0;
  for (const auto& r : runs) {
    measured += r.measured_arrivals;
    events += r.events;
    elapsed += r.elapsed_s;
  }
  return fmt::format("simulated {:g} h (warm-up {:g} h) x {} replication(s) x {} polic{}: {} arrivals measured, {} "
                     "events in {:.2f} s",
                     model.duration_s / 3600, model.warmup_s / 3600, model.replications, runs.size(),
                     runs.size() == 1 ? "y" : "ies", measured, events, elapsed);
}

Status
run_simulate(const RawOptions& o, Context& ctx)
{
  SVC_TRY(s, with_scenario(settings_of(o), o.scenario));
  SVC_TRY(policies, policies_of(s));
  SVC_TRY(model, model_of(s, ctx));
  SVC_TRY(runs, run_policies(model, policies));
  print_runs(ctx, model, runs, o.analytic, o.per_agent);
  ctx.io.status(run_summary(model, runs));
  return {};
}

Status
run_staff(const RawOptions& o, const RawOptions& parent, Context& ctx)
{
  if (o.max_agents < 1)
    return make_error(ErrorKind::usage, "--max-agents must be at least 1, not {}", o.max_agents)
      .with_hint("the search gives up past this many agents: e.g. --max-agents 500 (default 10000)");
  Settings given = settings_of(o);
  fill_from(given, settings_of(parent));
  SVC_TRY(s, with_scenario(given, o.scenario.empty() ? parent.scenario : o.scenario));
  if (!s.agents && s.agents_file.empty() && !s.roster && !s.from_state)
    s.agents = 1;  // the kind of agent to clone: one chat, no skills (the count is what is searched)
  SVC_TRY(policies, policies_of(s));
  if (policies.size() != 1)
    return make_error(ErrorKind::usage, "simulate staff searches with one policy")
      .with_hint("use --policy P (default least-busy), not --compare");
  SVC_TRY(model, model_of(s, ctx));
  SVC_TRY(staff, find_staff(model, policies.front(), o.max_agents));
  const nlohmann::json j = staff_json(staff, model);
  if (ctx.format() != output::Format::table) {
    output::print_object(ctx.format(), ctx.io, j, {});
  } else {
    nlohmann::json shown = {{"agents", staff.agents},
                            {"service_level", share_cell(staff.at.overall.value.service_level, std::nullopt)},
                            {"target", target_text(model)},
                            {"policy", staff.at.policy},
                            {"mean_wait_s", seconds_cell(staff.at.overall.value.mean_wait_s, std::nullopt)},
                            {"abandon_rate", share_cell(staff.at.overall.value.abandon_rate, std::nullopt)},
                            {"occupancy", share_cell(staff.at.overall.value.occupancy, std::nullopt)}};
    if (staff.at_one_fewer)
      shown["at_one_fewer"] = fmt::format("{} agents: service level {}", staff.at_one_fewer->agents,
                                          share_cell(staff.at_one_fewer->overall.value.service_level, std::nullopt));
    output::print_object(ctx.format(), ctx.io, shown,
                         {{"agents", "agents"},
                          {"policy", "policy"},
                          {"target", "target"},
                          {"service_level", "service level"},
                          {"mean_wait_s", "mean wait"},
                          {"abandon_rate", "abandoned"},
                          {"occupancy", "occupancy"},
                          {"at_one_fewer", "one fewer"}});
  }
  ctx.io.status(fmt::format("searched {} staffing level(s)", staff.simulations));
  return {};
}

} // namespace

void
setup_simulate(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<RawOptions>();
  add_model_options(cmd, *o);
  cmd.add_flag("--analytic", o->analytic, "Print the Erlang C / Erlang A prediction beside (where the model allows)");
  cmd.add_flag("--per-agent", o->per_agent, "Also a table of each agent's occupancy (JSON always has it)");

  // `svc simulate staff`: a subcommand of simulate, bound here (the registry lists top-level
  // commands and groups; simulate is both a command and the parent of staff).
  auto s = std::make_shared<RawOptions>();
  auto* staff = cmd.add_subcommand("staff", "The fewest agents that meet the service-level target");
  add_model_options(*staff, *s);
  staff->add_option("--max-agents", s->max_agents, "Give up past this many agents")->capture_default_str();
  inv.bind(staff, [s, o](Context& ctx) { return run_staff(*s, *o, ctx); });
  inv.bind(&cmd, [o, staff, s](Context& ctx) {
    if (staff->parsed())
      return run_staff(*s, *o, ctx);
    return run_simulate(*o, ctx);
  });
}

} // namespace svc::commands
