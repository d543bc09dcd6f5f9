#include "commands/export.hpp"

#include <CLI/CLI.hpp>

#include "commands/stop_signal.hpp"
#include <svc/contacts/names.hpp>
#include <svc/core/time.hpp>
#include <svc/history/export.hpp>
#include <svc/io/atomic_file.hpp>

namespace svc::commands {

namespace {

Result<history::ExportFormat>
export_format(const ExportCommandOptions& opts, const Context& ctx)
{
  if (opts.format.empty()) // the global --format / SVC_FORMAT, when it names a format export writes
    return ctx.format() == output::Format::csv ? history::ExportFormat::csv : history::ExportFormat::jsonl;
  auto f = history::parse_export_format(opts.format);
  if (!f)
    return make_error(ErrorKind::usage, "unknown export format '{}'", opts.format)
      .with_hint("export formats: jsonl, csv, html, md");
  return *f;
}

// The account by name; an unbound account's history is still there, so its name works too.
Result<std::int64_t>
account_id(store::Store& store, const std::string& name)
{
  auto bound = store.accounts().get(name);
  if (bound)
    return bound->id;
  SVC_TRY(all, store.accounts().list(true));
  for (auto it = all.rbegin(); it != all.rend(); ++it)
    if (it->name == name)
      return it->id;
  return bound.error();
}

// Everything that can be wrong with the command line, found before any file is opened.
Result<history::ExportOptions>
parse_options(const ExportCommandOptions& opts, Context& ctx)
{
  history::ExportOptions o;
  SVC_TRY(format, export_format(opts, ctx));
  o.format = format;
  auto level = history::parse_export_level(opts.per);
  if (!level)
    return make_error(ErrorKind::usage, "unknown --per '{}'", opts.per).with_hint("--per message or --per conversation");
  o.level = *level;
  o.bom = opts.bom;
  if (o.bom && o.format != history::ExportFormat::csv)
    return make_error(ErrorKind::usage, "--bom is for --format csv only")
      .with_hint("use --format csv --bom (a byte order mark for spreadsheets), or drop --bom");
  if (opts.status != "all") {
    if (opts.status != "open" && opts.status != "pending" && opts.status != "resolved")
      return make_error(ErrorKind::usage, "unknown status '{}'", opts.status)
        .with_hint("--status open, pending, resolved or all");
    o.filter.status = opts.status;
  }
  UnixTime now = ctx.clock.now();
  if (!opts.since.empty()) {
    SVC_TRY(since, parse_time(opts.since, now));
    o.filter.since = since;
  }
  if (!opts.until.empty()) {
    SVC_TRY(until, parse_time(opts.until, now));
    o.filter.until = until;
  }
  if (o.filter.since && o.filter.until && *o.filter.until <= *o.filter.since)
    return make_error(ErrorKind::usage, "--until {} is not after --since {}", format_iso(*o.filter.until),
                      format_iso(*o.filter.since))
      .with_hint("the range is [--since, --until)");
  if (!opts.tag.empty()) {
    SVC_CHECK(contacts::check_tag(opts.tag));
    o.filter.tag = opts.tag;
  }
  return o;
}

// The filters that name things in the state file: not_found (exit 3) when one names nothing.
Status
resolve_names(const ExportCommandOptions& opts, store::Store& store, store::ExportFilter& filter)
{
  if (!opts.account.empty()) {
    SVC_TRY(id, account_id(store, opts.account));
    filter.account_id = id;
  }
  if (!opts.contact.empty()) {
    SVC_TRY(contact, contacts::resolve(store, opts.contact));
    filter.contact_id = contact.id;
  }
  if (filter.tag) {
    SVC_TRY(tags, store.contacts().tag_counts());
    bool known = std::any_of(tags.begin(), tags.end(), [&](const auto& t) { return t.name == *filter.tag; });
    if (!known)
      return make_error(ErrorKind::not_found, "no tag '{}'", *filter.tag).with_hint("`svc tag list` lists the tags");
  }
  return {};
}

} // namespace

Status
run_export(const ExportCommandOptions& opts, Context& ctx)
{
  SVC_TRY(options, parse_options(opts, ctx));
  SVC_TRY(store, ctx.existing_store());
  SVC_CHECK(resolve_names(opts, *store, options.filter));
  auto source = store::export_source(*store);
  const char* unit = options.level == history::ExportLevel::message ? "messages" : "conversations";

  // Progress on a terminal, unless the data itself goes there.
  bool to_file = !opts.output.empty();
  bool show_progress = ctx.io.err_is_tty && !ctx.io.quiet && (to_file || !ctx.io.out_is_tty);
  if (show_progress)
    options.progress = [&](std::int64_t rows) { ctx.io.err << "\r\033[K" << rows << " " << unit << std::flush; };
  auto clear_progress = [&] {
    if (show_progress)
      ctx.io.err << "\r\033[K" << std::flush;
  };

  if (!to_file) { // streamed: what was written is out, whatever happens next
    auto rows = history::export_history(*source, options, ctx.io.out);
    clear_progress();
    return rows ? Status() : Status(rows.error());
  }

  SVC_TRY(file, io::AtomicFile::create(opts.output));
  StopSignal stop; // Ctrl-C or SIGTERM: stop between two rows, remove the temporary file
  options.cancelled = [&stop] { return stop.requested(); };
  auto rows = history::export_history(*source, options, file->stream());
  clear_progress();
  if (!rows) {
    Error e = rows.error();
    if (stop.requested())
      e.hint = fmt::format("{} was not written", opts.output);
    return e; // the temporary file goes with `file`
  }
  SVC_CHECK(file->commit());
  ctx.io.status(fmt::format("✓ Exported {} {} to {}", *rows, unit, opts.output));
  return {};
}

void
setup_export(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<ExportCommandOptions>();
  // Its own --format: export writes html and md besides the listings' formats. Given after `export`, it
  // takes precedence over the global option; otherwise a global jsonl or csv is honoured.
  cmd.add_option("--format", o->format, "jsonl (default), csv, html (a self-contained page) or md");
  cmd.add_option("--per", o->per, "message (default): one row per message; conversation: one row per conversation "
                                  "with its figures");
  cmd.add_option("-o,--output", o->output, "Write to FILE atomically (temporary file, then rename) instead of stdout");
  cmd.add_flag("--bom", o->bom, "csv: start with a UTF-8 byte order mark (for spreadsheets)");
  cmd.add_option("--account", o->account, "Only this account's history");
  cmd.add_option("--contact", o->contact, "Only this contact's: svc id or ACCOUNT:PLATFORM_USER_ID");
  cmd.add_option("--tag", o->tag, "Only contacts with this tag");
  cmd.add_option("--since", o->since, "From TIME (ISO 8601, or relative: 24h, 7d); messages by their time, "
                                      "conversations by their creation");
  cmd.add_option("--until", o->until, "Before TIME (ISO 8601 or relative)");
  cmd.add_option("--status", o->status, "Only conversations in this status: open, pending, resolved or all (default)");
  cmd.footer("Streams in constant memory. jsonl: the fields of a `svc show` message plus account, platform, "
             "conversation_id and contact; csv: the same columns (RFC 4180, CRLF). See docs/export.md.");
  inv.bind(&cmd, [o](Context& ctx) { return run_export(*o, ctx); });
}

} // namespace svc::commands
