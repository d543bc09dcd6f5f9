#include "commands/send.hpp"

#include <chrono>

#include <CLI/CLI.hpp>

#include "commands/stop_signal.hpp"
#include <svc/core/time.hpp>
#include <svc/inbox/send.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_target_columns = {{"contact.id", "CONTACT"}, {"contact.name", "NAME"},
                                               {"status", "STATUS"},      {"outbox_id", "OUTBOX"},
                                               {"reason", "REASON"},      {"text", "TEXT"}};

nlohmann::json
target_json(const inbox::SendTarget& t)
{
  auto str = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
  return {{"contact",
           {{"id", t.contact.id}, {"name", str(t.contact.name)}, {"platform_user_id", t.contact.platform_user_id}}},
          {"status", inbox::to_string(t.status)},
          {"reason", str(t.reason)},
          {"outbox_id", t.outbox_id ? nlohmann::json(*t.outbox_id) : nlohmann::json()},
          {"text", str(t.text)}};
}

std::string
summary_line(const inbox::SendPlan& plan, bool dry_run)
{
  auto s = inbox::summarize(plan);
  if (dry_run)
    return fmt::format("(dry run: nothing was recorded or sent) would send {}, skip {} — run {}", s.would_send,
                       s.skipped, plan.run_key);
  return fmt::format("{} sent {}, skipped {}, failed {}, unknown {} — run {}", s.failed + s.unknown > 0 ? "✗" : "✓",
                     s.sent, s.skipped, s.failed, s.unknown, plan.run_key);
}

} // namespace

Status
run_send(const SendOptions& opts, Context& ctx)
{
  double rate = 0;
  if (!opts.rate.empty()) {
    SVC_TRY(parsed, parse_rate(opts.rate));
    if (parsed <= 0)
      return make_error(ErrorKind::usage, "--rate {} sends nothing", opts.rate).with_hint("e.g. --rate 20/min");
    rate = parsed;
  }
  inbox::SendRequest request;
  request.to = opts.to;
  request.tag = opts.tag;
  request.text = opts.text;
  request.template_name = opts.template_name;
  request.vars = opts.vars;
  request.agent = ctx.options.agent;
  request.run_key = opts.run;
  request.allow_guard = opts.allow_guard;
  SVC_CHECK(inbox::check_send_request(request));
  SVC_TRY(store, ctx.store());
  SVC_TRY(account, store->accounts().get(opts.account));
  request.account = account;
  SVC_TRY(plan, inbox::plan_send(*store, request, ctx.clock.now()));

  auto sink = output::make_sink(ctx.format(), ctx.io, k_target_columns);
  auto summary = inbox::summarize(plan);
  if (opts.dry_run || summary.would_send == 0) {
    for (const auto& t : plan.targets)
      sink->row(target_json(t));
    sink->end();
    ctx.io.status(summary_line(plan, opts.dry_run));
    return {};
  }

  SVC_TRY(conn, ctx.connect(account));
  StopSignal stop; // Ctrl-C ends the run between two sends; the rest stays for the next run
  bool show_progress = ctx.io.err_is_tty && !ctx.io.quiet;
  int done = 0;
  inbox::SendHooks hooks;
  hooks.rate_per_second = rate;
  hooks.now = [] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  };
  hooks.wait = [&stop](double seconds) {
    return !stop.wait_for(std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000 + 0.5)));
  };
  hooks.cancelled = [&stop] { return stop.requested(); };
  hooks.done = [&](const inbox::SendTarget& t) {
    ++done;
    if (show_progress)
      ctx.io.err << "\r\033[K";
    if (t.error) {
      ctx.io.err << "svc: error: contact #" << t.contact.id << ": " << t.error->message << '\n';
      if (!t.error->hint.empty())
        ctx.io.err << "hint: " << t.error->hint << '\n';
    }
    if (show_progress)
      ctx.io.err << account.name << ": " << done << "/" << summary.would_send << " sent or tried" << std::flush;
  };
  auto executed = inbox::execute_send(*store, conn->channel(), plan, hooks);
  if (show_progress)
    ctx.io.err << "\r\033[K" << std::flush;
  for (const auto& t : plan.targets)
    sink->row(target_json(t));
  sink->end();
  SVC_CHECK(executed);
  ctx.io.status(summary_line(plan, false));
  return inbox::send_outcome(plan);
}

void
setup_send(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<SendOptions>();
  cmd.add_option("--to", o->to, "A contact: svc id, platform user id or ACCOUNT:PLATFORM_USER_ID (repeatable)");
  cmd.add_option("--tag", o->tag, "Every contact of the account with this tag");
  cmd.add_option("--account", o->account, "The account NAME that sends")->required();
  cmd.add_option("--text", o->text, "The message");
  cmd.add_option("--template", o->template_name, "A template NAME, rendered for each contact");
  cmd.add_option("--var", o->vars, "KEY=VALUE for {KEY} in the template (repeatable)");
  cmd.add_flag("--dry-run", o->dry_run, "Print who would get what and who is skipped; record and send nothing");
  cmd.add_option("--rate", o->rate, "At most this many sends, e.g. 20/min (N/s, N/min, N/h)");
  cmd.add_option("--run", o->run, "The run KEY (default: derived from account, targets and message)");
  cmd.add_flag("--allow-guard", o->allow_guard, "Send even though the text contains a term of the brand guard");
  inv.bind(&cmd, [o](Context& ctx) { return run_send(*o, ctx); });
}

} // namespace svc::commands
