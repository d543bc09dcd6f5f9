// The conversation workflow: claims (leases), assignment, transfer, status, the audit log, and what each
// agent last saw. Every change is audited with who and when, in the same transaction as the change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

struct Claim {
  std::string agent;
  UnixTime expires_at = 0;
};

struct AuditEntry {
  std::int64_t id = 0;
  UnixTime at = 0;
  std::string agent;   // "" for svc itself (a pull reopening a conversation)
  std::string action;  // claimed, released, assigned, transferred, resolved, reopened, replied, ...
  std::string detail;  // JSON object
};

// What routing needs to know about one conversation.
struct RoutingFacts {
  std::int64_t conversation_id = 0;
  std::string group;
  std::string status;
  std::string assignee;
  std::optional<UnixTime> waiting_since;
  UnixTime created_at = 0;
  std::vector<std::string> contact_tags;
  // The agent who last answered this contact, or any contact linked to the same person.
  std::string last_served_by;
};

class WorkflowRepository
{
public:
  virtual ~WorkflowRepository() = default;
  // The current claim (none when never claimed, released, or expired at `now`).
  virtual Result<std::optional<Claim>> claim_of(std::int64_t conversation_id) = 0;
  // Takes or renews the lease for `agent` until now + ttl. conflict (exit 6) naming the holder and the
  // expiry while another agent holds an unexpired claim, unless force (audited as forced).
  virtual Result<Claim> claim(std::int64_t conversation_id, const std::string& agent, std::int64_t ttl_s,
                              bool force) = 0;
  virtual Status release(std::int64_t conversation_id, const std::string& agent, bool force) = 0;
  // conflict (exit 6) when another agent holds an unexpired claim, unless force. For use inside a
  // transaction that then makes the change.
  virtual Status require_not_claimed_by_other(std::int64_t conversation_id, const std::string& agent,
                                              bool force, const std::string& action) = 0;
  virtual Status assign(std::int64_t conversation_id, const std::string& agent, const std::string& by,
                        const std::string& detail_json) = 0;
  virtual Status transfer(std::int64_t conversation_id, const std::string& group, const std::string& note,
                          const std::string& by) = 0;
  // open | pending | resolved; resolving clears the waiting time and the assignment stays for reports.
  virtual Status set_status(std::int64_t conversation_id, const std::string& status, const std::string& by) = 0;
  virtual Result<std::vector<AuditEntry>> history(std::int64_t conversation_id) = 0;
  // Remembers that `agent` has seen the conversation as it is now (its newest message and outbox row).
  virtual Status mark_seen(std::int64_t conversation_id, const std::string& agent) = 0;
  // conflict (exit 6) when the newest inbound message was answered (sent, being sent, or queued) by
  // someone other than `agent` after `agent` last saw the conversation, unless force.
  virtual Status require_unanswered_since_seen(std::int64_t conversation_id, const std::string& agent,
                                               bool force) = 0;
  virtual Result<RoutingFacts> routing_facts(std::int64_t conversation_id) = 0;
  // Unassigned open conversations, oldest waiting first.
  virtual Result<std::vector<std::int64_t>> unassigned() = 0;
  virtual Status audit(std::int64_t conversation_id, const std::string& agent, const std::string& action,
                       const std::string& detail_json) = 0;
};

} // namespace svc::store
