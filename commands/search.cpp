// A placeholder, replaced by the real command.
#include "commands/search.hpp"

#include <CLI/CLI.hpp>

namespace svc::commands {

void
setup_search(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

} // namespace svc::commands
