// Local tags against a platform's own user tags (WeChat), as `svc tag sync` reads and records them.
// Tags are global (tags.name is unique) and carried by contacts (contact_tags, with the source of each:
// local | platform | rule | import); a contact belongs to one account. Per account, a local tag maps
// to at most one platform tag and back (platform_tags), and platform_tag_members holds the members both
// sides agreed on when that tag was last synced: what tells a later sync which side changed since.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

struct SyncContact {
  std::int64_t id = 0;
  std::string platform_user_id; // WeChat: the openid
};

struct SyncTag {
  std::int64_t id = 0;
  std::string name;
};

struct SyncMembership {
  std::int64_t contact_id = 0;
  std::int64_t tag_id = 0;
  std::string source; // local | platform | rule | import
};

struct SyncMapping {
  std::int64_t tag_id = 0;
  std::string platform_tag_id;
  UnixTime synced_at = 0;
};

struct SyncedMember {
  std::int64_t tag_id = 0;
  std::int64_t contact_id = 0;
};

// One account's side of a sync, read at once.
struct TagSyncSnapshot {
  std::vector<SyncContact> contacts;       // the account's contacts, by id
  std::vector<SyncTag> tags;               // every local tag (names are global), by id
  std::vector<SyncMembership> memberships; // the tags the account's contacts carry
  std::vector<SyncMapping> mappings;       // the account's mapped tags
  std::vector<SyncedMember> synced;        // agreed at the last sync of each mapped tag
};

class TagSyncRepository
{
public:
  virtual ~TagSyncRepository() = default;
  virtual Result<TagSyncSnapshot> snapshot(std::int64_t account_id) = 0;
  // The id of the local tag named `name`, created when there is none.
  virtual Result<std::int64_t> ensure_tag(const std::string& name) = 0;
  // Maps a local tag to a platform tag on the account. Mapping a tag to the id it already has changes
  // nothing; to another id, it forgets the tag's synced members. conflict (exit 6) when the platform
  // tag is mapped to another local tag.
  virtual Status map(std::int64_t account_id, std::int64_t tag_id, const std::string& platform_tag_id) = 0;
  // Forgets a mapping and its synced members.
  virtual Status unmap(std::int64_t account_id, std::int64_t tag_id) = 0;
  // Puts the tag on contacts with source 'platform'; a contact that has it already keeps its row.
  virtual Status pull(std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids) = 0;
  // Takes the tag off contacts where it came from the platform (source 'platform' only).
  virtual Status drop(std::int64_t tag_id, const std::vector<std::int64_t>& contact_ids) = 0;
  // Records, for a mapped tag, that these contacts carry it on both sides (`agreed`), or on neither.
  virtual Status set_synced(std::int64_t account_id, std::int64_t tag_id,
                            const std::vector<std::int64_t>& contact_ids, bool agreed) = 0;
  // Stamps the account's mappings as synced now.
  virtual Status touch(std::int64_t account_id) = 0;
};

} // namespace svc::store
