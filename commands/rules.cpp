// A placeholder, replaced by the real command.
#include "commands/rules.hpp"

#include <CLI/CLI.hpp>

namespace svc::commands {

void
setup_rules_check(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_rules_test(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

void
setup_rules_apply(CLI::App& cmd, Invocation& inv)
{
  inv.bind(&cmd, [](Context&) -> Status {
    return make_error(ErrorKind::failed, "not built yet");
  });
}

} // namespace svc::commands
