// What a tag, an attribute key and a contact reference may look like: checked once here for the
// commands and the CSV import alike.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/store/store.hpp>

namespace svc::contacts {

// 1-30 characters (WeChat's own limit, so any tag can be synced), no control characters, no ',' or ';'
// (tag lists are joined with them), no space at either end.
Status check_tag(const std::string& name);
Status check_tags(const std::vector<std::string>& names);

// 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit (a CSV column is attr.KEY).
Status check_attribute_key(const std::string& key);

// KEY=VALUE arguments (an empty VALUE removes the attribute); usage error naming the bad one.
Result<std::map<std::string, std::string>> parse_assignments(const std::vector<std::string>& args);

// CONTACT on the command line: the svc contact id, or ACCOUNT:PLATFORM_USER_ID (ACCOUNT/PLATFORM_USER_ID
// too). Digits alone are always the svc id.
struct ContactRef {
  std::optional<std::int64_t> id;
  std::string account, platform_user_id;
};
Result<ContactRef> parse_ref(const std::string& text);

// The contact a reference names: not_found (exit 3) when there is none.
Result<store::ContactRow> resolve(store::Store& store, const std::string& text);

} // namespace svc::contacts
