#include "commands/conversation_json.hpp"

#include <svc/core/time.hpp>

namespace svc::commands {

namespace {

nlohmann::json
text_or_null(const std::string& s)
{
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

} // namespace

nlohmann::json
message_json(const store::MessageRow& m)
{
  return {
    {"id", m.id},
    {"direction", domain::to_string(m.direction)},
    {"channel", domain::to_string(m.channel)},
    {"author", text_or_null(m.direction == domain::Direction::in ? m.author : m.agent)},
    {"text", m.text},
    {"created_at", format_iso(m.created_at)},
    {"platform_message_id", text_or_null(m.platform_message_id)},
    {"reply_to", text_or_null(m.reply_to)},
  };
}

nlohmann::json
conversation_json(const store::ConversationRow& r)
{
  nlohmann::json last;
  if (r.last_message)
    last = {{"id", r.last_message->id},
            {"direction", domain::to_string(r.last_message->direction)},
            {"text", r.last_message->text},
            {"created_at", format_iso(r.last_message->created_at)}};
  return {
    {"id", r.id},
    {"account", r.account},
    {"platform", domain::to_string(r.platform)},
    {"channel", domain::to_string(r.channel)},
    {"contact", {{"id", r.contact_id}, {"name", text_or_null(r.contact_name)},
                 {"platform_user_id", text_or_null(r.contact_platform_id)}}},
    {"status", r.status},
    {"assignee", text_or_null(r.assignee)},
    {"group", text_or_null(r.group)},
    {"tags", r.tags},
    {"waiting_since", r.waiting_since ? nlohmann::json(format_iso(*r.waiting_since)) : nlohmann::json()},
    {"last_message", last},
  };
}

} // namespace svc::commands
