// Two or three real examples per command, shown at the end of `svc COMMAND --help` (the CLI11 footer)
// and, through help2man, in each man page's EXAMPLES. One table, so that a test can check that every
// command has its examples.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace svc::commands {

struct HelpExample {
  std::string_view command; // "svc pull --channel dm"
  std::string_view what;    // what it does, one line
};

// The examples of a command by its path ("" for svc itself, "pull", "account bind").
std::vector<HelpExample> help_examples(std::string_view path);

// "Examples:\n  svc ...\n      what\n" for the help footer, or "" when the command has none.
std::string help_footer(std::string_view path);

} // namespace svc::commands
