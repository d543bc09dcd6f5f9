#include "commands/search.hpp"

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/history/search.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_match_columns = {
  {"id", "ID"},           {"created_at", "CREATED"}, {"account", "ACCOUNT"}, {"channel", "CHANNEL"},
  {"direction", "DIR"},   {"author", "AUTHOR"},      {"conversation_id", "CONVERSATION"},
  {"matched", "MATCHED"}, {"snippet", "SNIPPET"}};

} // namespace

Status
run_search(const SearchOptions& opts, Context& ctx)
{
  SVC_TRY(query, history::parse_query(opts.query)); // before the state file: a usage error touches nothing
  store::SearchFilter filter;
  if (!opts.since.empty()) {
    SVC_TRY(since, parse_time(opts.since, ctx.clock.now()));
    filter.since = since;
  }
  filter.channels = opts.channels;
  SVC_TRY(store, ctx.store());
  if (!opts.account.empty()) {
    SVC_TRY(account, store->accounts().get(opts.account));
    filter.account_id = account.id;
  }
  SVC_TRY(matches, history::search(*store, query, filter, opts.limit));
  if (ctx.format() == output::Format::table) {
    // For people: where each match is, and the snippet with the match in colour on a terminal.
    for (const auto& m : matches)
      history::print_match(ctx.io, m);
    if (matches.empty())
      ctx.io.status(fmt::format("no message matches '{}'", opts.query));
    return {};
  }
  auto sink = output::make_sink(ctx.format(), ctx.io, k_match_columns);
  for (const auto& m : matches)
    sink->row(history::match_json(m));
  sink->end();
  return {};
}

void
setup_search(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<SearchOptions>();
  cmd.add_option("query", o->query,
                 "Words or characters to find, all of them (\"quotes\" keep a phrase; ship* is a word prefix)")
    ->required();
  cmd.add_option("--account", o->account, "Only this account's messages (NAME)");
  cmd.add_option("--since", o->since, "Only messages since TIME (ISO 8601, or relative: 24h, 7d)");
  cmd.add_option("--channel", o->channels, "Only dm, comment or mention (repeatable)")
    ->check(CLI::IsMember({"dm", "comment", "mention"}));
  cmd.add_option("--limit", o->limit, "At most N results (default 20)")->check(CLI::PositiveNumber);
  inv.bind(&cmd, [o](Context& ctx) { return run_search(*o, ctx); });
}

} // namespace svc::commands
