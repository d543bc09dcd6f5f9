// Replying through the outbox: the reply is recorded (pending), marked as being sent, sent, and marked
// with the platform's id. A send whose outcome is unknown (the connection broke after the request went
// out) is recorded as unknown and never sent again without --force.
#pragma once

#include <string>

#include <svc/channels/channel.hpp>
#include <svc/store/store.hpp>

namespace svc::inbox {

// The message to send for a reply to a conversation: its thread, its customer, the newest inbound
// message as the one answered.
Result<store::OutboxItem> prepare_reply(store::Store& store, std::int64_t conversation_id, const std::string& text,
                                        const std::string& agent);

// Records `item` in the outbox; returns its id. Like every recording path, refused by the brand guard
// (guard.hpp) unless allow_guard.
Result<std::int64_t> record(store::Store& store, const store::OutboxItem& item, bool allow_guard = false);

// Records a reply by item.agent in the outbox, in one transaction with the checks that keep two agents
// from answering one message: refused (conflict, exit 6) while another agent holds the conversation's
// claim, or when its newest inbound message was answered by someone else since item.agent last looked
// (`svc show`). force overrides both, audited. The brand guard refuses a banned text (exit 1) unless
// allow_guard.
Result<std::int64_t> record_reply(store::Store& store, const store::OutboxItem& item, bool force,
                                  bool allow_guard = false);

// Sends a recorded item once. Returns the item as stored afterwards; an error when the platform refused
// it (status failed: safe to retry) or the outcome is unknown (status unknown).
Result<store::OutboxItem> deliver(store::Store& store, channels::Channel& channel, std::int64_t outbox_id,
                                  bool force);

} // namespace svc::inbox
