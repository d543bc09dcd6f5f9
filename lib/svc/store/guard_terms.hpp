// The brand guard's list (`svc guard`): banned plain words and patterns. The matching is
// lib/svc/inbox/guard.hpp's; this is only the list.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

struct GuardTerm {
  std::string term;       // as listed and removed: a plain word (lowercase) or "re:PATTERN"
  bool is_regex = false;
  UnixTime created_at = 0;
};

class GuardTerms
{
public:
  virtual ~GuardTerms() = default;
  // Adds terms in one transaction; returns those that were new (the others were listed already).
  virtual Result<std::vector<std::string>> add(const std::vector<GuardTerm>& terms) = 0;
  virtual Result<std::vector<GuardTerm>> list() = 0; // by term
  virtual Status remove(const std::string& term) = 0; // not_found (exit 3)
};

std::unique_ptr<GuardTerms> guard_terms(Store& store);

} // namespace svc::store
