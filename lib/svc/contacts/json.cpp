#include <svc/contacts/json.hpp>

#include <svc/core/time.hpp>

namespace svc::contacts {

namespace {

nlohmann::json
text_or_null(const std::string& s)
{
  return s.empty() ? nlohmann::json() : nlohmann::json(s);
}

template <class T>
nlohmann::json
opt(const std::optional<T>& v)
{
  return v ? nlohmann::json(*v) : nlohmann::json();
}

} // namespace

nlohmann::json
identity_json(const store::ContactRow& c)
{
  return {{"id", c.id},
          {"account", c.account},
          {"platform", domain::to_string(c.platform)},
          {"platform_user_id", c.platform_user_id},
          {"name", text_or_null(c.name)}};
}

nlohmann::json
contact_json(const store::ContactRow& c, bool profile)
{
  nlohmann::json j = identity_json(c);
  j["username"] = text_or_null(c.username);
  j["person_id"] = opt(c.person_id);
  j["tags"] = c.tags;
  j["attributes"] = c.attributes;
  j["first_seen_at"] = format_iso(c.first_seen_at);
  j["last_seen_at"] = format_iso(c.last_seen_at);
  j["last_inbound_at"] = c.last_inbound_at ? nlohmann::json(format_iso(*c.last_inbound_at)) : nlohmann::json();
  if (!profile)
    return j;
  j["avatar_url"] = text_or_null(c.avatar_url);
  j["gender"] = text_or_null(c.gender);
  j["location"] = text_or_null(c.location);
  j["followers"] = opt(c.followers);
  j["description"] = text_or_null(c.description);
  j["language"] = text_or_null(c.language);
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [key, field] : c.profile.items()) {
    if (!field.is_object())
      continue;
    auto seen = field.find("seen_at");
    fields[key] = {{"value", field.value("value", nlohmann::json())},
                   {"seen_at", seen != field.end() && seen->is_number_integer()
                                 ? nlohmann::json(format_iso(seen->get<UnixTime>()))
                                 : nlohmann::json()}};
  }
  j["profile"] = fields;
  return j;
}

nlohmann::json
note_json(const store::ContactNote& n)
{
  return {{"id", n.id}, {"author", text_or_null(n.author)}, {"text", n.text}, {"created_at", format_iso(n.created_at)}};
}

nlohmann::json
timeline_json(const store::TimelineEntry& e)
{
  bool in = e.direction == domain::Direction::in;
  return {{"id", e.id},
          {"conversation_id", e.conversation_id},
          {"contact_id", e.contact_id},
          {"account", e.account},
          {"platform", domain::to_string(e.platform)},
          {"channel", domain::to_string(e.channel)},
          {"direction", domain::to_string(e.direction)},
          {"author", text_or_null(in ? e.author : e.agent)},
          {"kind", e.kind},
          {"text", e.text},
          {"created_at", format_iso(e.created_at)}};
}

} // namespace svc::contacts
