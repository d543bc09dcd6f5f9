#include "commands/watch.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>

#include <svc/contacts/names.hpp>
#include <svc/core/time.hpp>
#include <svc/history/search_watch.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

Status
check_watch_name(const std::string& name)
{
  bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
  if (!ok)
    return make_error(ErrorKind::usage, "bad watch name '{}'", name)
      .with_hint("a watch name is 1-64 letters, digits, - _ and .");
  return {};
}

nlohmann::json
optional_text(const std::string& s)
{
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

} // namespace

Status
run_watch_add(const WatchAddOptions& opts, Context& ctx)
{
  SVC_CHECK(check_watch_name(opts.name));
  SVC_CHECK(history::parse_query(opts.query));
  if (!opts.tag.empty())
    SVC_CHECK(contacts::check_tag(opts.tag));
  SVC_TRY(store, ctx.store());
  history::WatchSpec spec{opts.name, opts.query, opts.tag, opts.channels};
  SVC_TRY(added, history::add_watch(*store, spec, ctx.clock.now(), ctx.options.agent));
  std::string tagged = opts.tag.empty() ? "" : fmt::format(", {} contacts tagged '{}'", added.tagged, opts.tag);
  ctx.io.status(fmt::format("✓ Added watch '{}': {} matches in the history{}", opts.name, added.backfilled, tagged));
  return {};
}

void
setup_watch_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<WatchAddOptions>();
  cmd.add_option("name", o->name, "Watch NAME (letters, digits, - _ .)")->required();
  cmd.add_option("query", o->query, "What to find, as for `svc search` (every term must match)")->required();
  cmd.add_option("--tag", o->tag, "Tag the senders of matching messages with TAG (the history's too)");
  cmd.add_option("--channel", o->channels, "Only dm, comment or mention (repeatable; default all)")
    ->check(CLI::IsMember({"dm", "comment", "mention"}));
  inv.bind(&cmd, [o](Context& ctx) { return run_watch_add(*o, ctx); });
}

Status
run_watch_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(all, history::list_watches(*store));
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"name", "NAME"}, {"query", "QUERY"}, {"tag", "TAG"}, {"channels", "CHANNELS"},
                                 {"matches", "MATCHES"}, {"new", "NEW"}, {"last_run_at", "LAST RUN"}});
  for (const auto& s : all) {
    const auto& w = s.watch;
    sink->row({{"name", w.name},
               {"query", w.query},
               {"tag", optional_text(w.tag)},
               {"channels", w.channels},
               {"matches", s.matches},
               {"new", s.fresh},
               {"last_message_id", w.last_message_id},
               {"created_at", format_iso(w.created_at)},
               {"last_run_at", w.last_run_at ? nlohmann::json(format_iso(*w.last_run_at)) : nlohmann::json(nullptr)}});
  }
  sink->end();
  return {};
}

void
setup_watch_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_watch_list(ctx); });
}

Status
run_watch_run(const WatchNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(runs, history::run_watches(*store, opts.name, ctx.clock.now(), ctx.options.agent));
  bool table = ctx.format() == output::Format::table;
  auto sink = table ? nullptr
                    : output::make_sink(ctx.format(), ctx.io,
                                        {{"watch", "WATCH"}, {"id", "ID"}, {"created_at", "CREATED"},
                                         {"account", "ACCOUNT"}, {"channel", "CHANNEL"}, {"author", "AUTHOR"},
                                         {"conversation_id", "CONVERSATION"}, {"snippet", "SNIPPET"}});
  for (const auto& run : runs) {
    for (const auto& m : run.matches) {
      if (table) {
        history::print_match(ctx.io, m, run.watch.name);
      } else {
        auto row = history::match_json(m);
        row["watch"] = run.watch.name;
        sink->row(row);
      }
    }
    std::string tagged = run.watch.tag.empty()
                           ? ""
                           : fmt::format(", {} contacts tagged '{}'", run.tagged, run.watch.tag);
    ctx.io.status(fmt::format("watch '{}': {} new{}", run.watch.name, run.matches.size(), tagged));
  }
  if (sink)
    sink->end();
  return {};
}

void
setup_watch_run(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<WatchNameOptions>();
  cmd.add_option("name", o->name, "Only this watch (default: every watch)");
  inv.bind(&cmd, [o](Context& ctx) { return run_watch_run(*o, ctx); });
}

Status
run_watch_remove(const WatchNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store::watches(*store)->remove(opts.name));
  ctx.io.status(fmt::format("✓ Removed watch '{}'", opts.name));
  return {};
}

void
setup_watch_remove(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<WatchNameOptions>();
  cmd.add_option("name", o->name, "Watch NAME")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_watch_remove(*o, ctx); });
}

} // namespace svc::commands
