// "did you mean?" for a mistyped command: `svc pul` -> pull, `svc contact lst` -> contact list.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace svc::cli {

// The closest of `names` to `word` (edit distance with transpositions, at most 2 and less than half the
// word; or a name `word` is a prefix of), or nothing.
std::optional<std::string> closest(std::string_view word, const std::vector<std::string>& names);

struct UnknownCommand {
  std::string given;     // "contact lst"
  std::string suggested; // "contact list", or "" when nothing is close
};

// Looks at the command words of `args` (skipping global options and their values) and returns the first
// one that names no command where a command was expected.
std::optional<UnknownCommand> find_unknown_command(CLI::App& app, const std::vector<std::string>& args);

} // namespace svc::cli
