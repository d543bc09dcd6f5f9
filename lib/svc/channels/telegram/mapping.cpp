#include <svc/channels/telegram/mapping.hpp>

#include <svc/channels/json_util.hpp>

namespace svc::channels::telegram {

using detail::int_field;
using detail::str_field;
using Json = nlohmann::json;

namespace {

constexpr const char* k_media[] = {"photo",    "video",   "animation", "audio", "document",
                                   "sticker",  "voice",   "video_note", "location", "venue",
                                   "contact",  "poll",    "dice"};

} // namespace

domain::PlatformUser
map_user(const Json& user)
{
  domain::PlatformUser u;
  if (!user.is_object()) {
    return u;
  }
  u.id = str_field(user, "id");
  std::string first = str_field(user, "first_name");
  std::string last = str_field(user, "last_name");
  u.name = first.empty() ? last : last.empty() ? first : first + " " + last;
  if (u.name.empty()) {
    u.name = str_field(user, "title"); // a chat standing in for its author
  }
  u.username = str_field(user, "username");
  u.language = str_field(user, "language_code");
  for (const char* key : {"is_bot", "is_premium", "type"}) {
    if (auto it = user.find(key); it != user.end() && !it->is_null()) {
      u.extra[key] = *it;
    }
  }
  return u;
}

namespace {

// map_message without `raw`: parse_updates moves each message there instead of copying.
Result<domain::InboundMessage>
map_message_fields(const Json& message)
{
  if (!message.is_object()) {
    return make_error(ErrorKind::failed, "Telegram sent a message that is not an object");
  }
  auto chat_it = message.find("chat");
  std::string chat = chat_it == message.end() ? "" : str_field(*chat_it, "id");
  auto msg_id = int_field(message, "message_id");
  if (chat.empty() || !msg_id) {
    return make_error(ErrorKind::failed, "Telegram sent a message without chat.id or message_id");
  }
  domain::InboundMessage m;
  m.channel = domain::ChannelKind::dm;
  m.direction = domain::Direction::in;
  m.platform_message_id = chat + ":" + std::to_string(*msg_id);
  m.thread_key = chat;
  if (auto from = message.find("from"); from != message.end() && from->is_object()) {
    m.author = map_user(*from);
  } else {
    m.author = map_user(*chat_it);
  }
  m.created_at = int_field(message, "date").value_or(0);
  m.text = str_field(message, "text");
  if (message.find("text") == message.end()) {
    for (const char* media : k_media) {
      if (message.contains(media)) {
        m.kind = media;
        break;
      }
    }
    m.text = str_field(message, "caption");
    if (m.text.empty() && m.kind != "text") {
      m.text = "[" + m.kind + "]";
    }
  }
  if (auto reply = message.find("reply_to_message"); reply != message.end() && reply->is_object()) {
    if (auto rid = int_field(*reply, "message_id")) {
      m.reply_to = chat + ":" + std::to_string(*rid);
    }
  }
  return m;
}

Result<domain::InboundMessage>
map_edited_fields(const Json& message)
{
  SVC_TRY(m, map_message_fields(message));
  std::string original = m.platform_message_id;
  auto edit_date = int_field(message, "edit_date").value_or(m.created_at);
  m.platform_message_id = original + ":edit:" + std::to_string(edit_date);
  m.kind = "edit";
  m.created_at = edit_date;
  return m;
}

} // namespace

Result<domain::InboundMessage>
map_message(const Json& message)
{
  SVC_TRY(m, map_message_fields(message));
  m.raw = message;
  return m;
}

Result<domain::InboundMessage>
map_edited_message(const Json& message)
{
  SVC_TRY(m, map_edited_fields(message));
  m.raw = message;
  return m;
}

Result<UpdateBatch>
parse_updates(Json result)
{
  if (!result.is_array()) {
    return make_error(ErrorKind::temporary, "Telegram sent an unreadable reply (no update list)");
  }
  UpdateBatch batch;
  batch.messages.reserve(result.size());
  for (auto& update : result) {
    auto id = int_field(update, "update_id");
    if (!id) {
      return make_error(ErrorKind::failed, "Telegram sent an update without update_id");
    }
    ++batch.updates;
    batch.next_offset = std::max(batch.next_offset.value_or(0), *id + 1);
    if (auto msg = update.find("message"); msg != update.end()) {
      SVC_TRY(m, map_message_fields(*msg));
      m.raw = std::move(*msg);
      batch.messages.push_back(std::move(m));
    } else if (auto edit = update.find("edited_message"); edit != update.end()) {
      SVC_TRY(m, map_edited_fields(*edit));
      m.raw = std::move(*edit);
      batch.messages.push_back(std::move(m));
    }
  }
  return batch;
}

std::optional<std::int64_t>
message_id_of(const std::string& id)
{
  auto colon = id.find(':');
  if (colon == std::string::npos) {
    return detail::parse_int(id);
  }
  auto second = id.find(':', colon + 1);
  return detail::parse_int(std::string_view(id).substr(
    colon + 1, second == std::string::npos ? std::string::npos : second - colon - 1));
}

std::string
build_send(const std::string& chat, const std::string& text,
           std::optional<std::int64_t> reply_to_message_id)
{
  nlohmann::ordered_json j;
  if (auto numeric = detail::parse_int(chat)) {
    j["chat_id"] = *numeric;
  } else {
    j["chat_id"] = chat;
  }
  j["text"] = text;
  if (reply_to_message_id) {
    j["reply_parameters"]["message_id"] = *reply_to_message_id;
    j["reply_parameters"]["allow_sending_without_reply"] = true;
  }
  return detail::dump(j);
}

} // namespace svc::channels::telegram
