// What svc listen answers to one callback, decided without any I/O: the signature or secret check,
// the WeChat/Weibo GET handshake (echo echostr), and parsing the body into messages to store.
//   403: the account has no secret bound, or the signature/secret is wrong (nothing is parsed);
//   400: a body that cannot be read (nothing is stored);
//   200: "success" for WeChat, empty for Weibo and Telegram, echostr for a handshake.
// The listener stores `messages` only when the status is 200.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <svc/domain/model.hpp>

namespace svc::callbacks {

// One bound account as listen serves it at /hook/NAME.
struct Hook {
  domain::Account account;
  // The resolved secret the platform signs with (WeChat callback token, Weibo app secret, Telegram
  // webhook secret); nullopt when none is bound: every request is refused.
  std::optional<std::string> secret;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HookRequest {
  std::string method; // "GET" or "POST"
  std::string path;   // "/hook/NAME"
  std::string query;  // raw, without the '?'
  std::map<std::string, std::string> params; // decoded query parameters (first value of each)
  HeaderList headers; // as received
  std::string body;
};

struct HookDecision {
  int status = 200;
  std::string body;
  std::string content_type = "text/plain";
  std::vector<domain::InboundMessage> messages; // to store when status == 200
  std::string note; // for people: "handshake", "bad signature", "ignored type x", the parse error...
};

HookDecision decide(const Hook& hook, const HookRequest& request);

// Case-insensitive header lookup.
std::optional<std::string> find_header(const HeaderList& headers, std::string_view name);

} // namespace svc::callbacks
