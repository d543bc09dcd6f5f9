#include "commands/kb.hpp"

#include <cmath>

#include <CLI/CLI.hpp>

#include <svc/automation/kb.hpp>
#include <svc/contacts/file.hpp>
#include <svc/core/time.hpp>
#include <svc/output/sink.hpp>
#include <svc/store/knowledge_base.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_entry_columns = {
  {"id", "ID"}, {"menu", "MENU"}, {"question", "QUESTION"}, {"phrasings", "PHRASINGS"}, {"answer", "ANSWER"}};

const std::vector<output::Column> k_ask_columns = {{"decision", "DECISION"},   {"confidence", "CONFIDENCE"},
                                                   {"threshold", "THRESHOLD"}, {"reason", "REASON"},
                                                   {"answer", "ANSWER"},       {"candidates", "CANDIDATES"}};

const std::vector<output::Column> k_config_columns = {
  {"threshold", "THRESHOLD"}, {"human_phrases", "HUMAN PHRASES"}, {"menu_header", "MENU HEADER"}};

// Confidences to 3 decimals: enough to compare with a threshold, stable in scripts' output.
double
rounded(double x)
{
  return std::round(x * 1000) / 1000;
}

nlohmann::json
entry_json(const store::KbEntry& e)
{
  return {{"id", e.id},
          {"question", e.question},
          {"phrasings", e.phrasings},
          {"answer", e.answer},
          {"menu", e.menu ? nlohmann::json(*e.menu) : nlohmann::json()},
          {"created_at", format_iso(e.created_at)}};
}

nlohmann::json
settings_json(const store::KbSettings& s)
{
  return {{"threshold", s.threshold}, {"human_phrases", s.human_phrases}, {"menu_header", s.menu_header}};
}

} // namespace

Status
run_kb_add(const KbAddOptions& opts, Context& ctx)
{
  store::KbEntry e;
  e.question = opts.question;
  e.phrasings = opts.alts;
  e.answer = opts.answer;
  e.menu = opts.menu;
  e.created_at = ctx.clock.now();
  SVC_CHECK(automation::check_kb_entry(e));
  SVC_TRY(store, ctx.store());
  auto kb = store::knowledge_base(*store);
  SVC_TRY(ids, kb->add({e}));
  SVC_TRY(added, kb->get(ids.front()));
  output::print_object(ctx.format(), ctx.io, entry_json(added), k_entry_columns);
  ctx.io.status(fmt::format("✓ Added kb #{}{}", added.id, added.menu ? fmt::format(" (menu {})", *added.menu) : ""));
  return {};
}

void
setup_kb_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<KbAddOptions>();
  cmd.add_option("--question", o->question, "The question, as customers ask it")->required();
  cmd.add_option("--alt", o->alts, "Another way to ask the same question (repeatable)");
  cmd.add_option("--answer", o->answer, "The bot's answer")->required();
  cmd.add_option("--menu", o->menu, "Its number N in the welcome menu (the customer replies N for this answer)");
  inv.bind(&cmd, [o](Context& ctx) { return run_kb_add(*o, ctx); });
}

Status
run_kb_import(const KbImportOptions& opts, Context& ctx)
{
  auto read = contacts::read_whole_file(opts.file);
  if (!read)
    return std::move(read).error().with_hint(
      "check the path; kb import reads a CSV (question,answer,phrasings,menu) or a JSON-lines file");
  auto content = std::move(read).value();
  auto format = automation::kb_file_format(opts.file, content);
  auto parsed = automation::parse_kb_file(content, format);
  if (!parsed)
    return Error(std::move(parsed).error()).prefixed(opts.file);
  auto entries = std::move(parsed).value();
  for (auto& e : entries)
    e.created_at = ctx.clock.now();
  SVC_TRY(store, ctx.store());
  auto added = store::knowledge_base(*store)->add(entries);
  if (!added)
    return Error(std::move(added).error()).prefixed(opts.file);
  ctx.io.status(fmt::format("✓ Imported {} entr{} from {}", added->size(), added->size() == 1 ? "y" : "ies",
                            opts.file));
  return {};
}

void
setup_kb_import(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<KbImportOptions>();
  cmd.add_option("file", o->file,
                 "CSV (question,answer,phrasings,menu; phrasings '|'-separated) or JSON lines; all or nothing")
    ->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_kb_import(*o, ctx); });
}

Status
run_kb_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(entries, store::knowledge_base(*store)->list());
  auto sink = output::make_sink(ctx.format(), ctx.io, k_entry_columns);
  for (const auto& e : entries)
    sink->row(entry_json(e));
  sink->end();
  return {};
}

void
setup_kb_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_kb_list(ctx); });
}

Status
run_kb_remove(const KbRemoveOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store::knowledge_base(*store)->remove(opts.id));
  ctx.io.status(fmt::format("✓ Removed kb #{}", opts.id));
  return {};
}

void
setup_kb_remove(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<KbRemoveOptions>();
  cmd.add_option("id", o->id, "The entry's ID (see `svc kb list`)")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_kb_remove(*o, ctx); });
}

Status
run_kb_ask(const KbAskOptions& opts, Context& ctx)
{
  if (opts.text.empty())
    return make_error(ErrorKind::usage, "nothing to ask").with_hint("e.g. svc kb ask '怎么退款？'");
  SVC_TRY(store, ctx.store());
  SVC_TRY(d, automation::decide(*store, opts.text, opts.candidates));
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& c : d.candidates)
    candidates.push_back({{"id", c.entry.id},
                          {"question", c.entry.question},
                          {"matched", c.matched},
                          {"confidence", rounded(c.confidence)},
                          {"score", rounded(c.score)}});
  nlohmann::json out = {
    {"text", opts.text},
    {"decision", automation::to_string(d.kind)},
    {"confidence", rounded(d.confidence)},
    {"threshold", d.settings.threshold},
    {"entry_id", d.entry ? nlohmann::json(d.entry->id) : nlohmann::json()},
    {"answer", d.text.empty() ? nlohmann::json() : nlohmann::json(d.text)},
    {"reason", d.reason},
    {"candidates", candidates}};
  if (ctx.format() == output::Format::table) {
    // For people: the candidates as "#ID 0.82 question", one per cell item.
    nlohmann::json brief = nlohmann::json::array();
    for (const auto& c : d.candidates)
      brief.push_back(fmt::format("#{} {:.2f} {}", c.entry.id, c.confidence, c.matched));
    out["candidates"] = brief;
  }
  output::print_object(ctx.format(), ctx.io, out, k_ask_columns);
  return {};
}

void
setup_kb_ask(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<KbAskOptions>();
  cmd.add_option("text", o->text, "What a customer writes")->required();
  cmd.add_option("--candidates", o->candidates, "How many of the best entries to show")
    ->check(CLI::Range(1, 100));
  inv.bind(&cmd, [o](Context& ctx) { return run_kb_ask(*o, ctx); });
}

Status
run_kb_config(const KbConfigOptions& opts, Context& ctx)
{
  if (opts.threshold && !(*opts.threshold >= 0 && *opts.threshold <= 1))
    return make_error(ErrorKind::usage, "--threshold {} is not between 0 and 1", *opts.threshold)
      .with_hint("the bot answers at or above this confidence, e.g. --threshold 0.5");
  for (const auto& p : opts.human_phrases)
    if (store::kb_normalize(p).empty())
      return make_error(ErrorKind::usage, "--human-phrase '{}' has no words", p);
  if (opts.menu_header && opts.menu_header->empty())
    return make_error(ErrorKind::usage, "--menu-header is empty");
  SVC_TRY(store, ctx.store());
  auto kb = store::knowledge_base(*store);
  SVC_TRY(settings, kb->settings());
  bool changed = opts.threshold || !opts.human_phrases.empty() || opts.menu_header;
  if (opts.threshold)
    settings.threshold = *opts.threshold;
  if (!opts.human_phrases.empty())
    settings.human_phrases = opts.human_phrases;
  if (opts.menu_header)
    settings.menu_header = *opts.menu_header;
  if (changed)
    SVC_CHECK(kb->set_settings(settings));
  output::print_object(ctx.format(), ctx.io, settings_json(settings), k_config_columns);
  if (changed)
    ctx.io.status("✓ Saved the bot's settings");
  return {};
}

void
setup_kb_config(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<KbConfigOptions>();
  cmd.add_option("--threshold", o->threshold, "The confidence (0-1) at or above which the bot answers");
  cmd.add_option("--human-phrase", o->human_phrases,
                 "A phrase with which a customer asks for a human (repeatable; replaces the list)");
  cmd.add_option("--menu-header", o->menu_header, "The line above the numbered menu");
  inv.bind(&cmd, [o](Context& ctx) { return run_kb_config(*o, ctx); });
}

} // namespace svc::commands
