#include "commands/template.hpp"

#include <algorithm>
#include <sstream>

#include <CLI/CLI.hpp>

#include <svc/core/time.hpp>
#include <svc/inbox/template_render.hpp>
#include <svc/output/sink.hpp>

namespace svc::commands {

namespace {

const std::vector<output::Column> k_template_columns = {
  {"name", "NAME"}, {"variables", "VARIABLES"}, {"updated_at", "UPDATED"}, {"text", "TEXT"}};

nlohmann::json
template_json(const store::TemplateRow& t)
{
  auto parts = inbox::parse_template(t.name, t.text);
  return {{"name", t.name},
          {"text", t.text},
          {"variables", parts ? inbox::template_variables(*parts) : std::vector<std::string>{}},
          {"created_at", format_iso(t.created_at)},
          {"updated_at", format_iso(t.updated_at)}};
}

Status
check_template_name(const std::string& name)
{
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
  if (!ok)
    return make_error(ErrorKind::usage, "bad template name '{}'", name)
      .with_hint("a template name is letters, digits, - _ and .");
  return {};
}

} // namespace

Status
run_template_add(const TemplateAddOptions& opts, Context& ctx)
{
  SVC_CHECK(check_template_name(opts.name));
  std::string text = opts.text;
  if (text == "-") {
    std::stringstream ss;
    ss << ctx.io.in.rdbuf();
    text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
  }
  if (text.empty())
    return make_error(ErrorKind::usage, "template '{}' is empty", opts.name)
      .with_hint("give its text as an argument, or - to read it from stdin");
  SVC_CHECK(inbox::parse_template(opts.name, text)); // syntax checked now, not at the first send
  SVC_TRY(store, ctx.store());
  bool existed = static_cast<bool>(store->templates().get(opts.name));
  SVC_CHECK(store->templates().put(opts.name, text));
  ctx.io.status(fmt::format("✓ {} template '{}'", existed ? "Replaced" : "Added", opts.name));
  return {};
}

void
setup_template_add(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TemplateAddOptions>();
  cmd.add_option("name", o->name, "Template NAME")->required();
  cmd.add_option("text", o->text, "The text with {contact.name}, {agent}, {KEY}...; - reads stdin")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_template_add(*o, ctx); });
}

Status
run_template_list(Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(all, store->templates().list());
  auto sink = output::make_sink(ctx.format(), ctx.io, k_template_columns);
  for (const auto& t : all)
    sink->row(template_json(t));
  sink->end();
  return {};
}

void
setup_template_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context& ctx) { return run_template_list(ctx); });
}

Status
run_template_show(const TemplateNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_TRY(t, store->templates().get(opts.name));
  auto columns = k_template_columns;
  columns.push_back({"created_at", "CREATED"});
  output::print_object(ctx.format(), ctx.io, template_json(t), columns);
  return {};
}

void
setup_template_show(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TemplateNameOptions>();
  cmd.add_option("name", o->name, "Template NAME")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_template_show(*o, ctx); });
}

Status
run_template_remove(const TemplateNameOptions& opts, Context& ctx)
{
  SVC_TRY(store, ctx.store());
  SVC_CHECK(store->templates().remove(opts.name));
  ctx.io.status(fmt::format("✓ Removed template '{}'", opts.name));
  return {};
}

void
setup_template_remove(CLI::App& cmd, Invocation& inv)
{
  auto o = std::make_shared<TemplateNameOptions>();
  cmd.add_option("name", o->name, "Template NAME")->required();
  inv.bind(&cmd, [o](Context& ctx) { return run_template_remove(*o, ctx); });
}

} // namespace svc::commands
