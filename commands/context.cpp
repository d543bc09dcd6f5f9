#include "commands/context.hpp"

#include <svc/config/paths.hpp>
#include <svc/core/time.hpp>

namespace svc::commands {

Context::Context(io::Streams& io_, const Clock& clock_, config::Getenv getenv_, GlobalOptions options_)
  : io(io_), clock(clock_), getenv(std::move(getenv_)), options(std::move(options_))
{
}

Context::~Context() = default;

Result<std::string>
Context::state_path() const
{
  SVC_TRY(path, config::state_path(options.state_path, getenv));
  return path.string();
}

Result<store::Store*>
Context::open(bool create)
{
  if (m_store)
    return m_store.get();
  SVC_TRY(path, config::state_path(options.state_path, getenv));
  store::OpenOptions open;
  open.path = path;
  open.create_if_missing = create;
  open.clock = &clock;
  if (auto timeout = getenv("SVC_BUSY_TIMEOUT")) {
    SVC_TRY(d, parse_duration(*timeout));
    open.busy_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(d);
  }
  SVC_TRY(opened, store::open_store(open));
  m_store = std::move(opened);
  return m_store.get();
}

Result<store::Store*>
Context::store()
{
  return open(true);
}

Result<store::Store*>
Context::existing_store()
{
  return open(false);
}

const Invocation::Run*
Invocation::selected(const void* command) const
{
  for (const auto& [cmd, run] : m_bound)
    if (cmd == command)
      return &run;
  return nullptr;
}

} // namespace svc::commands
