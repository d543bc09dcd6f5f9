// A placeholder, replaced by the real command.
#include "commands/kb.hpp"

#include <CLI/CLI.hpp>

namespace svc::commands {

void
setup_kb_add(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_kb_import(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_kb_list(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_kb_remove(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_kb_ask(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

} // namespace svc::commands
