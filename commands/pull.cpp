#include "commands/messages.hpp"

#include <csignal>
#include <thread>

#include <CLI/CLI.hpp>

#include "commands/partial.hpp"
#include "commands/rules.hpp"
#include "commands/stop_signal.hpp"
#include <svc/core/time.hpp>
#include <svc/inbox/pull.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

// One pass over the accounts; rows go to the sink as each account finishes.
// With --follow on a single account whose platform can long-poll, the wait between rounds happens on
// the platform's side (Telegram getUpdates timeout), so new messages arrive at once.
Status
pull_once(const PullCommandOptions& opts, const std::vector<domain::ChannelKind>& channels, Context& ctx,
          output::Sink& sink, std::chrono::seconds long_poll, bool& long_polled, const StopSignal& stop)
{
  SVC_TRY(accounts, ctx.resolve_accounts(opts.accounts, opts.all || opts.accounts.empty()));
  SVC_TRY(store, ctx.store());
  AccountFailures failures(ctx);
  bool show_progress = ctx.io.err_is_tty && !ctx.io.quiet;
  for (const auto& account : accounts) {
    auto conn = ctx.connect(account);
    if (!conn) {
      failures.add(account.name, conn.error());
      continue;
    }
    if (long_poll.count() > 0 && accounts.size() == 1 && (*conn)->channel().capabilities().long_poll) {
      (*conn)->channel().set_long_poll(long_poll);
      long_polled = true;
    }
    inbox::PullOptions options;
    options.channels = channels;
    options.page_size = opts.limit;
    options.cancelled = [&stop] { return stop.requested(); };
    if (show_progress)
      options.progress = [&](const std::string& stream, int stored) {
        ctx.io.err << "\r\033[K" << account.name << " " << stream << ": " << stored << " new" << std::flush;
      };
    auto pulled = inbox::pull_account(*store, (*conn)->channel(), account, options);
    if (show_progress)
      ctx.io.err << "\r\033[K" << std::flush;
    if (!pulled) {
      failures.add(account.name, pulled.error());
      continue;
    }
    for (const auto& r : *pulled)
      sink.row({{"account", account.name}, {"platform", domain::to_string(account.platform)},
                {"channel", domain::to_string(r.channel)}, {"stream", r.stream}, {"new", r.stored},
                {"received", r.received}, {"cursor", r.cursor}});
  }
  return failures.finish(accounts.size());
}

} // namespace

Status
run_pull(const PullCommandOptions& opts, Context& ctx)
{
  std::vector<domain::ChannelKind> channels;
  for (const auto& c : opts.channels) {
    auto kind = domain::parse_channel(c);
    if (!kind)
      return make_error(ErrorKind::usage, "unknown channel '{}'", c).with_hint("channels: dm, comment, mention");
    channels.push_back(*kind);
  }
  SVC_TRY(interval, parse_duration(opts.interval));
  StopSignal stop;
  Status result;
  bool first = true;
  do {
    // The first round catches up without waiting; later rounds of --follow may long-poll.
    bool long_polled = false;
    auto long_poll = opts.follow && !first ? std::min<std::chrono::seconds>(interval, std::chrono::seconds(50))
                                           : std::chrono::seconds(0);
    first = false;
    auto sink = output::make_sink(ctx.format(), ctx.io,
                                  {{"account", "ACCOUNT"}, {"channel", "CHANNEL"}, {"stream", "STREAM"},
                                   {"new", "NEW"}, {"cursor", "CURSOR"}});
    result = pull_once(opts, channels, ctx, *sink, long_poll, long_polled, stop);
    // A failure of the whole pull (no such account, refused credentials) prints its error alone, not
    // an empty listing before it; a partial one lists what the other accounts brought.
    if (result || result.error().kind == ErrorKind::partial || opts.follow)
      sink->end();
    if (!opts.follow || (!result && result.error().kind != ErrorKind::partial
                         && result.error().kind != ErrorKind::temporary))
      break;
    if (!result) // --follow rides out temporary failures: cron-like, it tries again next round
      ctx.io.warn(result.error().message);
    if (long_polled)
      continue;
    stop.wait_for(interval);
  } while (!stop.requested());
  return result;
}

void
setup_pull(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<PullCommandOptions>();
  cmd.add_option("--account", o->accounts, "Account NAME (repeatable; default: every bound account)");
  cmd.add_flag("--all", o->all, "Every bound account");
  cmd.add_option("--channel", o->channels, "Only this channel: dm, comment or mention (repeatable)");
  cmd.add_option("--limit", o->limit, "Messages per request (page size)")->check(CLI::Range(1, 10000));
  cmd.add_flag("--follow", o->follow, "Keep pulling every --interval until Ctrl-C");
  cmd.add_option("--interval", o->interval, "Wait between rounds with --follow (e.g. 30s)");
  auto apply = std::make_shared<bool>(false);
  cmd.add_flag("--apply-rules", *apply, "After a successful pull, run `svc rules apply` (see svc-rules(5))")
    ->excludes("--follow");
  inv.bind(&cmd, [o, apply](Context& ctx) {
    Status pulled = run_pull(*o, ctx);
    if (!pulled || !*apply)
      return pulled;
    RulesApplyOptions rules;
    rules.listing = false; // stdout holds pull's listing
    return run_rules_apply(rules, ctx);
  });
}

} // namespace svc::commands
