// A platform's own user tags (WeChat tags/*), as `svc tag sync` needs them: list the tags, create one,
// read a tag's members, tag and untag users in batches. A Channel that has such an API returns it from
// user_tags(); the others return null. Tag and user ids are the platform's, as text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::channels {

struct PlatformTag {
  std::string id;          // the platform's id (WeChat: a small integer, as decimal text)
  std::string name;
  std::int64_t count = 0;  // members, as the platform counts them
  bool system = false;     // reserved by the platform (WeChat 0/1/2): svc never writes to it
};

// What the platform refuses (WeChat: 45056, 45158, 40032, 45059), so a plan can stay inside it.
struct TagLimits {
  std::size_t max_tags = 0;          // tags per account, system tags included
  std::size_t max_name_bytes = 0;    // UTF-8 bytes of a tag name
  std::size_t max_batch = 0;         // users per tag/untag call
  std::size_t max_tags_per_user = 0; // tags one user can carry
};

class UserTagApi
{
public:
  virtual ~UserTagApi() = default;
  virtual TagLimits limits() const = 0;
  // Every tag of the account, system tags included.
  virtual Result<std::vector<PlatformTag>> list_tags() = 0;
  // Creates a tag; conflict (exit 6) when the name is taken or the account is at max_tags.
  virtual Result<PlatformTag> create_tag(const std::string& name) = 0;
  // The users carrying a tag (all pages).
  virtual Result<std::vector<std::string>> members(const std::string& tag_id) = 0;
  // The tags one user carries.
  virtual Result<std::vector<std::string>> tags_of(const std::string& user_id) = 0;
  // Tags (untags) at most limits().max_batch users; all or none of them (usage for a larger batch).
  virtual Status tag_users(const std::string& tag_id, const std::vector<std::string>& user_ids) = 0;
  virtual Status untag_users(const std::string& tag_id, const std::vector<std::string>& user_ids) = 0;
};

} // namespace svc::channels
