#include <svc/callbacks/weibo_push.hpp>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include <svc/channels/weibo/mapping.hpp>

namespace svc::callbacks {

namespace {

using Json = nlohmann::json;

// sender_id is an int64 in the docs; accept its string form too.
std::optional<std::string>
id_field(const Json& body, const char* key)
{
  auto it = body.find(key);
  if (it == body.end()) {
    return std::nullopt;
  }
  if (it->is_number_integer()) {
    return std::to_string(it->get<std::int64_t>());
  }
  if (it->is_number_unsigned()) {
    return std::to_string(it->get<std::uint64_t>());
  }
  if (it->is_string() && !it->get_ref<const std::string&>().empty()) {
    return it->get<std::string>();
  }
  return std::nullopt;
}

std::string
string_field(const Json& object, const char* key)
{
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Weibo type -> svc kind and the placeholder when the push carries no text.
const std::map<std::string, std::pair<std::string, std::string>>&
known_types()
{
  static const std::map<std::string, std::pair<std::string, std::string>> k_types = {
    {"text", {"text", ""}},           {"position", {"location", "[location]"}},
    {"voice", {"voice", "[voice]"}},  {"image", {"image", "[image]"}},
    {"event", {"event", "[event]"}},  {"mention", {"mention", "[mention]"}},
  };
  return k_types;
}

} // namespace

Result<std::optional<domain::InboundMessage>>
map_weibo_push(std::string_view body)
{
  Json json = Json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return make_error(ErrorKind::usage, "the Weibo push is not a JSON object");
  }
  std::string type = string_field(json, "type");
  if (type.empty()) {
    return make_error(ErrorKind::usage, "the Weibo push has no type");
  }
  auto known = known_types().find(type);
  if (known == known_types().end()) {
    return std::optional<domain::InboundMessage>();
  }
  auto sender = id_field(json, "sender_id");
  if (!sender) {
    return make_error(ErrorKind::usage, "the Weibo push has no sender_id");
  }
  std::string created_text = string_field(json, "created_at");
  if (created_text.empty()) {
    return make_error(ErrorKind::usage, "the Weibo push has no created_at");
  }
  SVC_TRY(created, channels::weibo::parse_time(created_text));

  domain::InboundMessage m;
  m.channel = domain::ChannelKind::dm;
  m.direction = domain::Direction::in;
  m.thread_key = *sender;
  m.author.id = *sender;
  m.kind = known->second.first;
  m.created_at = created;
  m.platform_message_id = "dm:" + *sender + ":" + std::to_string(created);
  m.text = string_field(json, "text");
  if (type == "event") {
    Json data = json.contains("data") && json["data"].is_object() ? json["data"] : Json::object();
    std::string subtype = string_field(data, "subtype");
    std::string key = string_field(data, "key");
    if (!subtype.empty()) {
      m.text = key.empty() ? subtype : subtype + " " + key;
      m.platform_message_id += ":event:" + subtype;
    } else {
      m.platform_message_id += ":event";
    }
  }
  if (m.text.empty()) {
    m.text = known->second.second;
  }
  m.raw = std::move(json);
  return std::optional<domain::InboundMessage>(std::move(m));
}

} // namespace svc::callbacks
