#include "commands/guard.hpp"

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/inbox/guard.hpp>
#include <svc/output/sink.hpp>
#include <svc/store/guard_terms.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_guard_columns = {{"term", "TERM"}, {"kind", "KIND"}, {"created_at", "ADDED"}};

} // namespace

Status
run_guard_add(const GuardTermsOptions& opts, Context& ctx)
{
  std::vector<store::GuardTerm> terms;
  for (const auto& spelled : opts.terms) {
    SVC_TRY(t, inbox::parse_guard_term(spelled));
    t.created_at = ctx.clock.now();
    terms.push_back(std::move(t));
  }
  SVC_TRY(store, ctx.store());
  SVC_TRY(added, store::guard_terms(*store)->add(terms));
  std::size_t listed = terms.size() - added.size();
  ctx.io.status(fmt::format("✓ Added {} term{} to the guard{}", added.size(), added.size() == 1 ? "" : "s",
                            listed ? fmt::format(" ({} already listed)", listed) : ""));
  return {};
}

void
setup_guard_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<GuardTermsOptions>();
  cmd.add_option("terms", o->terms, "Words (case-insensitive, whole words) or re:PATTERN (a regular expression)")
    ->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_guard_add(*o, ctx); });
}

Status
run_guard_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(terms, store::guard_terms(*store)->list());
  auto sink = output::make_sink(ctx.format(), ctx.io, k_guard_columns);
  for (const auto& t : terms)
    sink->row({{"term", t.term}, {"kind", t.is_regex ? "pattern" : "word"}, {"created_at", format_iso(t.created_at)}});
  sink->end();
  return {};
}

void
setup_guard_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_guard_list(ctx); });
}

Status
run_guard_remove(const GuardTermsOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  auto guard = store::guard_terms(*store);
  // All or nothing: every term is checked before any is removed.
  std::vector<std::string> terms;
  SVC_TRY(listed, guard->list());
  for (const auto& spelled : opts.terms) {
    SVC_TRY(t, inbox::parse_guard_term(spelled));
    bool found = false;
    for (const auto& l : listed)
      found = found || l.term == t.term;
    if (!found)
      return make_error(ErrorKind::not_found, "'{}' is not on the guard list", spelled)
        .with_hint("`svc guard list` shows the terms as they are spelled");
    terms.push_back(t.term);
  }
  SVC_CHECK(store->transaction([&]() -> Status {
    for (const auto& t : terms)
      SVC_CHECK(guard->remove(t));
    return {};
  }));
  ctx.io.status(fmt::format("✓ Removed {} term{} from the guard", terms.size(), terms.size() == 1 ? "" : "s"));
  return {};
}

void
setup_guard_remove(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<GuardTermsOptions>();
  cmd.add_option("terms", o->terms, "The terms to remove, spelled as `svc guard list` shows them")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_guard_remove(*o, ctx); });
}

} // namespace svc::commands
