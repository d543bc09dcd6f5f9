#include "commands/partial.hpp"

namespace svc::commands {

void
AccountFailures::add(const std::string& account, const Error& error)
{
  Error e = error.prefixed(account);
  m_ctx.io.err << "svc: error: " << e.message << '\n';
  if (!e.hint.empty())
    m_ctx.io.err << "hint: " << e.hint << '\n';
  m_errors.push_back(std::move(e));
}

Status
AccountFailures::finish(std::size_t attempted) const
{
  if (m_errors.empty())
    return {};
  // All failed: the (first) failure's own exit code; some failed: partial (exit 8).
  ErrorKind kind = m_errors.size() == attempted ? m_errors.front().kind : ErrorKind::partial;
  return make_error(kind, "{} of {} accounts failed", m_errors.size(), attempted);
}

} // namespace svc::commands
