// A placeholder, replaced by the real command.
#include "commands/export.hpp"

#include <CLI/CLI.hpp>

namespace svc::commands {

void
setup_export(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

} // namespace svc::commands
