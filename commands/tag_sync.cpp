#include "commands/tag_sync.hpp"

#include <CLI/CLI.hpp>

#include <svc/channels/user_tags.hpp>
#include <svc/contacts/tag_sync.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_plan_columns = {{"action", "ACTION"},   {"tag", "TAG"},
                                               {"platform_tag_id", "PLATFORM TAG"},
                                               {"members", "MEMBERS"}, {"conflict", "CONFLICT"},
                                               {"reason", "REASON"}};

// One plan row. members is null for tag-level steps (create, map, unmap); batches only for tag/untag;
// platform_tag_id is null for a tag the plan creates (its id is known once created).
nlohmann::json
step_json(const contacts::TagStep& s, std::size_t max_batch)
{
  auto str = [](const std::string& v) { return v.empty() ? nlohmann::json() : nlohmann::json(v); };
  bool batched = s.action == contacts::TagAction::tag || s.action == contacts::TagAction::untag;
  bool tag_level = s.action == contacts::TagAction::create || s.action == contacts::TagAction::map
                   || s.action == contacts::TagAction::unmap;
  return {{"action", contacts::to_string(s.action)},
          {"tag", s.tag},
          {"tag_id", s.tag_id == 0 ? nlohmann::json() : nlohmann::json(s.tag_id)},
          {"platform_tag_id", str(s.platform_tag_id)},
          {"members", tag_level ? nlohmann::json() : nlohmann::json(std::max(s.contacts.size(), s.user_ids.size()))},
          {"batches", batched ? nlohmann::json(contacts::batches(s.user_ids.size(), max_batch)) : nlohmann::json()},
          {"contacts", s.contacts},
          {"platform_user_ids", s.user_ids},
          {"conflict", str(s.conflict)},
          {"reason", s.reason}};
}

std::string
summary_line(const std::string& account, const contacts::TagSyncSummary& s)
{
  std::vector<std::string> parts;
  auto add = [&](int n, const std::string& text) {
    if (n > 0)
      parts.push_back(text);
  };
  add(s.create, fmt::format("create {} tag{} there", s.create, s.create == 1 ? "" : "s"));
  add(s.map, fmt::format("map {}", s.map));
  add(s.unmap, fmt::format("unmap {}", s.unmap));
  add(s.untag, fmt::format("untag {} ({} batch{})", s.untag, s.untag_batches, s.untag_batches == 1 ? "" : "es"));
  add(s.tag, fmt::format("tag {} ({} batch{})", s.tag, s.tag_batches, s.tag_batches == 1 ? "" : "es"));
  add(s.pull, fmt::format("pull {}", s.pull));
  add(s.drop, fmt::format("drop {}", s.drop));
  std::string line = account + ": ";
  if (parts.empty()) {
    line += "nothing to change";
  } else {
    for (std::size_t i = 0; i < parts.size(); ++i)
      line += (i == 0 ? "" : ", ") + parts[i];
  }
  if (s.skipped > 0)
    line += fmt::format("; {} platform user{} not contacts here", s.skipped, s.skipped == 1 ? "" : "s");
  if (s.conflicts > 0)
    line += fmt::format("; {} conflict{}", s.conflicts, s.conflicts == 1 ? "" : "s");
  return line;
}

} // namespace

Status
run_tag_sync(const TagSyncOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(account, store->accounts().get(opts.account));
  SVC_TRY(conn, ctx.connect(account));
  channels::UserTagApi* api = conn->channel().user_tags();
  if (api == nullptr) {
    return make_error(ErrorKind::usage, "{} has no user tags of its own to sync with", domain::to_string(account.platform))
      .with_hint("svc tag sync works with WeChat official accounts");
  }
  // Both sides are read before anything changes; --dry-run reads too (it shows the real plan).
  SVC_TRY(platform, contacts::read_platform_tags(*api));
  SVC_TRY(local, store->tag_sync().snapshot(account.id));
  auto plan = contacts::plan_tag_sync(account.id, local, platform, api->limits());

  auto sink = output::make_sink(ctx.format(), ctx.io, k_plan_columns);
  for (const auto& s : plan.steps)
    sink->row(step_json(s, plan.limits.max_batch));
  sink->end();
  auto summary = contacts::summarize(plan);
  ctx.io.status(summary_line(account.name, summary));
  if (opts.dry_run) {
    ctx.io.status("(dry run: nothing was changed)");
    return {};
  }
  SVC_CHECK(contacts::apply_tag_sync(*store, *api, plan, [&](const std::string& line) { ctx.io.status("✓ " + line); }));
  if (!summary.nothing_to_do())
    ctx.io.status(fmt::format("✓ {} synced", account.name));
  return contacts::tag_sync_outcome(plan);
}

void
setup_tag_sync(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TagSyncOptions>();
  cmd.add_option("ACCOUNT", o->account, "The account NAME (WeChat)")->required();
  cmd.add_flag("--dry-run", o->dry_run, "Print the plan and change nothing");
  inv.bind(&cmd, [o](Context& ctx) { return run_tag_sync(*o, ctx); });
}

} // namespace svc::commands
