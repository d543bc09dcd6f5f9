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

Result<std::unique_ptr<inbox::Connection>>
Context::connect(const domain::Account& account, bool dry_run)
{
  SVC_TRY(st, store());
  inbox::ConnectOptions options;
  options.verbosity = this->options.verbosity;
  options.dry_run = dry_run;
  options.log = [this](std::string_view line) { io.err << line << '\n'; };
  return inbox::connect(*st, account, getenv, clock, options);
}

Result<std::vector<domain::Account>>
Context::resolve_accounts(const std::vector<std::string>& names, bool all)
{
  SVC_TRY(st, store());
  if (!names.empty()) {
    std::vector<domain::Account> out;
    for (const auto& name : names) {
      SVC_TRY(a, st->accounts().get(name));
      out.push_back(std::move(a));
    }
    return out;
  }
  if (all) {
    SVC_TRY(every, st->accounts().list());
    if (every.empty())
      return make_error(ErrorKind::not_found, "no account is bound")
        .with_hint("bind one with `svc account bind PLATFORM NAME --token-env VAR`");
    return every;
  }
  SVC_TRY(def, st->accounts().get_default());
  return std::vector<domain::Account>{def};
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
