#include "commands/db.hpp"

#include <CLI/CLI.hpp>

#include <svc/output/sink.hpp>

namespace svc::commands {

Status
run_db_check(Context& ctx)
{
  SVC_TRY(store, ctx.existing_store());
  SVC_TRY(report, store->check());
  nlohmann::json counts(report.counts);
  nlohmann::json out = {
    {"path", store->path().string()},
    {"integrity", report.integrity},
    {"schema_version", report.schema_version},
    {"known_version", report.known_version},
    {"journal_mode", report.journal_mode},
    {"counts", counts},
  };
  std::vector<output::Column> columns = {{"path", "PATH"}, {"integrity", "INTEGRITY"},
                                         {"schema_version", "SCHEMA"}, {"journal_mode", "JOURNAL"}};
  for (const auto& [table, n] : report.counts)
    columns.push_back({"counts." + table, table});
  output::print_object(ctx.format(), ctx.io, out, columns);
  if (report.integrity != "ok")
    return make_error(ErrorKind::state, "the state file failed its integrity check: {}", report.integrity)
      .with_hint("restore it from a backup; `sqlite3 FILE .recover` may save what is readable");
  return {};
}

void
setup_db_check(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_db_check(ctx); });
}

Status
run_db_migrate(Context& ctx)
{
  // Opening migrates (each step in its own transaction); this reports what happened.
  SVC_TRY(store, ctx.store());
  int from = store->migrated_from();
  int to = store->schema_version();
  ctx.io.status(from == to ? fmt::format("✓ Schema is current (version {})", to)
                           : fmt::format("✓ Migrated the schema from version {} to {}", from, to));
  return {};
}

void
setup_db_migrate(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_db_migrate(ctx); });
}

Status
run_db_vacuum(Context& ctx)
{
  SVC_TRY(store, ctx.existing_store());
  SVC_CHECK(store->vacuum());
  ctx.io.status("✓ Vacuumed the state file");
  return {};
}

void
setup_db_vacuum(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_db_vacuum(ctx); });
}

} // namespace svc::commands
