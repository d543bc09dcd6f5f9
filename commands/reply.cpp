#include "commands/reply.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/inbox/guard.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/inbox/template_render.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_outbox_columns = {
  {"id", "ID"}, {"account", "ACCOUNT"}, {"conversation_id", "CONV"}, {"status", "STATUS"},
  {"attempts", "TRIES"}, {"text", "TEXT"}, {"last_error", "LAST ERROR"}};

nlohmann::json
outbox_json(const store::OutboxItem& o)
{
  auto opt = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  auto str = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
  return {{"id", o.id},
          {"account", o.account},
          {"conversation_id", opt(o.conversation_id)},
          {"contact_id", opt(o.contact_id)},
          {"kind", o.kind},
          {"channel", domain::to_string(o.message.channel)},
          {"to", o.message.to_user},
          {"reply_to", str(o.message.reply_to)},
          {"text", o.message.text},
          {"agent", str(o.agent)},
          {"status", o.status},
          {"attempts", o.attempts},
          {"last_error", str(o.last_error)},
          {"platform_message_id", str(o.platform_message_id)},
          {"created_at", format_iso(o.created_at)},
          {"sent_at", o.sent_at ? nlohmann::json(format_iso(*o.sent_at)) : nlohmann::json()}};
}

Result<std::string>
reply_text(const ReplyOptions& opts, Context& ctx)
{
  if (!opts.source.empty() && opts.source != "-")
    return make_error(ErrorKind::usage, "unexpected argument '{}'", opts.source)
      .with_hint("give the reply with --text TEXT, --file PATH, or - to read stdin");
  bool from_stdin = opts.source == "-";
  bool from_template = !opts.template_name.empty();
  int given = !opts.text.empty() + !opts.file.empty() + from_stdin + from_template;
  if (given != 1)
    return make_error(ErrorKind::usage, "give the reply once: --text TEXT, --file PATH, - (stdin) or --template NAME")
      .with_hint(given == 0 ? "say what to reply, e.g. svc reply ID --text \"Thanks, we are on it\""
                            : "these sources exclude each other: keep one");
  if (!opts.vars.empty() && !from_template)
    return make_error(ErrorKind::usage, "--var only fills a --template")
      .with_hint("reply with --template NAME --var KEY=VALUE, or drop --var");
  if (from_template) {
    // Rendered for the conversation's customer, as the acting agent, from the conversation's account.
    SVC_TRY(vars, inbox::parse_template_vars(opts.vars));
    SVC_TRY(store, ctx.store());
    SVC_TRY(conv, store->conversations().get(opts.conversation));
    SVC_TRY(tpl, store->templates().get(opts.template_name));
    std::optional<inbox::TemplateContact> contact;
    if (conv.contact_id != 0) {
      SVC_TRY(c, store->outreach().contact(conv.contact_id));
      contact = inbox::TemplateContact{c.id, c.name, c.attributes};
    }
    return inbox::render_template(tpl.name, tpl.text,
                                  inbox::template_values(contact, ctx.options.agent, conv.account, vars));
  }
  if (!opts.text.empty())
    return opts.text;
  std::stringstream ss;
  if (!opts.file.empty()) {
    std::ifstream in(opts.file);
    if (!in)
      return make_error(ErrorKind::usage, "cannot read {}: {}", opts.file, std::strerror(errno))
        .with_hint("give a readable file with --file PATH, the text with --text TEXT, or - to read stdin");
    ss << in.rdbuf();
  } else {
    ss << ctx.io.in.rdbuf();
  }
  std::string text = ss.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

Status
deliver_and_report(store::Store& store, Context& ctx, std::int64_t id, bool force)
{
  SVC_TRY(item, store.outbox().get(id));
  SVC_TRY(account, store.accounts().get(item.account));
  SVC_TRY(conn, ctx.connect(account));
  SVC_TRY(sent, inbox::deliver(store, conn->channel(), id, force));
  output::print_object(ctx.format(), ctx.io, outbox_json(sent), k_outbox_columns);
  ctx.io.status(fmt::format("✓ Sent outbox #{}{}", id,
                            sent.conversation_id ? fmt::format(" to conversation #{}", *sent.conversation_id) : ""));
  return {};
}

} // namespace

Status
run_reply(const ReplyOptions& opts, Context& ctx)
{
  SVC_TRY(text, reply_text(opts, ctx));
  SVC_TRY(store, ctx.store());
  SVC_TRY(item, inbox::prepare_reply(*store, opts.conversation, text, ctx.options.agent));
  if (opts.dry_run) {
    SVC_CHECK(inbox::check_outgoing(*store, item.message.text, opts.allow_guard)); // as the real run would
    SVC_TRY(account, store->accounts().get(item.account));
    SVC_TRY(conn, ctx.connect(account, true));
    (void)conn->channel().send(item.message); // captured, not sent
    for (const auto& r : conn->captured()) {
      ctx.io.out << (r.method == http::Method::get ? "GET " : "POST ") << r.url << '\n';
      for (const auto& [k, v] : r.headers)
        ctx.io.out << k << ": " << v << '\n';
      if (!r.body.empty())
        ctx.io.out << '\n' << r.body << '\n';
    }
    ctx.io.status("(dry run: nothing was recorded or sent)");
    return {};
  }
  SVC_TRY(id, inbox::record_reply(*store, item, opts.force, opts.allow_guard));
  return deliver_and_report(*store, ctx, id, false);
}

void
setup_reply(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ReplyOptions>();
  cmd.add_option("conversation", o->conversation, "Conversation ID")->required();
  cmd.add_option("--text", o->text, "The reply");
  cmd.add_option("--file", o->file, "Read the reply from a file");
  cmd.add_option("source", o->source, "- reads the reply from stdin");
  cmd.add_flag("--dry-run", o->dry_run, "Show the exact request; record and send nothing");
  cmd.add_flag("--force", o->force, "Reply even when someone else answered since you looked");
  cmd.add_flag("--allow-guard", o->allow_guard, "Send even though the text contains a term of the brand guard");
  cmd.add_option("--template", o->template_name, "Reply with a template, rendered for this conversation's customer");
  cmd.add_option("--var", o->vars, "KEY=VALUE for {KEY} in the template (repeatable)");
  inv.bind(&cmd, [o](Context& ctx) { return run_reply(*o, ctx); });
}

Status
run_outbox_list(const OutboxOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(items, store->outbox().list(opts.status));
  auto sink = output::make_sink(ctx.format(), ctx.io, k_outbox_columns);
  for (const auto& item : items)
    sink->row(outbox_json(item));
  sink->end();
  return {};
}

void
setup_outbox_list(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<OutboxOptions>();
  cmd.add_option("--status", o->status, "Only this status")
    ->check(CLI::IsMember({"pending", "sending", "sent", "failed", "unknown", "cancelled"}));
  inv.bind(&cmd, [o](Context& ctx) { return run_outbox_list(*o, ctx); });
}

Status
run_outbox_retry(const OutboxItemOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  return deliver_and_report(*store, ctx, opts.id, opts.force);
}

void
setup_outbox_retry(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<OutboxItemOptions>();
  cmd.add_option("id", o->id, "Outbox ID")->required();
  cmd.add_flag("--force", o->force, "Send even though it may already have been delivered (status unknown)");
  inv.bind(&cmd, [o](Context& ctx) { return run_outbox_retry(*o, ctx); });
}

Status
run_outbox_cancel(const OutboxItemOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->outbox().cancel(opts.id));
  ctx.io.status(fmt::format("✓ Cancelled outbox #{}", opts.id));
  return {};
}

void
setup_outbox_cancel(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<OutboxItemOptions>();
  cmd.add_option("id", o->id, "Outbox ID")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_outbox_cancel(*o, ctx); });
}

} // namespace svc::commands
