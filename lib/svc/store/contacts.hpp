// Contacts (one identity of a customer on one account), persons (identities linked as one customer),
// attributes, notes and tags. Every change is audited (audit_log.contact_id) with who made it, in the
// same transaction as the change.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::store {

// The stored profile of a user as seen at `seen_at`: every field the platform gave (typed fields and
// PlatformUser::extra) as {"field": {"value": ..., "seen_at": unix}}. Merged into the stored profile with
// json_patch, so a field a later payload omits keeps its last value and the time it was last seen. Typed
// fields that are empty are "not given"; an extra field the platform sent as "" is kept (WeChat's remark
// cleared is a value).
nlohmann::json contact_profile(const domain::PlatformUser& user, UnixTime seen_at);

struct ContactRow {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string account;
  domain::Platform platform = domain::Platform::telegram;
  std::string platform_user_id;
  std::optional<std::int64_t> person_id; // set when linked to other identities
  std::string name, username, avatar_url, gender, location, description, language;
  std::optional<std::int64_t> followers;
  nlohmann::json profile = nlohmann::json::object(); // {field: {value, seen_at}}
  UnixTime first_seen_at = 0, last_seen_at = 0;
  std::optional<UnixTime> last_inbound_at;
  std::vector<std::string> tags;                // by name
  std::map<std::string, std::string> attributes;
};

struct ContactFilter {
  std::vector<std::string> tags; // contacts with every one of them
  std::optional<std::int64_t> account_id;
  std::string search; // in name, username, platform user id and attribute values (ASCII case-insensitive)
  int limit = 0;      // 0: all
};

struct ContactNote {
  std::int64_t id = 0;
  std::string author; // "" when nobody was named
  std::string text;
  UnixTime created_at = 0;
};

// One message in or out with any identity of a person (contact show's timeline).
struct TimelineEntry {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::int64_t contact_id = 0;
  std::string account;
  domain::Platform platform = domain::Platform::telegram;
  domain::ChannelKind channel = domain::ChannelKind::dm;
  domain::Direction direction = domain::Direction::in;
  std::string author, agent, text, kind;
  UnixTime created_at = 0;
};

struct TagCount {
  std::string name;
  std::int64_t contacts = 0;
  UnixTime created_at = 0;
};

struct ContactTag {
  std::string name;
  std::string source; // local | platform | rule | import
  UnixTime created_at = 0;
};

// What a tag add/remove changed.
struct TagChange {
  std::vector<std::string> changed;   // added (or removed)
  std::vector<std::string> unchanged; // already there (or not there)
};

// One row of an import file: the contact it names and what to set. Only the columns the file has are
// applied: `tags` (when present) becomes the contact's whole tag set; an attribute with an empty value
// is removed.
struct ImportRow {
  int line = 0; // in the file, for error reports
  std::optional<std::int64_t> id;
  std::string account, platform_user_id;
  std::optional<std::vector<std::string>> tags;
  std::map<std::string, std::string> attributes;
  std::string error; // set by the parser when the row is bad as read (reported like the store's own)
};

struct BadRow {
  int line = 0;
  std::string reason;
};

struct ImportReport {
  int changed = 0;   // contacts whose tags or attributes changed
  int unchanged = 0; // rows that changed nothing
  std::vector<BadRow> bad;
  bool applied = false; // false when bad rows made the whole import roll back
};

class ContactRepository
{
public:
  virtual ~ContactRepository() = default;
  // Ordered by last seen, newest first.
  virtual Result<std::vector<ContactRow>> list(const ContactFilter& filter) = 0;
  // not_found (exit 3) with a hint naming `svc contact list`.
  virtual Result<ContactRow> get(std::int64_t id) = 0;
  virtual Result<ContactRow> find(const std::string& account, const std::string& platform_user_id) = 0;
  // Every identity of the contact's person (the contact alone when it is not linked), by id.
  virtual Result<std::vector<ContactRow>> identities(std::int64_t id) = 0;
  // Every message in and out with any identity of the contact's person, oldest first.
  virtual Result<std::vector<TimelineEntry>> timeline(std::int64_t id) = 0;
  virtual Result<std::vector<ContactNote>> notes(std::int64_t id) = 0;
  virtual Result<std::vector<ContactTag>> tags(std::int64_t id) = 0;

  // Creates or refreshes the account's contact from a user the platform described without a message
  // (svc contact lookup): same merge as ingest, audited as 'looked_up'. Returns the contact id.
  virtual Result<std::int64_t> refresh(const domain::Account& account, const domain::PlatformUser& user,
                                       const std::string& by) = 0;
  // Records that both are one person: a new person, or the one either has, merging two persons into
  // one when both have one. Returns the person id; audited on every contact whose person changed.
  virtual Result<std::int64_t> link(std::int64_t a, std::int64_t b, const std::string& by) = 0;
  // Detaches the contact from its person (a person left with one identity is dissolved). false when it
  // was not linked (nothing changed).
  virtual Result<bool> unlink(std::int64_t id, const std::string& by) = 0;
  // Sets attributes; an empty value removes the key.
  virtual Status set_attributes(std::int64_t id, const std::map<std::string, std::string>& values,
                                const std::string& by) = 0;
  virtual Result<std::int64_t> add_note(std::int64_t id, const std::string& text, const std::string& by) = 0;
  // Tag names must be valid (lib/svc/contacts checks them); tags are created on first use.
  virtual Result<TagChange> add_tags(std::int64_t id, const std::vector<std::string>& tags,
                                     const std::string& source, const std::string& by) = 0;
  virtual Result<TagChange> remove_tags(std::int64_t id, const std::vector<std::string>& tags,
                                        const std::string& by) = 0;
  // Every tag with the number of contacts that have it, by name.
  virtual Result<std::vector<TagCount>> tag_counts() = 0;
  // Applies an import file in one transaction. Rows naming no contact (or naming it two ways that
  // disagree) are bad; with bad rows nothing is applied unless skip_bad, which applies the good ones.
  virtual Result<ImportReport> import(const std::vector<ImportRow>& rows, bool skip_bad, const std::string& by) = 0;
};

} // namespace svc::store
