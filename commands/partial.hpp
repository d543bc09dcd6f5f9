// Commands that work account by account: report each failure, go on with the others, and end with
// exit 0 (none failed), 8 (some failed) or the error itself (all failed).
#pragma once

#include <vector>

#include "commands/context.hpp"

namespace svc::commands {

class AccountFailures
{
public:
  explicit AccountFailures(Context& ctx) : m_ctx(ctx) {}
  // Prints "svc: error: ACCOUNT: what" (and its hint) at once, so the user sees it as it happens.
  void add(const std::string& account, const Error& error);
  Status finish(std::size_t attempted) const;

private:
  Context& m_ctx;
  std::vector<Error> m_errors;
};

} // namespace svc::commands
