#include <svc/automation/rules_apply.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <unistd.h>

#include <svc/automation/bot.hpp>
#include <svc/core/time.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/inbox/template_render.hpp>
#include <svc/store/rule_state.hpp>
#include <svc/workflow/assign.hpp>

namespace svc::automation {

nlohmann::json
MessageReport::to_json() const
{
  return {{"message_id", message_id}, {"conversation_id", conversation_id}, {"account", account},
          {"channel", channel},       {"text", text},                       {"rules", rules},
          {"actions", actions},       {"bot", bot.empty() ? nlohmann::json() : nlohmann::json(bot)}};
}

nlohmann::json
notify_payload(const store::RuleMessage& m, const std::string& rule, UnixTime at)
{
  return {{"rule", rule},
          {"message_id", m.id},
          {"conversation_id", m.conversation_id},
          {"account", m.account},
          {"platform", m.platform},
          {"channel", m.channel},
          {"contact", {{"id", m.contact_id}, {"name", m.contact_name}, {"platform_user_id", m.contact_platform_id}}},
          {"contact_tags", m.contact_tags},
          {"first_contact", m.first_contact},
          {"text", m.text},
          {"created_at", format_iso(m.created_at)},
          {"notified_at", format_iso(at)}};
}

namespace {

const char*
bot_kind(BotOutcome::Kind k)
{
  switch (k) {
  case BotOutcome::Kind::none: return "none";
  case BotOutcome::Kind::answered: return "answered";
  case BotOutcome::Kind::handed_over: return "handed_over";
  case BotOutcome::Kind::welcomed: return "welcomed";
  case BotOutcome::Kind::menu: return "menu";
  }
  return "none";
}

// Errors an action meets in the normal course (the conversation is claimed, a template needs a value
// the contact lacks): the action is skipped and says why; the rest of the message goes on.
bool
skippable(const Error& e)
{
  return e.kind == ErrorKind::conflict || e.kind == ErrorKind::not_found || e.kind == ErrorKind::usage;
}

class Applier
{
public:
  Applier(store::Store& store, const RuleSet& rules, const ApplyOptions& options, const ApplyHooks& hooks,
          const Clock& clock)
    : m_store(store), m_rules(rules), m_options(options), m_hooks(hooks), m_clock(clock),
      m_state(store::rule_state(store, clock))
  {
  }

  Result<ApplySummary> run()
  {
    if (!m_options.dry_run)
      SVC_CHECK(recover());
    SVC_TRY(ids, m_state->unprocessed(m_options.since, m_options.limit));
    for (auto id : ids)
      SVC_CHECK(one(id));
    return m_summary;
  }

private:
  void warn(const std::string& line)
  {
    if (m_hooks.warn)
      m_hooks.warn(line);
  }

  // What an earlier run left after a commit: notifications started by a process that is gone (reported,
  // never rerun), replies recorded but never sent and notifications never started (done now).
  Status recover()
  {
    SVC_TRY(running, m_state->notifications("running"));
    for (const auto& n : running) {
      if (n.pid && (::kill(static_cast<pid_t>(*n.pid), 0) == 0 || errno != ESRCH))
        continue; // still running in another `svc rules apply`
      SVC_CHECK(m_state->interrupt_notification(n.id));
      warn(fmt::format("notification #{} (rule '{}', message #{}) was interrupted: svc stopped while its command "
                       "ran; its outcome is unknown and it is not run again",
                       n.id, n.rule, n.message_id));
      m_summary.interrupted.push_back(n);
    }
    SVC_TRY(unsent, m_state->unsent_replies());
    for (auto id : unsent)
      deliver(id);
    SVC_TRY(pending, m_state->notifications("pending"));
    for (const auto& n : pending)
      SVC_CHECK(notify(n));
    return {};
  }

  void deliver(std::int64_t outbox_id)
  {
    if (!m_hooks.deliver)
      return;
    auto sent = m_hooks.deliver(outbox_id);
    if (sent || sent.error().kind == ErrorKind::conflict) // conflict: another run is sending it
      return;
    ++m_summary.delivery_failures;
    warn(fmt::format("outbox #{}: {}", outbox_id, sent.error().message));
    if (!m_summary.first_delivery_error)
      m_summary.first_delivery_error = sent.error();
  }

  Status notify(const store::RuleNotification& n)
  {
    SVC_TRY(started, m_state->start_notification(n.id, ::getpid())); // committed before the command runs
    if (!started)
      return {}; // another run took it
    auto argv = nlohmann::json::parse(n.command, nullptr, false);
    std::vector<std::string> args;
    if (argv.is_array())
      for (const auto& a : argv)
        if (a.is_string())
          args.push_back(a.get<std::string>());
    auto ran = run_command(args, n.payload, m_rules.notify_timeout);
    if (ran && *ran == 0)
      return m_state->finish_notification(n.id, true, 0, "");
    ++m_summary.notify_failures;
    std::string why = ran ? fmt::format("exited with status {}", *ran) : ran.error().message;
    warn(fmt::format("notify of rule '{}' for message #{}: {}", n.rule, n.message_id, why));
    return m_state->finish_notification(n.id, false, ran ? std::optional<int>(*ran) : std::nullopt, why);
  }

  // {agent} in a rule's reply is the agent the customer deals with: the conversation's assignee. Never
  // "rules" (the actor in the audit log and outbox, which a customer must not see); with no assignee, a
  // template that uses {agent} cannot be filled and the reply is skipped (usage: skippable).
  Result<std::string> agent_for_template(const store::RuleMessage& m, const std::string& name, const std::string& text)
  {
    SVC_TRY(parts, inbox::parse_template(name, text));
    auto used = inbox::template_variables(parts);
    if (std::find(used.begin(), used.end(), "agent") == used.end())
      return std::string();
    SVC_TRY(facts, m_store.workflow().routing_facts(m.conversation_id));
    if (facts.assignee.empty())
      return make_error(ErrorKind::usage, "template '{}' uses {{agent}} and conversation #{} has no assigned agent", name,
                        m.conversation_id)
        .with_hint("assign the conversation (svc assign) or reply with a template without {agent}");
    return facts.assignee;
  }

  // The reply of a rule: its template rendered for the message's contact, recorded in the outbox.
  Result<std::int64_t> reply(const store::RuleMessage& m, const Rule& rule, std::string& text)
  {
    SVC_TRY(tpl, m_store.templates().get(rule.then.reply));
    std::optional<inbox::TemplateContact> contact;
    if (m.contact_id != 0) {
      SVC_TRY(c, m_store.outreach().contact(m.contact_id));
      contact = inbox::TemplateContact{c.id, c.name, c.attributes};
    }
    SVC_TRY(agent, agent_for_template(m, tpl.name, tpl.text));
    SVC_TRY(rendered, inbox::render_template(tpl.name, tpl.text, inbox::template_values(contact, agent, m.account, {})));
    text = rendered;
    if (m_options.dry_run)
      return std::int64_t{0};
    SVC_TRY(item, inbox::prepare_reply(m_store, m.conversation_id, text, std::string(k_rules_agent)));
    item.kind = "rule";
    item.message.reply_to = m.platform_message_id; // this message, not whichever is newest
    return inbox::record_reply(m_store, item, false);
  }

  // Makes (or, with dry_run, only checks) one action; its outcome goes into `entry`: "done", "dry_run", or
  // "skipped: WHY" for a skippable error.
  Status act(const store::RuleMessage& m, const Rule& rule, nlohmann::json& entry, MessageReport& report,
             bool& replied, bool& stop_bot)
  {
    const std::string action = entry.at("action");
    const std::string agent(k_rules_agent);
    bool dry = m_options.dry_run;
    auto done = [&](const Status& s) -> Status {
      if (s) {
        entry["outcome"] = dry ? "dry_run" : "done";
        return {};
      }
      if (!skippable(s.error()))
        return s;
      entry["outcome"] = "skipped: " + s.error().message;
      return {};
    };
    if (action == "reply") {
      if (replied) {
        entry["outcome"] = "skipped: an earlier rule already replied";
        return {};
      }
      std::string text;
      auto id = reply(m, rule, text);
      if (!id)
        return done(id.error());
      replied = true;
      entry["text"] = text;
      if (!dry) {
        entry["outbox_id"] = *id;
        report.outbox_ids.push_back(*id);
        ++m_summary.replies;
      }
      return done({});
    }
    if (action == "tag") {
      if (m.contact_id == 0)
        return done(make_error(ErrorKind::not_found, "the message has no contact"));
      if (dry)
        return done({});
      auto added = m_store.contacts().add_tags(m.contact_id, rule.then.tags, "rule", agent);
      return done(added ? Status{} : Status{added.error()});
    }
    if (action == "spam") {
      // Tagged spam (so later messages can be matched with not_tags) and resolved; no reply, no bot.
      stop_bot = true;
      if (dry)
        return done({});
      if (m.contact_id != 0) {
        auto added = m_store.contacts().add_tags(m.contact_id, {"spam"}, "rule", agent);
        if (!added)
          return done(added.error());
      }
      return done(m_store.workflow().set_status(m.conversation_id, "resolved", agent));
    }
    if (action == "route") {
      if (dry)
        return done({});
      return done(workflow::transfer(m_store, m.conversation_id, rule.then.route, fmt::format("rule '{}'", rule.name),
                                     agent, false));
    }
    if (action == "priority") {
      if (dry)
        return done({});
      return done(m_state->set_priority(m.conversation_id, *rule.then.priority, agent, rule.name));
    }
    if (action == "ignore") {
      stop_bot = true;
      return done({});
    }
    if (action == "notify") {
      if (dry)
        return done({});
      nlohmann::json argv = rule.then.notify;
      SVC_TRY(id, m_state->add_notification(m.id, rule.name, argv.dump(),
                                            notify_payload(m, rule.name, m_clock.now()).dump()));
      entry["notification_id"] = id;
      report.notification_ids.push_back(id);
      return done({}); // the command runs after the commit
    }
    return {};
  }

  Status evaluate(const store::RuleMessage& m, MessageReport& report)
  {
    report.message_id = m.id;
    report.conversation_id = m.conversation_id;
    report.account = m.account;
    report.channel = m.channel;
    report.text = m.text;
    bool replied = false, stop_bot = false;
    for (const Rule* rule : matching_rules(m_rules, m, m_clock.now())) {
      report.rules.push_back(rule->name);
      for (auto entry : describe_actions(*rule)) {
        entry["rule"] = rule->name;
        SVC_CHECK(act(m, *rule, entry, report, replied, stop_bot));
        report.actions.push_back(std::move(entry));
      }
    }
    if (!replied && !stop_bot) {
      SVC_TRY(bot, run_bot(m_store, m.id, m_options.dry_run));
      report.bot = bot_kind(bot.kind);
      if (bot.outbox_id && !m_options.dry_run)
        report.outbox_ids.push_back(*bot.outbox_id);
    }
    return {};
  }

  Status one(std::int64_t id)
  {
    MessageReport report;
    if (m_options.dry_run) {
      SVC_TRY(m, m_state->message(id));
      SVC_CHECK(evaluate(m, report));
      ++m_summary.processed;
      if (m_hooks.on_message)
        m_hooks.on_message(report);
      return {};
    }
    bool skipped = false;
    SVC_CHECK(m_store.transaction([&]() -> Status {
      SVC_TRY(done, m_state->processed(id)); // under the write lock: another run may have just done it
      if (done) {
        skipped = true;
        return {};
      }
      SVC_TRY(m, m_state->message(id));
      SVC_CHECK(evaluate(m, report));
      nlohmann::json result = report.to_json();
      result.erase("text");
      result["outbox_ids"] = report.outbox_ids;
      return m_state->mark_processed(id, result.dump());
    }));
    if (skipped) {
      ++m_summary.skipped;
      return {};
    }
    ++m_summary.processed;
    for (auto outbox_id : report.outbox_ids)
      deliver(outbox_id);
    SVC_TRY(notifications, m_state->notifications("pending"));
    for (const auto& n : notifications)
      if (std::find(report.notification_ids.begin(), report.notification_ids.end(), n.id)
          != report.notification_ids.end())
        SVC_CHECK(notify(n));
    if (m_hooks.on_message)
      m_hooks.on_message(report);
    return {};
  }

  store::Store& m_store;
  const RuleSet& m_rules;
  const ApplyOptions& m_options;
  const ApplyHooks& m_hooks;
  const Clock& m_clock;
  std::unique_ptr<store::RuleState> m_state;
  ApplySummary m_summary;
};

} // namespace

Result<ApplySummary>
apply_rules(store::Store& store, const RuleSet& rules, const ApplyOptions& options, const ApplyHooks& hooks,
            const Clock& clock)
{
  return Applier(store, rules, options, hooks, clock).run();
}

} // namespace svc::automation
