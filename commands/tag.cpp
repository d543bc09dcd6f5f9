#include "commands/tag.hpp"

#include <map>

#include <CLI/CLI.hpp>

#include <svc/contacts/names.hpp>
#include <svc/core/time.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

struct TagOptions {
  std::string contact;
  std::vector<std::string> tags;
};

std::string
joined(const std::vector<std::string>& v)
{
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

Status
run_add(const TagOptions& opts, Context& ctx)
{
  SVC_CHECK(contacts::check_tags(opts.tags));
  SVC_TRY(store, ctx.store());
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_TRY(change, store->contacts().add_tags(c.id, opts.tags, "local", ctx.options.agent));
  if (!change.changed.empty())
    ctx.io.status(fmt::format("✓ Tagged #{} {}", c.id, joined(change.changed)));
  if (!change.unchanged.empty())
    ctx.io.status(fmt::format("#{} already had {}", c.id, joined(change.unchanged)));
  return {};
}

Status
run_remove(const TagOptions& opts, Context& ctx)
{
  SVC_CHECK(contacts::check_tags(opts.tags));
  SVC_TRY(store, ctx.store());
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_TRY(change, store->contacts().remove_tags(c.id, opts.tags, ctx.options.agent));
  if (!change.changed.empty())
    ctx.io.status(fmt::format("✓ Removed {} from #{}", joined(change.changed), c.id));
  if (!change.unchanged.empty())
    ctx.io.warn(fmt::format("#{} was not tagged {}", c.id, joined(change.unchanged)));
  return {};
}

struct TagListOptions {
  std::string contact;
};

Status
run_list(const TagListOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(counts, store->contacts().tag_counts());
  if (opts.contact.empty()) {
    auto sink = output::make_sink(ctx.format(), ctx.io,
                                  {{"name", "TAG"}, {"contacts", "CONTACTS"}, {"created_at", "CREATED"}});
    for (const auto& t : counts)
      sink->row({{"name", t.name}, {"contacts", t.contacts}, {"created_at", format_iso(t.created_at)}});
    sink->end();
    return {};
  }
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_TRY(tags, store->contacts().tags(c.id));
  std::map<std::string, std::int64_t> count_of;
  for (const auto& t : counts)
    count_of[t.name] = t.contacts;
  auto sink = output::make_sink(ctx.format(), ctx.io,
                                {{"name", "TAG"}, {"source", "SOURCE"}, {"tagged_at", "TAGGED"}, {"contacts", "CONTACTS"}});
  for (const auto& t : tags)
    sink->row({{"name", t.name}, {"source", t.source}, {"tagged_at", format_iso(t.created_at)},
               {"contacts", count_of[t.name]}});
  sink->end();
  return {};
}

void
add_arguments(CLI::App& cmd, TagOptions& o)
{
  cmd.add_option("contact", o.contact, "CONTACT: id or ACCOUNT:PLATFORM_USER_ID")->required();
  cmd.add_option("tags", o.tags, "TAG...")->required();
  cmd.footer("CONTACT: the svc contact id, or ACCOUNT:PLATFORM_USER_ID. A tag is 1-30 characters without ',' or ';'.");
}

} // namespace

void
setup_tag_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TagOptions>();
  add_arguments(cmd, *o);
  inv.bind(&cmd, [o](Context& ctx) { return run_add(*o, ctx); });
}

void
setup_tag_remove(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TagOptions>();
  add_arguments(cmd, *o);
  inv.bind(&cmd, [o](Context& ctx) { return run_remove(*o, ctx); });
}

void
setup_tag_list(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TagListOptions>();
  cmd.add_option("contact", o->contact, "Only this CONTACT's tags (id or ACCOUNT:PLATFORM_USER_ID)");
  inv.bind(&cmd, [o](Context& ctx) { return run_list(*o, ctx); });
}

} // namespace svc::commands
