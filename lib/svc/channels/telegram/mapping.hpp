// Telegram Bot API JSON -> svc::domain, pure functions with no I/O (platform-apis.md §3.4).
// Messages are keyed "CHAT_ID:MESSAGE_ID" (message_id is unique per chat only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::channels::telegram {

// A User (from) -> name = first_name + " " + last_name, username, language = language_code.
domain::PlatformUser map_user(const nlohmann::json& user);

// A Message -> a dm: thread_key = chat.id, author = from (the chat itself for channel posts),
// text = text, else caption, else "[photo]" etc. with kind = the media type, created_at = date,
// reply_to = "CHAT:reply_to_message.message_id".
Result<domain::InboundMessage> map_message(const nlohmann::json& message);

// An edit is stored as its own message so the original is never overwritten or lost:
// platform_message_id "CHAT:MSG:edit:EDIT_DATE" (its "CHAT:MSG" prefix names the original), kind
// "edit", created_at = edit_date, text = the new text. Repeated edits get distinct ids.
Result<domain::InboundMessage> map_edited_message(const nlohmann::json& message);

// One getUpdates result: the messages it holds and the offset that confirms all of it
// (highest update_id + 1; nullopt when there were no updates). Updates without a message or
// edited_message (callback_query, my_chat_member, …) are skipped but still counted.
struct UpdateBatch {
  std::vector<domain::InboundMessage> messages;
  std::size_t updates = 0;
  std::optional<std::int64_t> next_offset;
};
// `result` is taken by value so a caller done with it can move it in: each message moves into its `raw`.
Result<UpdateBatch> parse_updates(nlohmann::json result);

// "CHAT:MSG" (or "CHAT:MSG:edit:DATE") -> MSG; a bare number is taken as MSG.
std::optional<std::int64_t> message_id_of(const std::string& platform_message_id);

// The sendMessage JSON body: {"chat_id","text"[,"reply_parameters":{"message_id",
// "allow_sending_without_reply":true}]}; chat_id is a number when thread_key is numeric
// (an "@channel" name otherwise).
std::string build_send(const std::string& chat, const std::string& text,
                       std::optional<std::int64_t> reply_to_message_id);

} // namespace svc::channels::telegram
