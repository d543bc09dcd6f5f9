// A placeholder, replaced by the real command.
#include "commands/guard.hpp"

#include <CLI/CLI.hpp>

namespace svc::commands {

void
setup_guard_add(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_guard_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_guard_remove(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

} // namespace svc::commands
