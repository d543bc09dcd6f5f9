// The bash, zsh and fish completion scripts, generated from the command tree (commands/cli_tree.hpp).
// Each is a small fixed engine (walk the words typed so far to the command path, then offer that
// command's subcommands, options, option values or positionals) over tables written from the tree.
// Dynamic words (account names, agents, groups, tags, templates) come from `svc __complete KIND`.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace svc::commands {

// "bash", "zsh" or "fish"; "" for any other shell.
std::string completion_script(std::string_view shell, const nlohmann::json& tree);

} // namespace svc::commands
