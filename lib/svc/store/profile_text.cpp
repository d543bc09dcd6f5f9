#include <svc/store/profile_text.hpp>

#include <map>

#include <svc/store/contacts.hpp>

namespace svc::store {

namespace {

constexpr auto k_replace = nlohmann::json::error_handler_t::replace;

// A string as nlohmann's dump writes it (escapes, invalid UTF-8 replaced).
std::string
quoted(const std::string& s)
{
  return nlohmann::json(s).dump(-1, ' ', false, k_replace);
}

} // namespace

std::string
contact_profile_text(const domain::PlatformUser& u, UnixTime seen_at)
{
  if (!u.extra.is_object()) // not what the adapters produce: the general path decides what it means
    return contact_profile(u, seen_at).dump(-1, ' ', false, k_replace);
  // Each present field's value as JSON text, by key: nlohmann's objects are std::maps too, so the
  // order (and with it the bytes) is the same as contact_profile's.
  std::map<std::string, std::string> fields;
  for (const auto& [key, value] : u.extra.items())
    if (!value.is_null())
      fields.insert_or_assign(key, value.dump(-1, ' ', false, k_replace));
  auto typed = [&](const char* key, const std::string& value) {
    if (!value.empty()) // the typed fields win over an extra field of the same name
      fields.insert_or_assign(key, quoted(value));
  };
  typed("name", u.name);
  typed("username", u.username);
  typed("avatar_url", u.avatar_url);
  typed("gender", u.gender);
  typed("location", u.location);
  if (u.followers)
    fields.insert_or_assign("followers", std::to_string(*u.followers));
  typed("description", u.description);
  typed("language", u.language);

  std::string seen = std::to_string(seen_at);
  std::string out = "{";
  for (const auto& [key, value] : fields) {
    if (out.size() > 1)
      out += ',';
    out += quoted(key);
    out += ":{\"seen_at\":";
    out += seen;
    out += ",\"value\":";
    out += value;
    out += '}';
  }
  out += '}';
  return out;
}

} // namespace svc::store
