// Which of a page's authors the state file knows only by id (pull's profile completion, WeChat): one
// prepared statement for the whole page instead of a full contact read (tags, attributes, profile
// JSON) per author.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::store {

class Store;

class ContactNames
{
public:
  virtual ~ContactNames() = default;
  // Those of these platform user ids of the account (in their order) whose contact is stored without a
  // name. An id with no contact at all is not listed (nothing to complete).
  virtual Result<std::vector<std::string>> nameless(std::int64_t account_id, const std::vector<std::string>& ids) = 0;
};

// Over a state file opened by open_store (the SQLite store).
std::unique_ptr<ContactNames> contact_names(Store& store);

} // namespace svc::store
