// The knowledge-base bot, the welcome message and the numbered menu, run on one inbound message (issue 9).
// `svc rules apply` calls run_bot for each message it processes, after the rules, unless a rule already
// replied to it or ignored it; the message's processed mark and whatever the bot records commit together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <svc/core/result.hpp>

namespace svc::store {
class Store;
}

namespace svc::automation {

struct BotOutcome {
  enum class Kind { none, answered, handed_over, welcomed, menu };
  Kind kind = Kind::none;
  std::string detail;                  // for people: the matched question and confidence, the hand-over reason, ...
  std::optional<std::int64_t> outbox_id; // the bot's reply, recorded in the outbox (never with dry_run)
};

// Decides and (unless dry_run) records the bot's answer to inbound message `message_id`. Bot replies go
// through the outbox as kind "bot" with agent "bot", so reports can tell them from agents' replies.
// Called inside the caller's transaction.
Result<BotOutcome> run_bot(store::Store& store, std::int64_t message_id, bool dry_run);

} // namespace svc::automation
