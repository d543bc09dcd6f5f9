#include <svc/inbox/send.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <svc/core/sha1.hpp>
#include <svc/inbox/guard.hpp>
#include <svc/inbox/pacing.hpp>
#include <svc/inbox/send_window.hpp>
#include <svc/inbox/template_render.hpp>

namespace svc::inbox {

namespace {

// Why a contact the run already has a row for is not sent to again; "" when it may be (the row is
// pending: never tried, or failed: refused by the platform, so nothing was delivered).
std::string
earlier_attempt(const store::OutboxItem& row)
{
  if (row.status == "sent")
    return fmt::format("already sent in this run (outbox #{})", row.id);
  if (row.status == "unknown" || row.status == "sending")
    return fmt::format("outcome unknown in an earlier attempt (outbox #{}): check on the platform; "
                       "`svc outbox retry {} --force` sends it again",
                       row.id, row.id);
  if (row.status == "cancelled")
    return fmt::format("cancelled (outbox #{})", row.id);
  return "";
}

// The contacts --to names, in the order given, each once.
Result<std::vector<store::OutreachContact>>
resolve_to(store::Store& store, const SendRequest& request)
{
  std::vector<store::OutreachContact> out;
  std::set<std::int64_t> seen;
  for (const auto& ref : request.to) {
    Result<store::OutreachContact> found = make_error(ErrorKind::failed, "unresolved");
    auto colon = ref.find(':');
    std::string prefix = colon == std::string::npos ? "" : ref.substr(0, colon);
    if (!prefix.empty() && prefix == request.account.name) {
      found = store.outreach().find(request.account.id, ref.substr(colon + 1), true);
    } else if (!prefix.empty() && store.accounts().get(prefix)) {
      return make_error(ErrorKind::usage, "contact '{}' is on account {}, not {}", ref, prefix, request.account.name)
        .with_hint("`svc send` writes from one account (--account) to its own contacts");
    } else {
      found = store.outreach().find(request.account.id, ref, false);
    }
    if (!found)
      return Error(std::move(found).error()).prefixed(fmt::format("--to {}", ref));
    if (seen.insert(found->id).second)
      out.push_back(std::move(found).value());
  }
  return out;
}

store::OutboxItem
outbox_row(const SendPlan& plan, const SendTarget& target)
{
  store::OutboxItem item;
  item.account_id = plan.account.id;
  item.account = plan.account.name;
  item.contact_id = target.contact.id;
  item.kind = "send";
  item.run_key = plan.run_key;
  item.agent = plan.agent;
  item.message.channel = domain::ChannelKind::dm;
  item.message.to_user = target.contact.platform_user_id;
  item.message.thread_key = target.contact.platform_user_id; // the private chat, never a group
  item.message.text = target.text;
  return item;
}

// Errors that are about the account or the platform, not this one customer: the next send would meet
// them too.
bool
stops_the_run(const Error& e)
{
  return !e.outcome_unknown && (e.kind == ErrorKind::auth || e.kind == ErrorKind::temporary);
}

} // namespace

std::string_view
to_string(SendStatus status)
{
  switch (status) {
  case SendStatus::would_send:
    return "would_send";
  case SendStatus::sent:
    return "sent";
  case SendStatus::skipped:
    return "skipped";
  case SendStatus::failed:
    return "failed";
  case SendStatus::unknown:
    return "unknown";
  }
  return "unknown";
}

std::string
derive_run_key(const SendRequest& request, const std::vector<std::int64_t>& contact_ids)
{
  std::string canonical = "account\n" + request.account.name + "\n";
  if (!request.tag.empty()) {
    canonical += "tag\n" + request.tag + "\n";
  } else {
    std::vector<std::int64_t> ids = contact_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    canonical += "to\n";
    for (auto id : ids)
      canonical += std::to_string(id) + "\n";
  }
  if (!request.template_name.empty()) {
    std::vector<std::string> vars = request.vars;
    std::sort(vars.begin(), vars.end());
    canonical += "template\n" + request.template_name + "\n";
    for (const auto& v : vars)
      canonical += "var\n" + v + "\n";
  } else {
    canonical += "text\n" + request.text + "\n";
  }
  return "send-" + sha1_hex(canonical).substr(0, 16);
}

Status
check_send_request(const SendRequest& request)
{
  if (request.to.empty() == request.tag.empty())
    return make_error(ErrorKind::usage, "say whom to send to: --to CONTACT or --tag TAG (one of them)")
      .with_hint(request.to.empty() ? "add --to CONTACT (repeatable; see svc contact list) or --tag TAG"
                                    : "send to the listed contacts (--to) or to a tag (--tag), not both: drop one");
  if (request.text.empty() == request.template_name.empty())
    return make_error(ErrorKind::usage, "say what to send: --text TEXT or --template NAME (one of them)")
      .with_hint(request.text.empty() ? "add --text \"...\" or --template NAME (see svc template list)"
                                      : "--text and --template exclude each other: keep one");
  if (!request.vars.empty() && request.template_name.empty())
    return make_error(ErrorKind::usage, "--var only fills a --template")
      .with_hint("send with --template NAME --var KEY=VALUE, or drop --var");
  SVC_CHECK(parse_template_vars(request.vars));
  return {};
}

Result<SendPlan>
plan_send(store::Store& store, const SendRequest& request, UnixTime now)
{
  SVC_CHECK(check_send_request(request));

  // The template, checked once for everything that does not depend on the contact.
  std::string template_text;
  std::vector<TemplatePart> parts;
  TemplateValues vars;
  if (!request.template_name.empty()) {
    SVC_TRY(row, store.templates().get(request.template_name));
    SVC_TRY(parsed, parse_template(request.template_name, row.text));
    SVC_TRY(given, parse_template_vars(request.vars));
    template_text = row.text;
    parts = std::move(parsed);
    vars = std::move(given);
    // What is missing for everyone is an error now; what only some contacts lack skips those.
    TemplateValues shared = template_values(std::nullopt, request.agent, request.account.name, vars);
    for (const auto& v : template_variables(parts))
      if (is_contact_variable(v))
        shared.emplace(v, "");
    auto checked = render_template(request.template_name, template_text, shared);
    if (!checked)
      return std::move(checked).error();
  }

  std::vector<store::OutreachContact> contacts;
  if (!request.tag.empty()) {
    SVC_TRY(tagged, store.outreach().tagged(request.account.id, request.tag));
    contacts = std::move(tagged);
  } else {
    SVC_TRY(named, resolve_to(store, request));
    contacts = std::move(named);
  }

  SendPlan plan;
  plan.account = request.account;
  plan.agent = request.agent;
  if (!request.run_key.empty()) {
    plan.run_key = request.run_key;
  } else {
    std::vector<std::int64_t> ids;
    for (const auto& c : contacts)
      ids.push_back(c.id);
    plan.run_key = derive_run_key(request, ids);
  }
  SVC_TRY(rows, store.outreach().run(plan.run_key));
  std::map<std::int64_t, store::OutboxItem> earlier;
  for (auto& row : rows)
    if (row.contact_id)
      earlier.emplace(*row.contact_id, std::move(row));

  for (auto& contact : contacts) {
    SendTarget t;
    t.contact = std::move(contact);
    if (auto row = earlier.find(t.contact.id); row != earlier.end()) {
      t.outbox_id = row->second.id;
      t.text = row->second.message.text;
      t.reason = earlier_attempt(row->second);
      if (!t.reason.empty()) {
        t.status = SendStatus::skipped;
        plan.targets.push_back(std::move(t));
        continue;
      }
    }
    t.reason = outside_send_window(request.account.platform, t.contact.last_private_inbound, now);
    if (!t.reason.empty()) {
      t.status = SendStatus::skipped;
      plan.targets.push_back(std::move(t));
      continue;
    }
    if (t.outbox_id) {
      // A row recorded but not delivered (pending, or refused): it is sent as it was recorded.
    } else if (template_text.empty()) {
      t.text = request.text;
    } else {
      TemplateContact tc{t.contact.id, t.contact.name, t.contact.attributes};
      auto values = template_values(tc, request.agent, request.account.name, vars);
      auto missing = missing_variables(parts, values);
      if (!missing.empty()) {
        t.status = SendStatus::skipped;
        t.reason = fmt::format("template '{}' needs {{{}}}, which this contact lacks", request.template_name,
                               missing.front());
        plan.targets.push_back(std::move(t));
        continue;
      }
      SVC_TRY(text, render_template(request.template_name, template_text, values));
      t.text = std::move(text);
    }
    plan.targets.push_back(std::move(t));
  }
  for (const auto& t : plan.targets)
    if (t.status == SendStatus::would_send) {
      auto allowed = check_outgoing(store, t.text, request.allow_guard);
      if (!allowed)
        return Error(std::move(allowed).error()).prefixed(fmt::format("contact #{}", t.contact.id));
    }
  return plan;
}

Status
execute_send(store::Store& store, channels::Channel& channel, SendPlan& plan, const SendHooks& hooks)
{
  Pacer pacer(hooks.rate_per_second);
  std::string stopped; // why the rest is not attempted
  for (auto& t : plan.targets) {
    if (t.status != SendStatus::would_send)
      continue;
    if (stopped.empty() && hooks.cancelled && hooks.cancelled())
      stopped = "interrupted";
    if (stopped.empty() && hooks.now) {
      double delay = pacer.delay(hooks.now());
      if (delay > 0 && hooks.wait && !hooks.wait(delay))
        stopped = "interrupted";
    }
    if (!stopped.empty()) {
      plan.interrupted = true;
      t.status = SendStatus::skipped;
      t.reason = fmt::format("not attempted ({}): run the same command again to resume", stopped);
      continue;
    }
    if (hooks.now)
      pacer.started(hooks.now());

    // Recorded (committed) before anything goes out; another process running the same key may have
    // recorded or even sent it meanwhile.
    SVC_TRY(row, store.outreach().record_once(outbox_row(plan, t)));
    t.outbox_id = row.id;
    t.text = row.message.text;
    if (auto earlier = earlier_attempt(row); !earlier.empty()) {
      t.status = SendStatus::skipped;
      t.reason = earlier;
      if (hooks.done)
        hooks.done(t);
      continue;
    }
    if (auto begun = store.outbox().begin_send(row.id, false); !begun) {
      if (begun.error().kind != ErrorKind::conflict)
        return std::move(begun).error();
      t.status = SendStatus::skipped; // another process is sending it right now
      t.reason = begun.error().message;
      if (hooks.done)
        hooks.done(t);
      continue;
    }
    auto sent = channel.send(row.message);
    if (!sent) {
      const Error& e = sent.error();
      SVC_CHECK(store.outbox().mark_failed(row.id, e.message, e.outcome_unknown));
      t.status = e.outcome_unknown ? SendStatus::unknown : SendStatus::failed;
      t.reason = e.message;
      t.error = e;
      if (stops_the_run(e))
        stopped = fmt::format("stopped after outbox #{} failed", row.id);
    } else {
      SVC_CHECK(store.outreach().mark_sent(row.id, *sent, t.contact.conversation_id));
      t.status = SendStatus::sent;
      t.reason.clear();
    }
    if (hooks.done)
      hooks.done(t);
  }
  return {};
}

SendSummary
summarize(const SendPlan& plan)
{
  SendSummary s;
  for (const auto& t : plan.targets) {
    switch (t.status) {
    case SendStatus::would_send:
      ++s.would_send;
      break;
    case SendStatus::sent:
      ++s.sent;
      break;
    case SendStatus::skipped:
      ++s.skipped;
      break;
    case SendStatus::failed:
      ++s.failed;
      break;
    case SendStatus::unknown:
      ++s.unknown;
      break;
    }
  }
  return s;
}

Status
send_outcome(const SendPlan& plan)
{
  auto s = summarize(plan);
  int failures = s.failed + s.unknown;
  if (failures == 0 && !plan.interrupted)
    return {};
  if (failures == 0)
    return make_error(ErrorKind::partial, "interrupted before every message was sent")
      .with_hint("run the same command again to send the rest (no one gets a message twice)");
  const SendTarget* first = nullptr;
  for (const auto& t : plan.targets)
    if (t.error) {
      first = &t;
      break;
    }
  ErrorKind kind = s.sent > 0 || !first ? ErrorKind::partial : first->error->kind;
  Error e = make_error(kind, "{} of {} messages were not delivered ({} failed, {} unknown)", failures,
                       s.sent + failures, s.failed, s.unknown);
  if (s.failed > 0)
    e.hint = "run the same command again to retry the failed ones; those whose outcome is unknown are never resent";
  else
    e.hint = "the platform may have received those whose outcome is unknown: check there before `svc outbox retry ID --force`";
  return e;
}

} // namespace svc::inbox
