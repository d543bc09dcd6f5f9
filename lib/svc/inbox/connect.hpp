// Connecting to a bound account: resolve its secrets, build the transport chain
// Retrying(Trace(Curl)) with the account's secrets redacted from every log line, and the platform's
// Channel, with WeChat access tokens cached in the state file.
#pragma once

#include <memory>

#include <svc/channels/channel.hpp>
#include <svc/config/environment.hpp>
#include <svc/http/trace.hpp>
#include <svc/store/store.hpp>

namespace svc::inbox {

struct ConnectOptions {
  int verbosity = 0;
  http::LogLine log;         // -v/-vv lines (stderr in the CLI)
  bool dry_run = false;      // capture requests instead of sending them (see captured())
};

class Connection
{
public:
  virtual ~Connection() = default;
  virtual channels::Channel& channel() = 0;
  // With dry_run: every request the channel tried to make, secrets redacted.
  virtual const std::vector<http::Request>& captured() const = 0;
};

Result<std::unique_ptr<Connection>> connect(store::Store& store, const domain::Account& account,
                                            const config::Getenv& getenv, const Clock& clock,
                                            const ConnectOptions& options);

} // namespace svc::inbox
