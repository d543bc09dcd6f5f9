#include "commands/cli_tree.hpp"

#include <array>
#include <string_view>

#include <CLI/CLI.hpp>

#include "commands/help_examples.hpp"

namespace svc::commands {

namespace {

// Which words complete a value: by command path ("*" = any command, "" = svc itself) and option or
// positional name, a kind of names from the state file or "=" and fixed choices for values checked
// by the command rather than by CLI11. The commands do not declare this themselves, so it lives
// here, next to the only code that needs it; a name missing here completes as free text.
struct CompleteRule {
  std::string_view path;
  std::string_view name;
  std::string_view words;
};

constexpr std::array k_complete_rules = {
  CompleteRule{"", "--format", "=table,json,jsonl,csv"},
  CompleteRule{"export", "--format", "=jsonl,csv,html,md"},
  CompleteRule{"export", "--per", "=message,conversation"},
  CompleteRule{"export", "--status", "=open,pending,resolved,all"},
  CompleteRule{"report", "--by", "=account,channel,agent,day"},
  CompleteRule{"*", "--channel", "=dm,comment,mention"},
  CompleteRule{"*", "--policy", "=round-robin,least-busy,idle-rate,sticky,skills,priority"},
  CompleteRule{"assign", "--to", "agents"},
  CompleteRule{"*", "--account", "accounts"},
  CompleteRule{"*", "--as", "agents"},
  CompleteRule{"*", "--assignee", "agents"},
  CompleteRule{"*", "--tag", "tags"},
  CompleteRule{"*", "--group", "groups"},
  CompleteRule{"*", "--to-group", "groups"},
  CompleteRule{"*", "--overflow-to", "groups"},
  CompleteRule{"*", "--template", "templates"},
  CompleteRule{"*", "--state", "files"},
  CompleteRule{"*", "--file", "files"},
  CompleteRule{"*", "--input", "files"},
  CompleteRule{"*", "--scenario", "files"},
  CompleteRule{"*", "--agents-file", "files"},
  CompleteRule{"*", "--port-file", "files"},
  CompleteRule{"*", "--record", "files"},
  CompleteRule{"*", "--token-file", "files"},
  CompleteRule{"*", "--secret-file", "files"},
  CompleteRule{"*", "--output", "files"},
  CompleteRule{"*", "--html", "files"},
  CompleteRule{"account check", "names", "accounts"},
  CompleteRule{"account show", "name", "accounts"},
  CompleteRule{"account use", "name", "accounts"},
  CompleteRule{"account unbind", "name", "accounts"},
  CompleteRule{"template show", "name", "templates"},
  CompleteRule{"template remove", "name", "templates"},
  CompleteRule{"agent remove", "name", "agents"},
  CompleteRule{"agent status", "name", "agents"},
  CompleteRule{"tag add", "tags", "tags"},
  CompleteRule{"tag remove", "tags", "tags"},
  CompleteRule{"*", "account", "accounts"},
  CompleteRule{"*", "ACCOUNT", "accounts"},
  CompleteRule{"*", "file", "files"},
};

std::string
complete_words(const std::string& path, const std::string& name)
{
  for (const auto& rule : k_complete_rules)
    if ((rule.path == "*" || rule.path == path) && rule.name == name)
      return std::string(rule.words);
  return "";
}

// CLI11 appends validator descriptions to the type name: "TEXT:{open,pending}", "INT in [1 - 100]".
void
describe_value(const CLI::Option& opt, nlohmann::json& out)
{
  std::string type = opt.get_type_name();
  auto choices = nlohmann::json::array();
  auto open = type.find(":{");
  if (open != std::string::npos && type.back() == '}') {
    std::string list = type.substr(open + 2, type.size() - open - 3);
    for (std::size_t start = 0; start <= list.size();) {
      auto comma = list.find(',', start);
      if (comma == std::string::npos)
        comma = list.size();
      if (comma > start)
        choices.push_back(list.substr(start, comma - start));
      start = comma + 1;
    }
  }
  auto colon = type.find(':');
  auto space = type.find(' ');
  out["value_name"] = type.substr(0, std::min(colon, space));
  out["choices"] = choices;
}

// Adds the rule's fixed choices to `out`, or its kind as "complete".
void
apply_rule(const std::string& rule, nlohmann::json& out)
{
  out["complete"] = "";
  if (rule.empty() || rule[0] != '=') {
    out["complete"] = rule;
    return;
  }
  if (!out["choices"].empty())
    return; // CLI11's own check wins
  for (std::size_t start = 1; start <= rule.size();) {
    auto comma = std::min(rule.find(',', start), rule.size());
    out["choices"].push_back(rule.substr(start, comma - start));
    start = comma + 1;
  }
}

nlohmann::json
option_json(const CLI::Option& opt, const std::string& path)
{
  nlohmann::json o;
  bool positional = !opt.nonpositional();
  if (positional) {
    o["name"] = opt.get_name(true);
  } else {
    auto names = nlohmann::json::array();
    for (const auto& s : opt.get_snames())
      names.push_back("-" + s);
    for (const auto& l : opt.get_lnames())
      names.push_back("--" + l);
    o["names"] = names;
  }
  o["description"] = opt.get_description();
  o["flag"] = !positional && opt.get_expected_max() == 0;
  o["required"] = opt.get_required();
  o["repeatable"] = opt.get_items_expected_max() > 1;
  if (o["flag"]) {
    o["value_name"] = "";
    o["choices"] = nlohmann::json::array();
    o["complete"] = "";
  } else {
    describe_value(opt, o);
    std::string key = positional ? opt.get_name(true) : "--" + (opt.get_lnames().empty() ? std::string() : opt.get_lnames().front());
    apply_rule(complete_words(path, key), o);
  }
  return o;
}

nlohmann::json
app_json(const CLI::App& app, const std::string& path)
{
  nlohmann::json j;
  j["name"] = app.get_name();
  j["path"] = path;
  j["summary"] = app.get_description();
  j["options"] = nlohmann::json::array();
  j["positionals"] = nlohmann::json::array();
  for (const auto* opt : app.get_options()) {
    if (opt->get_group().empty())
      continue; // hidden
    (opt->nonpositional() ? j["options"] : j["positionals"]).push_back(option_json(*opt, path));
  }
  j["commands"] = nlohmann::json::array();
  // get_subcommands(filter) is non-const in CLI11 2.1; it only reads.
  auto& mutable_app = const_cast<CLI::App&>(app);
  for (auto* sub : mutable_app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); }))
    j["commands"].push_back(app_json(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name()));
  j["examples"] = nlohmann::json::array();
  for (const auto& e : help_examples(path))
    j["examples"].push_back({{"command", e.command}, {"what", e.what}});
  return j;
}

} // namespace

nlohmann::json
cli_tree(const CLI::App& root)
{
  return app_json(root, "");
}

const CLI::App&
root_of(const CLI::App& cmd)
{
  const CLI::App* app = &cmd;
  while (app->get_parent())
    app = app->get_parent();
  return *app;
}

} // namespace svc::commands
