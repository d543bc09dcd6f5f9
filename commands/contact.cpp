#include "commands/contact.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>

#include <svc/contacts/csv.hpp>
#include <svc/contacts/file.hpp>
#include <svc/contacts/json.hpp>
#include <svc/contacts/lookup.hpp>
#include <svc/contacts/names.hpp>
#include <svc/core/time.hpp>
#include <svc/io/atomic_file.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

constexpr const char* k_contact_help = "CONTACT: the svc contact id, or ACCOUNT:PLATFORM_USER_ID";

const std::vector<output::Column> k_list_columns = {
  {"id", "ID"},     {"account", "ACCOUNT"}, {"platform_user_id", "PLATFORM ID"}, {"name", "NAME"},
  {"tags", "TAGS"}, {"person_id", "PERSON"}, {"last_seen_at", "LAST SEEN"}};

CLI::Option*
add_contact(CLI::App& cmd, const char* name, std::string& into)
{
  cmd.footer(k_contact_help);
  return cmd.add_option(name, into, "CONTACT: id or ACCOUNT:PLATFORM_USER_ID")->required();
}

std::string
label(const store::ContactRow& c)
{
  return fmt::format("#{} {} ({}:{})", c.id, c.name.empty() ? "-" : c.name, c.account, c.platform_user_id);
}

Result<store::ContactFilter>
filter_of(Context& ctx, const std::vector<std::string>& tags, const std::string& account)
{
  SVC_CHECK(contacts::check_tags(tags));
  store::ContactFilter f;
  f.tags = tags;
  if (!account.empty()) {
    SVC_TRY(store, ctx.store());
    SVC_TRY(a, store->accounts().get(account));
    f.account_id = a.id;
  }
  return f;
}

// --- list / show / lookup -----------------------------------------------------------------------

struct ContactListOptions {
  std::vector<std::string> tags;
  std::string account, search;
  int limit = 100;
};

Status
run_list(const ContactListOptions& opts, Context& ctx)
{
  SVC_TRY(filter, filter_of(ctx, opts.tags, opts.account));
  filter.search = opts.search;
  filter.limit = opts.limit;
  SVC_TRY(store, ctx.store());
  SVC_TRY(rows, store->contacts().list(filter));
  auto sink = output::make_sink(ctx.format(), ctx.io, k_list_columns);
  for (const auto& c : rows)
    sink->row(contacts::contact_json(c, false));
  sink->end();
  return {};
}

// For people: the profile with when each field was last seen, then the rest in sections.
void
print_contact(const nlohmann::json& j, std::ostream& out)
{
  out << fmt::format("#{} {} ({}:{}, {})\n", j["id"].get<std::int64_t>(), output::cell_text(j["name"]),
                     j["account"].get<std::string>(), j["platform_user_id"].get<std::string>(),
                     j["platform"].get<std::string>());
  out << "profile:\n";
  for (const auto& [key, field] : j["profile"].items())
    out << fmt::format("  {:<16} {}  (seen {})\n", key, output::cell_text(field["value"]),
                       output::cell_text(field["seen_at"]));
  if (j.contains("identities")) {
    out << "identities:\n";
    for (const auto& i : j["identities"])
      out << fmt::format("  #{} {}:{} ({}) {}\n", i["id"].get<std::int64_t>(), i["account"].get<std::string>(),
                         i["platform_user_id"].get<std::string>(), i["platform"].get<std::string>(),
                         output::cell_text(i["name"]));
  }
  out << "tags: " << output::cell_text(j["tags"]) << '\n';
  if (!j["attributes"].empty()) {
    out << "attributes:\n";
    for (const auto& [k, v] : j["attributes"].items())
      out << fmt::format("  {} = {}\n", k, v.get<std::string>());
  }
  if (j.contains("notes") && !j["notes"].empty()) {
    out << "notes:\n";
    for (const auto& n : j["notes"])
      out << fmt::format("  {} {}: {}\n", n["created_at"].get<std::string>(), output::cell_text(n["author"]),
                         n["text"].get<std::string>());
  }
  if (j.contains("timeline")) {
    out << "timeline:\n";
    for (const auto& m : j["timeline"])
      out << fmt::format("  {} {} {} {} #{} {}: {}\n", m["created_at"].get<std::string>(),
                         m["direction"] == "in" ? "<" : ">", m["account"].get<std::string>(),
                         m["channel"].get<std::string>(), m["conversation_id"].get<std::int64_t>(),
                         output::cell_text(m["author"]), m["text"].get<std::string>());
  }
}

void
print(Context& ctx, const nlohmann::json& j)
{
  if (ctx.format() == output::Format::table) {
    print_contact(j, ctx.io.out);
    return;
  }
  output::print_object(ctx.format(), ctx.io, j,
                       {{"id", "id"}, {"account", "account"}, {"platform_user_id", "platform_user_id"},
                        {"name", "name"}, {"tags", "tags"}, {"person_id", "person_id"}});
}

struct ContactOptions {
  std::string contact;
};

Status
run_show(const ContactOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_TRY(identities, store->contacts().identities(c.id));
  SVC_TRY(notes, store->contacts().notes(c.id));
  SVC_TRY(timeline, store->contacts().timeline(c.id));
  auto j = contacts::contact_json(c, true);
  j["identities"] = nlohmann::json::array();
  for (const auto& i : identities)
    j["identities"].push_back(contacts::identity_json(i));
  j["notes"] = nlohmann::json::array();
  for (const auto& n : notes)
    j["notes"].push_back(contacts::note_json(n));
  j["timeline"] = nlohmann::json::array();
  for (const auto& m : timeline)
    j["timeline"].push_back(contacts::timeline_json(m));
  print(ctx, j);
  return {};
}

struct LookupOptions {
  std::string account, name, id;
};

Status
run_lookup(const LookupOptions& opts, Context& ctx)
{
  if (opts.name.empty() == opts.id.empty())
    return make_error(ErrorKind::usage, "give one of --name NICKNAME or --id USER_ID")
      .with_hint(opts.name.empty() ? "e.g. svc contact lookup ACCOUNT --id USER_ID (--name works on Weibo only)"
                                   : "--name and --id exclude each other: keep one");
  SVC_TRY(store, ctx.store());
  SVC_TRY(account, store->accounts().get(opts.account));
  SVC_TRY(conn, ctx.connect(account));
  contacts::LookupRequest request{opts.name.empty() ? opts.id : opts.name, !opts.name.empty(), ctx.options.agent};
  SVC_TRY(c, contacts::lookup(*store, conn->channel(), account, request));
  print(ctx, contacts::contact_json(c, true));
  ctx.io.status(fmt::format("✓ Stored contact {}", label(c)));
  return {};
}

// --- link / unlink / set / note -------------------------------------------------------------------

struct LinkOptions {
  std::string a, b;
};

Status
run_link(const LinkOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(a, contacts::resolve(*store, opts.a));
  SVC_TRY(b, contacts::resolve(*store, opts.b));
  SVC_TRY(person, store->contacts().link(a.id, b.id, ctx.options.agent));
  SVC_TRY(identities, store->contacts().identities(a.id));
  nlohmann::json j = {{"person_id", person}, {"identities", nlohmann::json::array()}};
  for (const auto& i : identities)
    j["identities"].push_back(contacts::identity_json(i));
  output::print_object(ctx.format(), ctx.io, j, {{"person_id", "person_id"}, {"identities", "identities"}});
  ctx.io.status(fmt::format("✓ {} and {} are one person ({} identities)", label(a), label(b), identities.size()));
  return {};
}

Status
run_unlink(const ContactOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_TRY(changed, store->contacts().unlink(c.id, ctx.options.agent));
  ctx.io.status(changed ? fmt::format("✓ Unlinked {}", label(c))
                        : fmt::format("✓ {} was not linked: nothing changed", label(c)));
  return {};
}

struct SetOptions {
  std::string contact;
  std::vector<std::string> assignments;
};

Status
run_set(const SetOptions& opts, Context& ctx)
{
  SVC_TRY(values, contacts::parse_assignments(opts.assignments));
  SVC_TRY(store, ctx.store());
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_CHECK(store->contacts().set_attributes(c.id, values, ctx.options.agent));
  ctx.io.status(fmt::format("✓ Set {} attribute(s) of {}", values.size(), label(c)));
  return {};
}

struct NoteOptions {
  std::string contact, text;
};

Status
run_note(const NoteOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(c, contacts::resolve(*store, opts.contact));
  SVC_TRY(id, store->contacts().add_note(c.id, opts.text, ctx.options.agent));
  ctx.io.status(fmt::format("✓ Added note #{} to {}", id, label(c)));
  return {};
}

// --- export / import ------------------------------------------------------------------------------

struct ExportOptions {
  std::string output;
  std::vector<std::string> tags;
  std::string account;
  bool bom = false;
};

Status
run_export(const ExportOptions& opts, Context& ctx)
{
  SVC_TRY(filter, filter_of(ctx, opts.tags, opts.account));
  SVC_TRY(store, ctx.store());
  SVC_TRY(rows, store->contacts().list(filter));
  std::string csv = contacts::export_csv(rows, opts.bom);
  if (opts.output.empty() || opts.output == "-") {
    ctx.io.out << csv << std::flush;
    return {};
  }
  SVC_CHECK(io::write_atomically(opts.output, csv));
  ctx.io.status(fmt::format("✓ Exported {} contact(s) to {}", rows.size(), opts.output));
  return {};
}

struct ImportOptions {
  std::string file;
  bool skip_bad = false;
};

std::string
describe_bad(const std::vector<store::BadRow>& bad)
{
  std::string out;
  std::size_t shown = std::min<std::size_t>(bad.size(), 10);
  for (std::size_t i = 0; i < shown; ++i)
    out += fmt::format("{}line {}: {}", i ? "; " : "", bad[i].line, bad[i].reason);
  if (bad.size() > shown)
    out += fmt::format("; and {} more", bad.size() - shown);
  return out;
}

Status
run_import(const ImportOptions& opts, Context& ctx)
{
  auto read = contacts::read_whole_file(opts.file);
  if (!read)
    return std::move(read).error().with_hint(
      "check the path; contact import reads a CSV as svc contact export writes it");
  auto text = std::move(read).value();
  auto rows = contacts::parse_import(text);
  if (!rows)
    return std::move(rows).error().prefixed(opts.file);
  SVC_TRY(store, ctx.store());
  SVC_TRY(report, store->contacts().import(*rows, opts.skip_bad, ctx.options.agent));
  if (!report.applied)
    return make_error(ErrorKind::usage, "{}: {} bad row(s), nothing imported: {}", opts.file, report.bad.size(),
                      describe_bad(report.bad))
      .with_hint("fix those lines, or add --skip-bad to import the other rows");
  for (const auto& b : report.bad)
    ctx.io.warn(fmt::format("{}: line {} skipped: {}", opts.file, b.line, b.reason));
  nlohmann::json skipped = nlohmann::json::array();
  for (const auto& b : report.bad)
    skipped.push_back({{"line", b.line}, {"reason", b.reason}});
  output::print_object(ctx.format(), ctx.io,
                       {{"file", opts.file}, {"changed", report.changed}, {"unchanged", report.unchanged},
                        {"skipped", skipped}},
                       {{"changed", "changed"}, {"unchanged", "unchanged"}, {"skipped", "skipped"}});
  ctx.io.status(fmt::format("✓ Imported {}: {} contact(s) changed, {} unchanged, {} bad row(s) skipped", opts.file,
                            report.changed, report.unchanged, report.bad.size()));
  return {};
}

} // namespace

void
setup_contact_list(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ContactListOptions>();
  cmd.add_option("--tag", o->tags, "Only contacts with this tag (repeatable: all of them)");
  cmd.add_option("--account", o->account, "Only this account's contacts");
  cmd.add_option("--search", o->search, "Only contacts whose name, username, platform id or attributes contain TEXT");
  cmd.add_option("--limit", o->limit, "At most this many contacts")->check(CLI::PositiveNumber);
  inv.bind(&cmd, [o](Context& ctx) { return run_list(*o, ctx); });
}

void
setup_contact_show(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ContactOptions>();
  add_contact(cmd, "contact", o->contact);
  inv.bind(&cmd, [o](Context& ctx) { return run_show(*o, ctx); });
}

void
setup_contact_lookup(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<LookupOptions>();
  cmd.add_option("account", o->account, "ACCOUNT to look the user up on")->required();
  cmd.add_option("--name", o->name, "The user's screen name (Weibo)");
  cmd.add_option("--id", o->id, "The user's platform id (Weibo uid, WeChat openid)");
  inv.bind(&cmd, [o](Context& ctx) { return run_lookup(*o, ctx); });
}

void
setup_contact_link(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<LinkOptions>();
  add_contact(cmd, "a", o->a);
  add_contact(cmd, "b", o->b);
  inv.bind(&cmd, [o](Context& ctx) { return run_link(*o, ctx); });
}

void
setup_contact_unlink(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ContactOptions>();
  add_contact(cmd, "contact", o->contact);
  inv.bind(&cmd, [o](Context& ctx) { return run_unlink(*o, ctx); });
}

void
setup_contact_set(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<SetOptions>();
  add_contact(cmd, "contact", o->contact);
  cmd.add_option("assignments", o->assignments, "KEY=VALUE... (KEY= removes the attribute)")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_set(*o, ctx); });
}

void
setup_contact_note(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<NoteOptions>();
  add_contact(cmd, "contact", o->contact);
  cmd.add_option("text", o->text, "The note")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_note(*o, ctx); });
}

void
setup_contact_export(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ExportOptions>();
  cmd.add_option("-o,--output", o->output, "Write to FILE (atomically) instead of stdout");
  cmd.add_option("--tag", o->tags, "Only contacts with this tag (repeatable: all of them)");
  cmd.add_option("--account", o->account, "Only this account's contacts");
  cmd.add_flag("--bom", o->bom, "Start with a UTF-8 byte order mark (for Excel)");
  cmd.footer("CSV columns: id, account, platform_user_id, name, tags (';'-separated), attr.KEY per attribute");
  inv.bind(&cmd, [o](Context& ctx) { return run_export(*o, ctx); });
}

void
setup_contact_import(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ImportOptions>();
  cmd.add_option("file", o->file, "FILE.csv as `svc contact export` writes it")->required();
  cmd.add_flag("--skip-bad", o->skip_bad, "Import the good rows even when some are bad");
  cmd.footer("Sets the tags (the whole set, when there is a tags column) and attr.KEY attributes (empty removes) "
             "of existing contacts, named by id or by account and platform_user_id. Any bad row: nothing changes, "
             "unless --skip-bad.");
  inv.bind(&cmd, [o](Context& ctx) { return run_import(*o, ctx); });
}

} // namespace svc::commands
