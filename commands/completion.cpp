#include "commands/completion.hpp"

#include <CLI/CLI.hpp>

#include "commands/cli_tree.hpp"
#include "commands/completion_scripts.hpp"

namespace svc::commands {

namespace {

// The names of one kind in the state file; an error when it cannot be read.
Result<std::vector<std::string>>
names(const std::string& kind, store::Store& store)
{
  std::vector<std::string> out;
  if (kind == "accounts") {
    SVC_TRY(all, store.accounts().list());
    for (const auto& a : all)
      out.push_back(a.name);
  } else if (kind == "agents") {
    SVC_TRY(all, store.team().agents());
    for (const auto& a : all)
      out.push_back(a.name);
  } else if (kind == "groups") {
    SVC_TRY(all, store.team().groups());
    for (const auto& g : all)
      out.push_back(g.name);
  } else if (kind == "tags") {
    SVC_TRY(all, store.contacts().tag_counts());
    for (const auto& t : all)
      out.push_back(t.name);
  } else if (kind == "templates") {
    SVC_TRY(all, store.templates().list());
    for (const auto& t : all)
      out.push_back(t.name);
  }
  return out;
}

} // namespace

Status
run_complete(const CompleteOptions& opts, Context& ctx)
{
  // Completion runs on every Tab: a missing, locked or foreign state file prints nothing and never
  // creates one, and no error reaches the user's terminal in the middle of their command line.
  auto store = ctx.existing_store();
  if (!store)
    return {};
  auto words = names(opts.kind, **store);
  if (words)
    for (const auto& w : *words)
      ctx.io.out << w << '\n';
  return {};
}

void
setup_complete(CLI::App& cmd, Invocation& inv)
{
  cmd.group(""); // hidden
  auto o = std::make_shared<CompleteOptions>();
  cmd.add_option("kind", o->kind, "accounts, agents, groups, tags or templates")
    ->required()
    ->check(CLI::IsMember({"accounts", "agents", "groups", "tags", "templates"}));
  inv.bind(&cmd, [o](Context& ctx) { return run_complete(*o, ctx); });
}

void
setup_dump_commands(CLI::App& cmd, Invocation& inv)
{
  cmd.group(""); // hidden
  const CLI::App* root = &root_of(cmd);
  inv.bind(&cmd, [root](Context& ctx) {
    ctx.io.out << cli_tree(*root).dump(2) << '\n';
    return Status{};
  });
}

void
setup_completion(CLI::App& cmd, Invocation& inv)
{
  auto shell = std::make_shared<std::string>();
  cmd.add_option("shell", *shell, "bash, zsh or fish")
    ->required()
    ->check(CLI::IsMember({"bash", "zsh", "fish"}));
  const CLI::App* root = &root_of(cmd);
  inv.bind(&cmd, [root, shell](Context& ctx) {
    ctx.io.out << completion_script(*shell, cli_tree(*root));
    return Status{};
  });
}

} // namespace svc::commands
