// Canned replies.
#pragma once

#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

struct TemplateRow {
  std::string name;
  std::string text;
  UnixTime created_at = 0, updated_at = 0;
};

class TemplateRepository
{
public:
  virtual ~TemplateRepository() = default;
  virtual Status put(const std::string& name, const std::string& text) = 0; // add or replace
  virtual Result<std::vector<TemplateRow>> list() = 0;
  virtual Result<TemplateRow> get(const std::string& name) = 0; // not_found (exit 3)
  virtual Status remove(const std::string& name) = 0;           // not_found (exit 3)
};

} // namespace svc::store
