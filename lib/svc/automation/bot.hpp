// The knowledge-base bot, the welcome message and the numbered menu, run on one inbound message (issue 9).
// `svc rules apply` calls run_bot for each message it processes, after the rules, unless a rule already
// replied to it or ignored it; the message's processed mark and whatever the bot records commit together.
//
// The bot stays silent (Kind::none, with the reason in detail) on a message that is not inbound, that it
// already decided, that is not the conversation's newest inbound message (a burst is answered once, at
// its last message), when it already answered since (never twice in a row without the customer writing
// in between), when someone else replied or queued a reply since the message arrived, while another
// agent holds the conversation's claim, and while the contact carries the `needs-human` tag (handed
// over: remove the tag to let the bot speak again). Otherwise, in this order:
//   a human phrase (svc kb config --human-phrase)   -> hand over
//   the contact's first message, with a `welcome` template or a menu -> the welcome text and the menu
//   a menu number ("1")                             -> that item's answer (no such item: the menu again)
//   a knowledge-base match at or above the threshold -> its answer
//   anything else                                    -> hand over
// Handing over tags the contact `needs-human`, routes the conversation (assign --auto by least-busy;
// with no agent online it stays in the backlog, unassigned) unless it is assigned already, and audits
// `handed_over`; the conversation stays unanswered for an agent. An answer the brand guard refuses is
// handed over instead. Each decision is recorded in bot_runs (never with dry_run).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <svc/core/clock.hpp>
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
  std::string text;                    // what the bot says (or would say, with dry_run); "" when silent
};

std::string_view to_string(BotOutcome::Kind kind);

// Decides and (unless dry_run) records the bot's answer to inbound message `message_id`. Bot replies go
// through the outbox as kind "bot" with agent "bot", so reports can tell them from agents' replies.
// Called inside the caller's transaction.
Result<BotOutcome> run_bot(store::Store& store, std::int64_t message_id, bool dry_run);
// The same with the clock that dates the decision and the routing (tests).
Result<BotOutcome> run_bot(store::Store& store, std::int64_t message_id, bool dry_run, const Clock& clock);

} // namespace svc::automation
