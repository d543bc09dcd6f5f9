#include "commands/messages.hpp"

#include <CLI/CLI.hpp>

#include "commands/conversation_json.hpp"
#include <svc/core/time.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

Status
run_inbox(const InboxOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  store::ConversationFilter filter;
  filter.status = opts.status;
  filter.limit = opts.limit;
  filter.tag = opts.tag;
  filter.group = opts.group;
  filter.assignee = opts.assignee == "me" ? ctx.options.agent : opts.assignee;
  if (opts.assignee == "me" && ctx.options.agent.empty())
    return make_error(ErrorKind::usage, "--assignee me needs to know who you are")
      .with_hint("pass --as AGENT or set SVC_AGENT");
  if (!opts.account.empty()) {
    SVC_TRY(account, store->accounts().get(opts.account));
    filter.account_id = account.id;
  }
  if (!opts.channel.empty()) {
    auto kind = domain::parse_channel(opts.channel);
    if (!kind)
      return make_error(ErrorKind::usage, "unknown channel '{}'", opts.channel).with_hint("channels: dm, comment, mention");
    filter.channel = *kind;
  }
  SVC_TRY(rows, store->conversations().list(filter));
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"id", "ID"}, {"account", "ACCOUNT"}, {"channel", "CHANNEL"},
                                 {"contact.name", "CONTACT"}, {"status", "STATUS"}, {"waiting", "WAITING"},
                                 {"assignee", "ASSIGNEE"}, {"last_message.text", "LAST MESSAGE"}});
  for (const auto& row : rows) {
    auto json = conversation_json(row);
    // "waiting" is for people only (it changes every second); scripts get waiting_since.
    if (ctx.format() == output::Format::table || ctx.format() == output::Format::csv)
      json["waiting"] = row.waiting_since ? format_elapsed(ctx.clock.now() - *row.waiting_since) : "";
    sink->row(json);
  }
  sink->end();
  return {};
}

void
setup_inbox(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<InboxOptions>();
  cmd.add_option("--status", o->status, "open (with pending), pending, resolved or all")
    ->check(CLI::IsMember({"open", "pending", "resolved", "all"}));
  cmd.add_option("--assignee", o->assignee, "AGENT, me, or none (unassigned)");
  cmd.add_option("--account", o->account, "Only this account");
  cmd.add_option("--channel", o->channel, "Only dm, comment or mention");
  cmd.add_option("--tag", o->tag, "Only contacts with this tag");
  cmd.add_option("--group", o->group, "Only this skill group");
  cmd.add_option("--limit", o->limit, "At most this many conversations")->check(CLI::PositiveNumber);
  inv.bind(&cmd, [o](Context& ctx) { return run_inbox(*o, ctx); });
}

Status
run_show(const ShowOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(conv, store->conversations().get(opts.conversation));
  SVC_TRY(messages, store->conversations().messages(opts.conversation));
  SVC_TRY(claim, store->workflow().claim_of(opts.conversation));
  SVC_TRY(history, store->workflow().history(opts.conversation));
  // What the agent has now seen: a reply after this is not refused for answers shown here.
  SVC_CHECK(store->workflow().mark_seen(opts.conversation, ctx.options.agent));
  auto json = conversation_json(conv);
  json["claim"] = claim ? nlohmann::json{{"agent", claim->agent}, {"expires_at", format_iso(claim->expires_at)}}
                        : nlohmann::json();
  json["notes"] = nlohmann::json::array();
  for (const auto& h : history) {
    auto detail = nlohmann::json::parse(h.detail, nullptr, false);
    if (h.action == "transferred" && detail.is_object() && detail.contains("note"))
      json["notes"].push_back({{"at", format_iso(h.at)}, {"by", h.agent}, {"to_group", detail.value("to_group", "")},
                               {"text", detail["note"]}});
  }
  json["messages"] = nlohmann::json::array();
  for (const auto& m : messages) {
    auto mj = message_json(m);
    if (opts.raw && !m.raw.empty())
      mj["raw"] = nlohmann::json::parse(m.raw, nullptr, false);
    json["messages"].push_back(mj);
  }
  if (ctx.format() != output::Format::table) {
    output::print_object(ctx.format(), ctx.io, json,
                         {{"id", "id"}, {"account", "account"}, {"channel", "channel"}, {"status", "status"}});
    return {};
  }
  // The transcript, for people.
  ctx.io.out << fmt::format("#{} {} {} with {} ({}), {}\n", conv.id, conv.account, domain::to_string(conv.channel),
                            conv.contact_name.empty() ? conv.contact_platform_id : conv.contact_name,
                            conv.contact_platform_id, conv.status);
  if (!conv.assignee.empty() || !conv.group.empty() || claim)
    ctx.io.out << fmt::format("  assignee: {}  group: {}  claim: {}\n", conv.assignee.empty() ? "-" : conv.assignee,
                              conv.group.empty() ? "-" : conv.group,
                              claim ? fmt::format("{} until {}", claim->agent, format_iso(claim->expires_at)) : "-");
  for (const auto& note : json["notes"])
    ctx.io.out << fmt::format("  note from {} ({}, to {}): {}\n", note["by"].get<std::string>(),
                              note["at"].get<std::string>(), note["to_group"].get<std::string>(),
                              note["text"].get<std::string>());
  for (const auto& m : messages) {
    bool in = m.direction == domain::Direction::in;
    std::string who = in ? m.author : (m.agent.empty() ? "(agent)" : m.agent);
    ctx.io.out << fmt::format("{} {} {}: {}\n", format_iso(m.created_at), in ? "<" : ">", who, m.text);
    if (opts.raw && !m.raw.empty())
      ctx.io.out << "    " << m.raw << '\n';
  }
  return {};
}

void
setup_show(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ShowOptions>();
  cmd.add_option("conversation", o->conversation, "Conversation ID")->required();
  cmd.add_flag("--raw", o->raw, "Include each message's platform payload");
  inv.bind(&cmd, [o](Context& ctx) { return run_show(*o, ctx); });
}

} // namespace svc::commands
