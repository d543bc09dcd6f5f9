#include "commands/workflow.hpp"

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/output/sink.hpp>
#include <svc/routing/policy.hpp>
#include <svc/workflow/assign.hpp>

namespace svc::commands {

namespace {

struct ConversationOptions {
  std::int64_t conversation = 0;
  bool force = false;
};

void
add_conversation(CLI::App& cmd, ConversationOptions& o, bool with_force)
{
  cmd.add_option("conversation", o.conversation, "Conversation ID")->required();
  if (with_force)
    cmd.add_flag("--force", o.force, "Override another agent's claim (audited)");
}

// Who is acting: refuses an anonymous change where the audit log and claims need a name.
Result<std::string>
acting_agent(const Context& ctx, std::string_view what)
{
  if (ctx.options.agent.empty())
    return make_error(ErrorKind::usage, "{} needs to know who you are", what).with_hint("pass --as AGENT or set SVC_AGENT");
  return ctx.options.agent;
}

nlohmann::json
decision_json(std::int64_t conversation_id, std::string_view policy, const routing::Decision& d)
{
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : d.candidates)
    candidates.push_back({{"agent", c.agent}, {"eligible", c.eligible}, {"reason", c.reason}});
  return {{"conversation", conversation_id},
          {"policy", policy},
          {"assigned_to", d.agent_id ? nlohmann::json(d.agent) : nlohmann::json()},
          {"why", d.why},
          {"candidates", candidates}};
}

// --- claim / release ------------------------------------------------------------------------------

struct ClaimOptions : ConversationOptions {
  std::string ttl = "15m";
};

Status
run_claim(const ClaimOptions& opts, Context& ctx)
{
  SVC_TRY(agent, acting_agent(ctx, "claim"));
  SVC_TRY(ttl, parse_duration(opts.ttl));
  SVC_TRY(store, ctx.store());
  SVC_TRY(claim, store->workflow().claim(opts.conversation, agent, ttl.count(), opts.force));
  output::print_object(ctx.format(), ctx.io,
                       {{"conversation", opts.conversation}, {"agent", claim.agent},
                        {"expires_at", format_iso(claim.expires_at)}},
                       {{"conversation", "conversation"}, {"agent", "agent"}, {"expires_at", "expires_at"}});
  ctx.io.status(fmt::format("✓ {} holds conversation #{} until {}", claim.agent, opts.conversation,
                            format_iso(claim.expires_at)));
  return {};
}

Status
run_release(const ConversationOptions& opts, Context& ctx)
{
  SVC_TRY(agent, acting_agent(ctx, "release"));
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->workflow().release(opts.conversation, agent, opts.force));
  ctx.io.status(fmt::format("✓ Conversation #{} is not claimed", opts.conversation));
  return {};
}

// --- assign / transfer ----------------------------------------------------------------------------

struct AssignOptions : ConversationOptions {
  std::string to;
  bool automatic = false;
  bool all_unassigned = false;
  bool explain = false;
  std::string policy = "least-busy";
};

Status
run_assign_backlog(Context& ctx, const routing::Policy& policy)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(results, workflow::assign_backlog(*store, policy, ctx.options.agent, ctx.clock.now()));
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"conversation", "CONV"}, {"assigned_to", "AGENT"}, {"why", "WHY"}});
  int assigned = 0;
  for (const auto& r : results) {
    assigned += r.decision.agent_id.has_value();
    auto j = decision_json(r.conversation_id, policy.name(), r.decision);
    j.erase("candidates");
    sink->row(j);
  }
  sink->end();
  ctx.io.status(fmt::format("✓ Assigned {} of {} waiting conversation(s) by {}", assigned, results.size(), policy.name()));
  return {};
}

Status
run_assign(const AssignOptions& opts, Context& ctx)
{
  int modes = !opts.to.empty() + opts.automatic + opts.explain;
  if (modes != 1)
    return make_error(ErrorKind::usage, "give one of --to AGENT, --auto or --explain");
  bool has_conversation = opts.conversation != 0;
  if (opts.all_unassigned != !has_conversation || (opts.all_unassigned && !opts.automatic))
    return make_error(ErrorKind::usage, "give a conversation ID, or --auto --all-unassigned for the whole backlog");
  SVC_TRY(policy, routing::make_policy(opts.policy));
  if (opts.all_unassigned)
    return run_assign_backlog(ctx, *policy);
  SVC_TRY(store, ctx.store());
  if (!opts.to.empty()) {
    SVC_CHECK(workflow::assign_to(*store, opts.conversation, opts.to, ctx.options.agent, opts.force));
    ctx.io.status(fmt::format("✓ Assigned conversation #{} to {}", opts.conversation, opts.to));
    return {};
  }
  routing::Decision decision;
  if (opts.explain) {
    SVC_TRY(d, workflow::explain(*store, opts.conversation, *policy, ctx.clock.now()));
    decision = std::move(d);
  } else {
    SVC_TRY(a, workflow::assign_auto(*store, opts.conversation, *policy, ctx.options.agent, opts.force,
                                     ctx.clock.now()));
    decision = std::move(a.decision);
  }
  auto json = decision_json(opts.conversation, policy->name(), decision);
  if (ctx.format() != output::Format::table) {
    output::print_object(ctx.format(), ctx.io, json, {{"conversation", "conversation"}, {"assigned_to", "assigned_to"}});
  } else {
    if (opts.explain) {
      ctx.io.out << fmt::format("Conversation #{} by {}:\n", opts.conversation, policy->name());
      for (const auto& c : decision.candidates)
        ctx.io.out << fmt::format("  {} {:<16} {}\n", c.eligible ? "+" : "-", c.agent, c.reason);
    }
    ctx.io.out << decision.why << '\n';
  }
  if (!opts.explain && !decision.agent_id)
    return make_error(ErrorKind::conflict, "nobody can take conversation #{} now: {}", opts.conversation, decision.why)
      .with_hint("it stays in the backlog; `svc agent status NAME online` or raise --max-chats");
  if (!opts.explain)
    ctx.io.status(fmt::format("✓ Assigned conversation #{} to {}", opts.conversation, decision.agent));
  return {};
}

struct TransferOptions : ConversationOptions {
  std::string group;
  std::string note;
};

Status
run_transfer(const TransferOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(workflow::transfer(*store, opts.conversation, opts.group, opts.note, ctx.options.agent, opts.force));
  ctx.io.status(fmt::format("✓ Conversation #{} handed to group {}", opts.conversation, opts.group));
  return {};
}

// --- status and history ---------------------------------------------------------------------------

Status
run_set_status(const ConversationOptions& opts, Context& ctx, const std::string& status)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->transaction([&]() -> Status {
    SVC_CHECK(store->workflow().require_not_claimed_by_other(opts.conversation, ctx.options.agent, opts.force,
                                                             status == "resolved" ? "resolve" : "reopen"));
    return store->workflow().set_status(opts.conversation, status, ctx.options.agent);
  }));
  ctx.io.status(fmt::format("✓ Conversation #{} is {}", opts.conversation, status));
  return {};
}

Status
run_history(const ConversationOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(entries, store->workflow().history(opts.conversation));
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"at", "AT"}, {"agent", "WHO"}, {"action", "ACTION"}, {"detail", "DETAIL"}});
  for (const auto& e : entries) {
    auto detail = nlohmann::json::parse(e.detail, nullptr, false);
    sink->row({{"id", e.id},
               {"at", format_iso(e.at)},
               {"agent", e.agent.empty() ? nlohmann::json() : nlohmann::json(e.agent)},
               {"action", e.action},
               {"detail", detail.is_discarded() ? nlohmann::json::object() : detail}});
  }
  sink->end();
  return {};
}

} // namespace

void
setup_claim(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ClaimOptions>();
  add_conversation(cmd, *o, true);
  cmd.add_option("--ttl", o->ttl, "How long the claim lasts (renewed by claiming again)")->capture_default_str();
  inv.bind(&cmd, [o](Context& ctx) { return run_claim(*o, ctx); });
}

void
setup_release(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ConversationOptions>();
  add_conversation(cmd, *o, true);
  inv.bind(&cmd, [o](Context& ctx) { return run_release(*o, ctx); });
}

void
setup_assign(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<AssignOptions>();
  cmd.add_option("conversation", o->conversation, "Conversation ID");
  cmd.add_option("--to", o->to, "Assign to this agent");
  cmd.add_flag("--auto", o->automatic, "Let the routing policy choose");
  cmd.add_flag("--all-unassigned", o->all_unassigned, "With --auto: the whole waiting backlog, oldest first");
  cmd.add_flag("--explain", o->explain, "Show the candidates and why the policy would pick one; change nothing");
  cmd.add_option("--policy", o->policy, "round-robin, least-busy, idle-rate, sticky, skills or priority")
    ->capture_default_str();
  cmd.add_flag("--force", o->force, "Override another agent's claim (audited)");
  inv.bind(&cmd, [o](Context& ctx) { return run_assign(*o, ctx); });
}

void
setup_transfer(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TransferOptions>();
  add_conversation(cmd, *o, true);
  cmd.add_option("--to-group", o->group, "The group that takes it over")->required();
  cmd.add_option("--note", o->note, "A note for whoever picks it up (shown by `svc show`)");
  inv.bind(&cmd, [o](Context& ctx) { return run_transfer(*o, ctx); });
}

void
setup_resolve(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ConversationOptions>();
  add_conversation(cmd, *o, true);
  inv.bind(&cmd, [o](Context& ctx) { return run_set_status(*o, ctx, "resolved"); });
}

void
setup_reopen(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ConversationOptions>();
  add_conversation(cmd, *o, true);
  inv.bind(&cmd, [o](Context& ctx) { return run_set_status(*o, ctx, "open"); });
}

void
setup_history(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ConversationOptions>();
  add_conversation(cmd, *o, false);
  inv.bind(&cmd, [o](Context& ctx) { return run_history(*o, ctx); });
}

} // namespace svc::commands
