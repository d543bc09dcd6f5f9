// A placeholder, replaced by the real command.
#include "commands/watch.hpp"

#include <CLI/CLI.hpp>

namespace svc::commands {

void
setup_watch_add(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_watch_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_watch_run(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_watch_remove(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

} // namespace svc::commands
