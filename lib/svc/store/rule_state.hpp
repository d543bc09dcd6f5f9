// What `svc rules apply` keeps in the state file: which inbound messages the rules processed (rule_runs,
// one row per message, written in the same transaction as the message's actions), the facts a rule looks
// at, the conversation priority a rule sets, and the notify commands run after each commit
// (rule_notifications, schema version 6).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>

namespace svc::store {

class Store;

// One inbound message with what rules may ask about it.
struct RuleMessage {
  std::int64_t id = 0;
  std::int64_t conversation_id = 0;
  std::int64_t contact_id = 0;           // 0 when the contact is gone
  std::string account, platform, channel; // channel: dm | comment | mention
  std::string text, platform_message_id;
  std::string contact_name, contact_platform_id;
  std::vector<std::string> contact_tags;
  bool first_contact = false;            // no earlier inbound message from this contact
  UnixTime created_at = 0;
};

struct RuleNotification {
  std::int64_t id = 0;
  std::int64_t message_id = 0;
  std::string rule;
  std::string command; // JSON array
  std::string payload; // JSON object
  std::string status;  // pending | running | done | failed | interrupted
  std::optional<std::int64_t> pid, exit_code;
  std::string error;
  UnixTime created_at = 0;
  std::optional<UnixTime> started_at;
};

class RuleState
{
public:
  virtual ~RuleState() = default;
  // Inbound messages created at or after `since` that no run processed yet, oldest (by id) first; at
  // most `limit` (0: all).
  virtual Result<std::vector<std::int64_t>> unprocessed(UnixTime since, int limit) = 0;
  virtual Result<bool> processed(std::int64_t message_id) = 0;
  // not_found (exit 3) when there is no such inbound message.
  virtual Result<RuleMessage> message(std::int64_t message_id) = 0;
  // Marks the message processed; conflict (exit 6) when a run already did. Call inside the transaction
  // that makes the message's changes.
  virtual Status mark_processed(std::int64_t message_id, const std::string& result_json) = 0;
  // The run's record of a message ("{}" parsed by the caller); not_found when not processed.
  virtual Result<std::string> result(std::int64_t message_id) = 0;
  // Sets the conversation's priority (audited as "prioritized" by `by`).
  virtual Status set_priority(std::int64_t conversation_id, int priority, const std::string& by,
                              const std::string& rule) = 0;
  // A notify command to run after commit (status pending).
  virtual Result<std::int64_t> add_notification(std::int64_t message_id, const std::string& rule,
                                                const std::string& command_json, const std::string& payload) = 0;
  virtual Result<std::vector<RuleNotification>> notifications(const std::string& status) = 0; // "" = all
  // pending -> running by process `pid`, committed before the command starts. False when it was not
  // pending any more (another run took it).
  virtual Result<bool> start_notification(std::int64_t id, pid_t pid) = 0;
  // running -> done (exit code 0) | failed.
  virtual Status finish_notification(std::int64_t id, bool ok, std::optional<int> exit_code,
                                     const std::string& error) = 0;
  // running -> interrupted, for a row whose process is gone (killed between start and finish).
  virtual Status interrupt_notification(std::int64_t id) = 0;
  // Outbox rows of rules and the bot recorded by a run that never got to send them (status pending).
  virtual Result<std::vector<std::int64_t>> unsent_replies() = 0;
};

// The rule state of a store opened by open_store (the SQLite store); times written come from `clock`.
std::unique_ptr<RuleState> rule_state(Store& store, const Clock& clock);

} // namespace svc::store
