// The knowledge-base bot (the rules are in bot.hpp; the knowledge base's decisions in kb.hpp).
#include <svc/automation/bot.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <svc/automation/kb.hpp>
#include <svc/inbox/guard.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/inbox/template_render.hpp>
#include <svc/routing/policy.hpp>
#include <svc/store/knowledge_base.hpp>
#include <svc/store/store.hpp>
#include <svc/workflow/assign.hpp>

namespace svc::automation {

namespace {

constexpr std::string_view k_routing_policy = "least-busy";

// The `welcome` template rendered for the contact ("" when there is none); a variable the contact has
// no value for renders empty rather than keeping the welcome from going out.
Result<std::string>
welcome_template(store::Store& store, const store::ConversationRow& conv)
{
  auto tpl = store.templates().get(std::string(k_welcome_template));
  if (!tpl)
    return tpl.error().kind == ErrorKind::not_found ? Result<std::string>(std::string()) : tpl.error();
  std::optional<inbox::TemplateContact> contact;
  if (conv.contact_id != 0) {
    SVC_TRY(c, store.outreach().contact(conv.contact_id));
    contact = inbox::TemplateContact{c.id, c.name, c.attributes};
  }
  auto values = inbox::template_values(contact, std::string(k_bot_agent), conv.account, {});
  SVC_TRY(parts, inbox::parse_template(tpl->name, tpl->text));
  for (const auto& v : inbox::missing_variables(parts, values))
    values.emplace(v, "");
  return inbox::render_template(tpl->name, tpl->text, values);
}

// Why the bot must stay out of this message's conversation, or "".
Result<std::string>
why_silent(store::Store& store, const store::BotFacts& f)
{
  if (!f.inbound)
    return std::string("not an inbound message");
  if (f.decided)
    return std::string("the bot already decided this message");
  if (!f.newest_inbound)
    return std::string("a newer message of the customer follows it");
  if (f.bot_answered_since)
    return std::string("the bot already answered since");
  if (f.agent_replied_since)
    return std::string("someone replied since the message arrived");
  SVC_TRY(claim, store.workflow().claim_of(f.conversation_id));
  if (claim && claim->agent != k_bot_agent)
    return fmt::format("{} holds the conversation's claim", claim->agent);
  if (f.contact_id != 0) {
    SVC_TRY(tags, store.contacts().tags(f.contact_id));
    if (std::any_of(tags.begin(), tags.end(), [](const auto& t) { return t.name == k_needs_human_tag; }))
      return fmt::format("the contact is tagged {} (handed over)", k_needs_human_tag);
  }
  return std::string();
}

Status
hand_over(store::Store& store, const store::BotFacts& f, const std::string& reason, UnixTime now)
{
  if (f.contact_id != 0)
    SVC_CHECK(store.contacts().add_tags(f.contact_id, {std::string(k_needs_human_tag)}, "rule",
                                        std::string(k_bot_agent)));
  SVC_CHECK(store.workflow().audit(f.conversation_id, std::string(k_bot_agent), "handed_over",
                                   nlohmann::json{{"message_id", f.message_id}, {"reason", reason}}.dump()));
  SVC_TRY(conv, store.conversations().get(f.conversation_id));
  if (!conv.assignee.empty())
    return {}; // already with an agent
  SVC_TRY(policy, routing::make_policy(k_routing_policy));
  // Nobody online: the decision names no agent and the conversation waits in the backlog.
  SVC_TRY(assigned, workflow::assign_auto(store, f.conversation_id, *policy, std::string(k_bot_agent), false, now));
  (void)assigned;
  return {};
}

Result<std::int64_t>
record_answer(store::Store& store, const store::BotFacts& f, const std::string& text)
{
  SVC_TRY(item, inbox::prepare_reply(store, f.conversation_id, text, std::string(k_bot_agent)));
  item.kind = "bot";
  return inbox::record_reply(store, item, false, false);
}

} // namespace

std::string_view
to_string(BotOutcome::Kind kind)
{
  switch (kind) {
  case BotOutcome::Kind::none:
    return "none";
  case BotOutcome::Kind::answered:
    return "answered";
  case BotOutcome::Kind::handed_over:
    return "handed_over";
  case BotOutcome::Kind::welcomed:
    return "welcomed";
  case BotOutcome::Kind::menu:
    return "menu";
  }
  return "none";
}

Result<BotOutcome>
run_bot(store::Store& store, std::int64_t message_id, bool dry_run)
{
  SystemClock clock;
  return run_bot(store, message_id, dry_run, clock);
}

Result<BotOutcome>
run_bot(store::Store& store, std::int64_t message_id, bool dry_run, const Clock& clock)
{
  BotOutcome out;
  SVC_CHECK(store.transaction([&]() -> Status {
    auto ledger = store::bot_ledger(store);
    SVC_TRY(f, ledger->facts(message_id));
    SVC_TRY(silent, why_silent(store, f));
    if (!silent.empty()) {
      out.detail = silent;
      return {};
    }
    store::BotRun run;
    run.message_id = f.message_id;
    run.conversation_id = f.conversation_id;
    run.at = clock.now();

    auto kb = store::knowledge_base(store);
    SVC_TRY(settings, kb->settings());
    if (f.first_from_contact && !asks_for_human(settings.human_phrases, f.text)) {
      SVC_TRY(conv, store.conversations().get(f.conversation_id));
      SVC_TRY(welcome, welcome_template(store, conv));
      SVC_TRY(entries, kb->list());
      std::string menu = menu_text(entries, settings.menu_header);
      if (!welcome.empty() || !menu.empty()) {
        out.kind = BotOutcome::Kind::welcomed;
        out.text = welcome.empty() ? menu : menu.empty() ? welcome : welcome + "\n\n" + menu;
        out.detail = welcome.empty() ? "the contact's first message: the menu"
                                     : "the contact's first message: the welcome template";
      }
    }
    if (out.kind == BotOutcome::Kind::none) {
      SVC_TRY(d, decide(store, f.text));
      run.confidence = d.confidence;
      if (d.entry)
        run.entry_id = d.entry->id;
      out.detail = d.reason;
      out.text = d.text;
      out.kind = d.kind == KbDecision::Kind::answer ? BotOutcome::Kind::answered
               : d.kind == KbDecision::Kind::menu   ? BotOutcome::Kind::menu
                                                    : BotOutcome::Kind::handed_over;
    }
    if (out.kind != BotOutcome::Kind::handed_over) {
      // The guard's refusal is no reason to leave the customer without anyone: a human takes over.
      if (auto allowed = inbox::check_outgoing(store, out.text, false); !allowed) {
        out.kind = BotOutcome::Kind::handed_over;
        out.detail = fmt::format("the brand guard refused the answer: {}", allowed.error().message);
        out.text.clear();
      }
    }
    run.outcome = std::string(to_string(out.kind));
    run.detail = out.detail;
    if (dry_run)
      return {};
    if (out.kind == BotOutcome::Kind::handed_over) {
      SVC_CHECK(hand_over(store, f, out.detail, clock.now()));
    } else {
      SVC_TRY(id, record_answer(store, f, out.text));
      out.outbox_id = id;
      run.outbox_id = id;
    }
    return ledger->record(run);
  }));
  return out;
}

} // namespace svc::automation
