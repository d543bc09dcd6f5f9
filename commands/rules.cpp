#include "commands/rules.hpp"

#include <map>

#include <CLI/CLI.hpp>

#include <svc/automation/rules.hpp>
#include <svc/automation/rules_apply.hpp>
#include <svc/contacts/names.hpp>
#include <svc/core/time.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/inbox/template_render.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

// "reply greet; tag vip, new; route billing" for table cells.
std::string
summary(const nlohmann::json& actions)
{
  std::string out;
  for (const auto& a : actions) {
    std::string one = a.at("action");
    if (a.contains("template"))
      one += " " + a.at("template").get<std::string>();
    if (a.contains("tags"))
      one += " " + output::cell_text(a.at("tags"));
    if (a.contains("group"))
      one += " " + a.at("group").get<std::string>();
    if (a.contains("priority"))
      one += " " + std::to_string(a.at("priority").get<int>());
    if (a.contains("command"))
      one += " " + a.at("command").at(0).get<std::string>();
    if (a.contains("outcome") && a.at("outcome") != "done" && a.at("outcome") != "dry_run")
      one += " (" + a.at("outcome").get<std::string>() + ")";
    out += (out.empty() ? "" : "; ") + one;
  }
  return out;
}

// The rules file, parsed and checked (with the template and group names the state file knows, when
// `store` is given): usage (exit 2) naming the first problem's line.
Result<automation::ParsedRules>
load(const std::optional<std::string>& flag, Context& ctx, store::Store* store)
{
  SVC_TRY(path, automation::rules_path(flag, ctx.getenv));
  SVC_TRY(parsed, automation::read_rules(path));
  if (parsed.problems.empty() && store)
    SVC_CHECK(automation::check_against_store(parsed, *store));
  if (!parsed.problems.empty())
    return automation::problems_error(parsed);
  return parsed;
}

} // namespace

Status
run_rules_check(const RulesCheckOptions& opts, Context& ctx)
{
  SVC_TRY(path, automation::rules_path(opts.file, ctx.getenv));
  SVC_TRY(parsed, automation::read_rules(path));
  if (parsed.problems.empty()) {
    auto store = ctx.existing_store();
    if (store)
      SVC_CHECK(automation::check_against_store(parsed, **store));
    else if (store.error().kind == ErrorKind::not_found)
      ctx.io.warn("templates and groups were not checked: there is no state file yet");
    else
      return store.error();
  }
  if (!parsed.problems.empty()) {
    // Every problem, in line order: all but the last here, the last as the command's error.
    for (std::size_t i = 0; i + 1 < parsed.problems.size(); ++i)
      ctx.io.err << "svc: error: " << automation::format_problem(parsed.rules.path, parsed.problems[i]) << '\n';
    return make_error(ErrorKind::usage, "{}", automation::format_problem(parsed.rules.path, parsed.problems.back()))
      .with_hint(parsed.problems.size() > 1 ? fmt::format("{} problems; the format is in `man svc-rules`",
                                                          parsed.problems.size())
                                            : std::string("the format is in `man svc-rules`"));
  }
  auto sink = output::make_sink(ctx.format(), ctx.io, {{"name", "RULE"}, {"line", "LINE"}, {"summary", "ACTIONS"}});
  for (const auto& rule : parsed.rules.rules) {
    auto actions = automation::describe_actions(rule);
    sink->row({{"name", rule.name}, {"line", rule.line}, {"actions", actions}, {"summary", summary(actions)},
               {"stop", rule.stop}});
  }
  sink->end();
  ctx.io.status(fmt::format("✓ {}: {} rule{}, no problems", parsed.rules.path, parsed.rules.rules.size(),
                            parsed.rules.rules.size() == 1 ? "" : "s"));
  return {};
}

void
setup_rules_check(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<RulesCheckOptions>();
  cmd.add_option("file", o->file,
                 "The rules file (default: SVC_RULES, else $XDG_CONFIG_HOME/svc/rules.toml)");
  inv.bind(&cmd, [o](Context& ctx) { return run_rules_check(*o, ctx); });
}

Status
run_rules_test(const RulesTestOptions& opts, Context& ctx)
{
  if (opts.channel != "dm" && opts.channel != "comment" && opts.channel != "mention")
    return make_error(ErrorKind::usage, "unknown channel '{}'", opts.channel).with_hint("channels: dm, comment, mention");
  if (!opts.contact.empty() && !opts.account.empty())
    return make_error(ErrorKind::usage, "--account is the contact's own with --contact").with_hint("drop --account");
  UnixTime at = ctx.clock.now();
  if (!opts.at.empty()) {
    SVC_TRY(t, parse_time(opts.at, ctx.clock.now()));
    at = t;
  }
  // The state file is read when there is one (template and group names, the contact); never created.
  store::Store* store = nullptr;
  if (auto existing = ctx.existing_store())
    store = *existing;
  else if (existing.error().kind != ErrorKind::not_found)
    return existing.error();
  SVC_TRY(parsed, load(opts.rules, ctx, store));

  store::RuleMessage m;
  m.text = opts.text;
  m.channel = opts.channel;
  m.account = opts.account;
  m.first_contact = true; // an unnamed sender is someone new
  std::optional<inbox::TemplateContact> template_contact;
  if (!opts.contact.empty()) {
    if (!store)
      return make_error(ErrorKind::not_found, "no contact '{}': there is no state file yet", opts.contact);
    SVC_TRY(contact, contacts::resolve(*store, opts.contact));
    m.contact_id = contact.id;
    m.account = contact.account;
    m.platform = domain::to_string(contact.platform);
    m.contact_name = contact.name;
    m.contact_platform_id = contact.platform_user_id;
    m.contact_tags = contact.tags;
    m.first_contact = !contact.last_inbound_at.has_value();
    template_contact = inbox::TemplateContact{contact.id, contact.name, contact.attributes};
  }

  auto sink = output::make_sink(ctx.format(), ctx.io, {{"rule", "RULE"}, {"line", "LINE"}, {"summary", "WOULD"}});
  auto fired = automation::matching_rules(parsed.rules, m, at);
  for (const auto* rule : fired) {
    auto actions = automation::describe_actions(*rule);
    for (auto& a : actions) {
      if (a.at("action") != "reply" || !store)
        continue;
      // The text the reply would have, when the template can be rendered for this sender.
      auto tpl = store->templates().get(rule->then.reply);
      if (!tpl)
        continue;
      auto text = inbox::render_template(
        tpl->name, tpl->text,
        inbox::template_values(template_contact, std::string(automation::k_rules_agent), m.account, {}));
      if (text)
        a["text"] = *text;
      else
        a["outcome"] = "skipped: " + text.error().message;
    }
    sink->row({{"rule", rule->name}, {"line", rule->line}, {"actions", actions}, {"summary", summary(actions)}});
  }
  sink->end();
  if (fired.empty())
    ctx.io.status("no rule fires on this text");
  return {};
}

void
setup_rules_test(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<RulesTestOptions>();
  cmd.add_option("text", o->text, "The message text to test")->required();
  cmd.add_option("--channel", o->channel, "The channel it arrives on: dm, comment or mention (default dm)");
  cmd.add_option("--contact", o->contact,
                 "From this CONTACT (id or ACCOUNT:PLATFORM_USER_ID): its tags, account, and whether it wrote before");
  cmd.add_option("--account", o->account, "Arriving at this account NAME (without --contact)");
  cmd.add_option("--at", o->at, "As if it arrived at TIME (ISO 8601 or relative, e.g. 2h), for time windows");
  cmd.add_option("--rules", o->rules, "The rules FILE (default: SVC_RULES, else $XDG_CONFIG_HOME/svc/rules.toml)");
  inv.bind(&cmd, [o](Context& ctx) { return run_rules_test(*o, ctx); });
}

Status
run_rules_apply(const RulesApplyOptions& opts, Context& ctx)
{
  SVC_TRY(since, parse_time(opts.since, ctx.clock.now()));
  SVC_TRY(store, ctx.store());
  SVC_TRY(parsed, load(opts.rules, ctx, store));

  // Replies are sent as `svc reply` sends them, one connection per account.
  std::map<std::string, std::unique_ptr<inbox::Connection>> connections;
  automation::ApplyHooks hooks;
  hooks.deliver = [&](std::int64_t outbox_id) -> Status {
    SVC_TRY(item, store->outbox().get(outbox_id));
    auto& conn = connections[item.account];
    if (!conn) {
      SVC_TRY(account, store->accounts().get(item.account));
      SVC_TRY(connected, ctx.connect(account));
      conn = std::move(connected);
    }
    SVC_CHECK(inbox::deliver(*store, conn->channel(), outbox_id, false));
    return {};
  };
  hooks.warn = [&](const std::string& line) { ctx.io.warn(line); };
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"message_id", "MSG"}, {"conversation_id", "CONV"}, {"channel", "CHANNEL"},
                                 {"summary", "ACTIONS"}, {"bot", "BOT"}, {"text", "TEXT"}});
  if (opts.listing)
    hooks.on_message = [&](const automation::MessageReport& r) {
      nlohmann::json row = r.to_json();
      row["summary"] = summary(r.actions);
      sink->row(row);
    };
  automation::ApplyOptions options;
  options.since = since;
  options.dry_run = opts.dry_run;
  options.limit = opts.limit;
  auto applied = automation::apply_rules(*store, parsed.rules, options, hooks, ctx.clock);
  if (opts.listing)
    sink->end();
  if (!applied)
    return applied.error();
  const auto& s = *applied;
  if (opts.dry_run)
    ctx.io.status(fmt::format("(dry run: {} message{} evaluated; nothing was changed, sent or run)", s.processed,
                              s.processed == 1 ? "" : "s"));
  else
    ctx.io.status(fmt::format("✓ Processed {} message{} ({} repl{} recorded{})", s.processed,
                              s.processed == 1 ? "" : "s", s.replies, s.replies == 1 ? "y" : "ies",
                              s.skipped ? fmt::format(", {} done meanwhile by another run", s.skipped) : ""));
  if (s.first_delivery_error) {
    Error e = *s.first_delivery_error;
    e.message = fmt::format("{} repl{} not delivered: {}", s.delivery_failures,
                            s.delivery_failures == 1 ? "y was" : "ies were", e.message);
    if (e.hint.empty())
      e.hint = "`svc outbox list` shows them; the messages stay processed";
    return e;
  }
  return {};
}

void
setup_rules_apply(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<RulesApplyOptions>();
  cmd.add_option("--since", o->since,
                 "Only messages created since TIME (ISO 8601 or relative; default 7d, so a first run does not "
                 "answer old history)");
  cmd.add_flag("--dry-run", o->dry_run, "Show what the rules would do; change, send and run nothing");
  cmd.add_option("--limit", o->limit, "Process at most N messages this run")->check(CLI::PositiveNumber);
  cmd.add_option("--rules", o->rules, "The rules FILE (default: SVC_RULES, else $XDG_CONFIG_HOME/svc/rules.toml)");
  inv.bind(&cmd, [o](Context& ctx) { return run_rules_apply(*o, ctx); });
}

} // namespace svc::commands
