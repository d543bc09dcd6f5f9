// Proactive outbound messages (`svc send`): whom a run targets and what it already sent. A run is the
// set of outbox rows (kind 'send') that share a run key, at most one per contact (UNIQUE(run_key,
// contact_id)), so re-running a run sends only to the contacts it has not reached yet.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::store {

struct OutboxItem; // store.hpp

// A contact as a proactive message needs it.
struct OutreachContact {
  std::int64_t id = 0;
  std::int64_t account_id = 0;
  std::string platform_user_id;
  std::string name;                            // "" when the platform gave none
  std::optional<UnixTime> last_private_inbound; // the newest private message from them (platform windows)
  std::optional<std::int64_t> conversation_id; // their private conversation (thread = their id), if any
  std::map<std::string, std::string> attributes;
};

class OutreachRepository
{
public:
  virtual ~OutreachRepository() = default;
  // The account's contacts tagged `tag`, by id; not_found (exit 3) when no such tag exists.
  virtual Result<std::vector<OutreachContact>> tagged(std::int64_t account_id, const std::string& tag) = 0;
  // A contact of the account by its svc id or, failing that, its platform user id (only the platform
  // user id with `platform_id_only`); not_found (exit 3).
  virtual Result<OutreachContact> find(std::int64_t account_id, const std::string& ref, bool platform_id_only) = 0;
  // Any contact by svc id; not_found (exit 3).
  virtual Result<OutreachContact> contact(std::int64_t contact_id) = 0;
  // The outbox rows of a run, by id.
  virtual Result<std::vector<OutboxItem>> run(const std::string& run_key) = 0;
  // Records `item` (pending) unless its run already holds a row for its contact; returns the run's row
  // for the contact either way. Atomic: two processes running one run key record one row per contact.
  virtual Result<OutboxItem> record_once(const OutboxItem& item) = 0;
  // Records a delivered row of a run (the outbox's mark_sent) and, in the same transaction, the message
  // in the contact's private conversation when there is one. A proactive message answers nothing: a
  // customer waiting there still waits and the conversation's status and response times stay as they
  // were; the audit log says 'sent'.
  virtual Status mark_sent(std::int64_t outbox_id, const domain::SendResult& result,
                           std::optional<std::int64_t> conversation_id) = 0;
};

} // namespace svc::store
