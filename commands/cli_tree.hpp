// svc's command tree as data, read from the CLI11 App that cli/app.cpp builds from the registry: the
// one source the completions, the man pages and the documentation test are generated from (Nix's
// `nix __dump-cli`), so none of them can drift from the real parser.
#pragma once

#include <nlohmann/json.hpp>

namespace CLI {
class App;
}

namespace svc::commands {

// The visible tree under `root` (hidden commands, whose CLI11 group is "", are left out):
//   {"name", "path", "summary", "options": [...], "positionals": [...], "commands": [...], "examples": [...]}
// An option is {"names": ["-v", "--verbose"], "description", "flag", "value_name", "choices", "complete",
// "required", "repeatable"}; a positional the same with "name" instead of "names". "complete" says which
// dynamic words fit a value ("accounts", "agents", "groups", "tags", "templates", "files" or "").
nlohmann::json cli_tree(const CLI::App& root);

// The root App of the tree `cmd` belongs to.
const CLI::App& root_of(const CLI::App& cmd);

} // namespace svc::commands
