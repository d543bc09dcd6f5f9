// svc's own model of the platforms' data. Adapters map platform JSON/XML to these types and back;
// everything above the adapters (store, inbox, routing, export) knows only these.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <svc/core/clock.hpp>

namespace svc::domain {

enum class Platform { weibo, wechat, telegram };
enum class ChannelKind { dm, comment, mention };
enum class Direction { in, out };

std::string_view to_string(Platform p);
std::string_view to_string(ChannelKind c);
std::string_view to_string(Direction d);
std::optional<Platform> parse_platform(std::string_view s);
std::optional<ChannelKind> parse_channel(std::string_view s);

// Where a secret comes from. The reference (variable name, file path) may be shown; a stored value
// never is. Resolution happens at each use (config/secrets.hpp), so a rotated env var just works.
struct SecretRef {
  enum class Source { none, env, file, value };
  Source source = Source::none;
  std::string ref; // variable name, file path, or the stored value itself

  bool empty() const { return source == Source::none; }
  // "env:VAR", "file:/path", "stored", or "" — safe to print.
  std::string describe() const;
};

struct Account {
  std::int64_t id = 0;
  std::string name;
  Platform platform = Platform::telegram;
  std::string base_url; // empty: the platform's production URL
  SecretRef token;      // weibo/telegram access token; wechat: unused (token comes from app_id+secret)
  std::string app_id;   // wechat appid; weibo app key
  SecretRef secret;     // wechat appsecret; weibo app secret (fans-service push signatures)
  SecretRef callback_token; // wechat: the token push signatures use
  SecretRef webhook_secret; // telegram: X-Telegram-Bot-Api-Secret-Token
  std::string platform_user_id; // the account's own uid / bot id, once known
  std::string display_name;
  bool is_default = false;
  UnixTime created_at = 0;
  std::optional<double> request_rate; // requests/s for all svc processes together; none = platform default
};

// A user as a platform describes them. Optional fields stay empty when the platform withholds them.
struct PlatformUser {
  std::string id;           // uid / openid / Telegram user id, always as a string
  std::string name;         // screen name, remark, or first+last name
  std::string username;     // Telegram @username, Weibo domain
  std::string avatar_url;
  std::string gender;       // "m", "f", "n" or empty
  std::string location;
  std::optional<std::int64_t> followers;
  std::string description;
  std::string language;
  nlohmann::json extra = nlohmann::json::object(); // platform-specific fields (remark, tagid_list, ...)
};

// One message as pulled or pushed, before it is stored.
struct InboundMessage {
  ChannelKind channel = ChannelKind::dm;
  Direction direction = Direction::in;
  std::string platform_message_id; // unique within the account (Telegram: "CHAT_ID:MESSAGE_ID")
  std::string thread_key;          // dm: the contact's platform id (Telegram: chat id); else the post id
  PlatformUser author;             // the customer (for outbound records: still the customer)
  std::string agent;               // outbound records only: the agent who sent it, if known
  std::string kind = "text";       // text, image, voice, location, event, ...
  std::string text;
  UnixTime created_at = 0;
  std::string reply_to;            // platform id of the message this answers, if any
  nlohmann::json raw;              // the platform's own payload, kept verbatim
};

// What svc asks an adapter to send.
struct Outgoing {
  ChannelKind channel = ChannelKind::dm;
  std::string thread_key;     // as stored on the conversation
  std::string to_user;        // the customer's platform id
  std::string reply_to;       // platform id of the message being answered (may be empty for send)
  std::string text;
};

struct SendResult {
  std::string platform_message_id; // may be empty when the platform returns none (Weibo DMs, WeChat)
  nlohmann::json raw;
};

} // namespace svc::domain
