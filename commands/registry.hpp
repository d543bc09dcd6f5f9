// The one table of every svc command (vcpkg's commands.cpp, ninja's kTools[]): adding a command is one
// line here plus its setup function. cli/app.cpp builds the CLI11 tree from it.
#pragma once

#include <span>
#include <string_view>

namespace CLI {
class App;
}

namespace svc::commands {

class Invocation;

// A setup function adds the command's options to `cmd` (already created with its name and summary)
// and binds its run function in `inv`.
using Setup = void (*)(CLI::App& cmd, Invocation& inv);

struct CommandSpec {
  std::string_view group; // "" for a top-level command
  std::string_view name;
  std::string_view summary;
  Setup setup;
};

struct GroupSpec {
  std::string_view name;
  std::string_view summary;
};

std::span<const CommandSpec> all_commands();
std::span<const GroupSpec> all_groups();

} // namespace svc::commands
