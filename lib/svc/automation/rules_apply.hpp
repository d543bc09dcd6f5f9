// `svc rules apply`: the rules (and then the bot) on every inbound message not yet processed, exactly once.
//
// Each message is one write transaction (BEGIN IMMEDIATE): it is checked to be still unprocessed, the rules
// are evaluated, their changes are made (tags, routing, priority, spam), replies are recorded in the outbox
// (pending) and notify commands queued, the bot runs for a message no rule answered or ignored, and the
// message is marked processed - all of it commits together, or nothing does. Two concurrent runs serialise
// on the write lock, and the second finds the message processed and skips it.
//
// After the commit, outside any transaction: the recorded replies are sent (through `deliver`, like
// `svc reply`), then the notify commands run. A run killed after the commit leaves pending replies and
// notifications that never started: the next run sends and starts them (they never went out, so this is
// not a repeat). A notification whose command was started by a run that died is marked interrupted and
// reported, never run again (its outcome is unknown).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/automation/rules.hpp>
#include <svc/store/store.hpp>

namespace svc::automation {

// The agent name rules act as (outbox rows, tags, the audit log).
inline constexpr std::string_view k_rules_agent = "rules";

struct ApplyOptions {
  UnixTime since = 0;   // only messages created at or after this
  bool dry_run = false; // evaluate and report; change nothing, send nothing, run nothing
  int limit = 0;        // at most this many messages (0: all)
};

// What happened to one message: one entry per action with its outcome.
struct MessageReport {
  std::int64_t message_id = 0;
  std::int64_t conversation_id = 0;
  std::string account, channel, text;
  std::vector<std::string> rules;      // fired, in order
  nlohmann::json actions = nlohmann::json::array(); // [{rule, action, ..., outcome}]
  std::string bot;                     // the bot's outcome kind ("" when it did not run)
  std::vector<std::int64_t> outbox_ids;     // replies recorded (sent after commit)
  std::vector<std::int64_t> notification_ids;
  nlohmann::json to_json() const;
};

struct ApplyHooks {
  // Sends one recorded outbox row (after its commit); an error leaves the row failed or unknown.
  std::function<Status(std::int64_t outbox_id)> deliver;
  // Each processed (or, with dry_run, evaluated) message, after its commit and deliveries.
  std::function<void(const MessageReport&)> on_message;
  // Problems worth a line on stderr that do not stop the run (a failed delivery or notification).
  std::function<void(const std::string&)> warn;
};

struct ApplySummary {
  int processed = 0;
  int skipped = 0;       // processed meanwhile by another run
  int replies = 0;       // recorded
  int delivery_failures = 0;
  int notify_failures = 0;
  std::vector<store::RuleNotification> interrupted; // found this run: started by a run that died
  std::optional<Error> first_delivery_error;
};

Result<ApplySummary> apply_rules(store::Store& store, const RuleSet& rules, const ApplyOptions& options,
                                 const ApplyHooks& hooks, const Clock& clock);

// The JSON a notify command reads on stdin for a message and the rule that fired.
nlohmann::json notify_payload(const store::RuleMessage& message, const std::string& rule, UnixTime at);

// Runs argv (no shell) with `input` on stdin, stdout sent to stderr, waiting at most `timeout` (then the
// command is killed). Returns the exit code; an error when it could not start, was killed by a signal,
// or timed out.
Result<int> run_command(const std::vector<std::string>& argv, const std::string& input, std::chrono::seconds timeout);

} // namespace svc::automation
