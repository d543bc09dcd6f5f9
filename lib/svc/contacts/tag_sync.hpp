// `svc tag sync ACCOUNT`: an account's local tags against the platform's own user tags (WeChat), in
// two halves: a pure planner (the local side + the platform side -> an ordered plan) and an executor
// that applies a plan step by step. docs/tag-sync.md states the rules; in short:
//
// - A local tag carried by the account's contacts is pushed: mapped to the platform tag of the same
//   name, or created there (tags/create); its members are tagged in batches (batchtagging).
// - A platform tag with members who are contacts here is pulled: mapped to the local tag of the same
//   name (created when missing), its members get the tag with source 'platform'.
// - Per member of a mapped tag, the record of the last sync (store: platform_tag_members) tells which
//   side changed since. A member untagged here is untagged there (conflict "untagged_here"); one the
//   platform dropped loses the tag here when it came from the platform, else is tagged again
//   ("untagged_there": what a person set here wins). Never synced: both sides are merged.
// - What cannot be done is a conflict step, applied never and reported always: a name over the byte
//   limit, the account's tag limit, a name taken by a tag synced with another, a system tag, a user
//   at the platform's tags-per-user limit. Members who are no contacts here are skipped and listed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <svc/channels/user_tags.hpp>
#include <svc/store/store.hpp>

namespace svc::contacts {

// The platform's side: every tag, and the members of each (tags whose count is 0 may be absent).
struct PlatformTags {
  std::vector<channels::PlatformTag> tags;
  std::map<std::string, std::vector<std::string>> members; // platform tag id -> user ids
};

// tags/get, then the members of every tag that has any.
Result<PlatformTags> read_platform_tags(channels::UserTagApi& api);

enum class TagAction {
  create,   // create the tag on the platform and map it
  map,      // map to the platform tag of the same name (the local tag created when missing)
  unmap,    // forget a mapping whose platform tag is gone and which no contact here carries
  untag,    // take the tag off users on the platform (batches)
  tag,      // put the tag on users on the platform (batches)
  pull,     // put the tag on contacts here (source 'platform')
  drop,     // take a pulled tag off contacts here
  skip,     // platform members who are no contacts here: left as they are
  conflict, // not applied: see `conflict` and `reason`
};
std::string_view to_string(TagAction action);

struct TagStep {
  TagAction action = TagAction::conflict;
  std::string tag;                      // the local tag's name
  std::int64_t tag_id = 0;              // 0: a local tag this step creates (pulled under a new name)
  std::string platform_tag_id;          // "" when not known yet (created earlier in the same plan)
  std::vector<std::int64_t> contacts;   // the members concerned (contact ids, ascending)
  std::vector<std::string> user_ids;    // their platform ids (for skip: the unknown users)
  std::string conflict;                 // a conflict code, also on steps that resolve one by rule
  std::string reason;
};

// Memberships both sides already agree on (recorded as synced) or that neither side has any longer
// (forgotten): bookkeeping, applied right after the tag-level steps, never printed.
struct SyncRecord {
  std::string tag;
  std::int64_t tag_id = 0;
  std::vector<std::int64_t> contacts;
  bool agreed = true;
};

struct TagSyncPlan {
  std::int64_t account_id = 0;
  channels::TagLimits limits;
  std::vector<TagStep> steps; // in the order they apply: tag-level, untag, tag, pull, drop, skip, conflict
  std::vector<SyncRecord> records;
};

TagSyncPlan plan_tag_sync(std::int64_t account_id, const store::TagSyncSnapshot& local, const PlatformTags& platform,
                          const channels::TagLimits& limits);

struct TagSyncSummary {
  int create = 0, map = 0, unmap = 0;
  int tag = 0, tag_batches = 0, untag = 0, untag_batches = 0;
  int pull = 0, drop = 0;
  int skipped = 0;   // platform members who are no contacts here
  int conflicts = 0; // conflict steps (not applied)
  bool nothing_to_do() const { return create + map + unmap + tag + untag + pull + drop == 0; }
};
TagSyncSummary summarize(const TagSyncPlan& plan);

// Batches of at most `max_batch` users a tag or untag step takes.
int batches(std::size_t users, std::size_t max_batch);

// Applies the plan's steps in order (skip and conflict steps do nothing), calling `report` with one
// line per step or batch done. Stops at the first error (returned with the step named); what was done
// before it is recorded, so running the sync again carries on.
Status apply_tag_sync(store::Store& store, channels::UserTagApi& api, const TagSyncPlan& plan,
                      const std::function<void(const std::string&)>& report);

// conflict (exit 6) when the plan holds conflict steps, which stay as they are; ok otherwise.
Status tag_sync_outcome(const TagSyncPlan& plan);

} // namespace svc::contacts
