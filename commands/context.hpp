// Everything a command may touch, built by cli/ for real and by tests for tests (gh's Factory). The
// store and channels are built lazily, so --help and usage errors touch no file and no network.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <svc/config/environment.hpp>
#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/io/streams.hpp>
#include <svc/output/format.hpp>
#include <svc/inbox/connect.hpp>
#include <svc/store/store.hpp>

namespace svc::commands {

struct GlobalOptions {
  std::optional<std::string> state_path; // --state
  output::Format format = output::Format::table;
  std::string agent; // --as / SVC_AGENT
  int verbosity = 0;
  bool quiet = false;
};

class Context
{
public:
  Context(io::Streams& io, const Clock& clock, config::Getenv getenv, GlobalOptions options);
  ~Context();

  io::Streams& io;
  const Clock& clock;
  config::Getenv getenv;
  GlobalOptions options;

  output::Format format() const { return options.format; }
  // The state file, opened (and created/migrated) on first use.
  Result<store::Store*> store();
  // For read-only commands on a file that may not exist (db check): no file is created.
  Result<store::Store*> existing_store();
  // A connection to a bound account's platform, logging -v/-vv lines to stderr.
  Result<std::unique_ptr<inbox::Connection>> connect(const domain::Account& account, bool dry_run = false);
  // Accounts named on the command line, or every bound account when `names` is empty and `all`, or
  // else the default account.
  Result<std::vector<domain::Account>> resolve_accounts(const std::vector<std::string>& names, bool all);
  // Where the state file is (without opening it).
  Result<std::string> state_path() const;

private:
  Result<store::Store*> open(bool create);
  std::unique_ptr<store::Store> m_store;
};

// What the parser selected: the run function of one command, bound by its setup function.
class Invocation
{
public:
  using Run = std::function<Status(Context&)>;
  void bind(void* command, Run run) { m_bound.push_back({command, std::move(run)}); }
  // The run function of the command CLI11 parsed, if any.
  const Run* selected(const void* command) const;

private:
  std::vector<std::pair<void*, Run>> m_bound;
};

} // namespace svc::commands
