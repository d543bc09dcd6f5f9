// The production decorator chain in one object: Retrying(Trace(base)). Trace sits inside Retrying so
// that -v shows every attempt; the retry notes ("…; retrying in 1.2 s (attempt 2 of 5)") go to the
// same log at -v. `base` is normally the process's one CurlTransport and must outlive the stack.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <svc/http/retry.hpp>
#include <svc/http/trace.hpp>
#include <svc/http/transport.hpp>

namespace svc::http {

struct StackOptions {
  int verbosity = 0;                // -v count
  LogLine log;                      // where -v/-vv lines go (stderr in the CLI); may be empty
  std::vector<std::string> secrets; // the account's secrets, hidden from every line
  ResponseClassifier classifier;    // the platform adapter's idea of a transient reply
  RetryParams retry;
  RetryHooks hooks; // tests inject these (hooks.now also times the trace lines);
                    // production leaves them empty
};

std::unique_ptr<Transport> make_http_stack(Transport& base, StackOptions options);

} // namespace svc::http
