#include <svc/http/stack.hpp>

#include <svc/http/redact.hpp>

namespace svc::http {
namespace {

// Owns the two decorators; member order makes m_retrying wrap an already built m_trace.
class Stack final : public Transport
{
public:
  Stack(Transport& base, StackOptions o)
    : m_trace(base, o.verbosity, o.log, o.secrets, o.hooks.now)
    , m_retrying(m_trace, o.retry, std::move(o.classifier), with_notes(std::move(o.hooks), o))
  {}
  Result<Response> send(const Request& request) override { return m_retrying.send(request); }

private:
  static RetryHooks with_notes(RetryHooks hooks, const StackOptions& o)
  {
    if (!hooks.on_retry && o.verbosity >= 1 && o.log) {
      hooks.on_retry = [log = o.log, secrets = o.secrets](std::string_view line) {
        log(redact(line, secrets));
      };
    }
    return hooks;
  }

  TraceTransport m_trace;
  RetryingTransport m_retrying;
};

} // namespace

std::unique_ptr<Transport>
make_http_stack(Transport& base, StackOptions options)
{
  return std::make_unique<Stack>(base, std::move(options));
}

} // namespace svc::http
