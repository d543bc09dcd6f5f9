// POST /_sandbox/trigger: the sandbox pushes a callback to a listen URL the way the real platform
// would, signed with the sandbox account's own credentials:
//   wechat    XML (text, image, subscribe, unsubscribe, click), ?signature=&timestamp=&nonce=&openid=
//             with signature = sha1(sorted(callback_token, timestamp, nonce))
//   weibo     fans-service JSON (text), ?signature=&timestamp=(ms)&nonce= with sha1(sorted(app_secret, …))
//   telegram  an Update (message) with the X-Telegram-Bot-Api-Secret-Token header
// Messages (not events) are also added to the world, as the platform would keep them: they show in
// /_sandbox/messages, open WeChat's 48-hour window and queue as a Telegram update. A WeChat follow or
// menu click opens the one-minute window of 3 messages; an unfollow closes every window.
// Request: {"platform","event","to","set":{"from","from_id","text","event_key"}}; the target must be
// on loopback. Answer: {"status","body","platform_message_id","payload"}.
#include <svc/sandbox/inject.hpp>
#include <svc/sandbox/routes.hpp>

#include <set>

#include <svc/core/sha1.hpp>
#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/weibo_json.hpp>

namespace svc::sandbox {

namespace {

struct Push {
  std::string query;
  httplib::Headers headers;
  std::string body;
  std::string content_type;
  std::string platform_message_id;
};

// CDATA cannot contain "]]>": split it across two sections.
std::string
cdata(const std::string& text)
{
  std::string out = "<![CDATA[";
  std::size_t start = 0, at;
  while ((at = text.find("]]>", start)) != std::string::npos) {
    out += text.substr(start, at - start) + "]]]]><![CDATA[>";
    start = at + 3;
  }
  return out + text.substr(start) + "]]>";
}

std::string
set_value(const nlohmann::json& set, const char* key, std::string fallback)
{
  auto it = set.find(key);
  return it != set.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Result<Push>
wechat_push(State& state, const std::string& event, const nlohmann::json& set)
{
  static const std::set<std::string> k_events = {"text", "image", "subscribe", "unsubscribe", "click"};
  if (!k_events.count(event))
    return make_error(ErrorKind::usage, "unknown wechat event '{}'", event)
      .with_hint("wechat events: text, image, subscribe, unsubscribe, click");
  std::string text = set_value(set, "text", "你好，我想问一下订单的事");
  std::string msg_id;
  std::string openid;
  UnixTime created = 0;
  if (event == "text" || event == "image") {
    auto injected = inject_message(state, {"wechat", "dm", set_value(set, "from", "小雨点"),
                                           event == "image" ? "[image]" : text, set_value(set, "from_id", "")});
    if (!injected)
      return injected.error();
    openid = (*injected)["from_id"];
    created = (*injected)["object"]["time"];
  }
  std::lock_guard lock(state.mutex);
  World& world = state.world;
  if (openid.empty()) {
    int person = world.person_for("wechat", set_value(set, "from", "小雨点"), set_value(set, "from_id", ""));
    openid = world.people[static_cast<std::size_t>(person)].openid;
    created = state.now();
    // The customer-service windows these events open or close (custom/send, platform-apis.md §2.3).
    if (event == "subscribe" || event == "click") {
      world.wechat_event_at[person] = created;
    } else if (event == "unsubscribe") {
      world.last_inbound_wechat[static_cast<std::size_t>(person)] = 0;
      world.wechat_event_at.erase(person);
    }
  }
  msg_id = std::to_string(7000000000000000000LL + static_cast<std::int64_t>(state.token_rng.below(1000000000000ULL)));
  std::string xml = "<xml><ToUserName>" + cdata("gh_" + world.accounts.wechat_app_id.substr(2, 12))
                    + "</ToUserName><FromUserName>" + cdata(openid) + "</FromUserName><CreateTime>"
                    + std::to_string(created) + "</CreateTime>";
  Push push;
  if (event == "text") {
    xml += "<MsgType>" + cdata("text") + "</MsgType><Content>" + cdata(text) + "</Content><MsgId>" + msg_id + "</MsgId>";
    push.platform_message_id = msg_id;
  } else if (event == "image") {
    xml += "<MsgType>" + cdata("image") + "</MsgType><PicUrl>" + cdata("http://mmbiz.qpic.cn/sandbox/" + msg_id)
           + "</PicUrl><MediaId>" + cdata("media_" + msg_id) + "</MediaId><MsgId>" + msg_id + "</MsgId>";
    push.platform_message_id = msg_id;
  } else {
    std::string name = event == "click" ? "CLICK" : event;
    xml += "<MsgType>" + cdata("event") + "</MsgType><Event>" + cdata(name) + "</Event>";
    if (event == "click")
      xml += "<EventKey>" + cdata(set_value(set, "event_key", "MENU_ORDER_STATUS")) + "</EventKey>";
    push.platform_message_id = openid + ":" + std::to_string(created) + ":" + name;
  }
  xml += "</xml>";
  std::string timestamp = std::to_string(state.now());
  std::string nonce = std::to_string(state.token_rng.below(1000000000ULL));
  std::string signature = sorted_sha1_signature({world.accounts.wechat_callback_token, timestamp, nonce});
  push.query = "signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce + "&openid=" + openid;
  push.body = std::move(xml);
  push.content_type = "text/xml";
  return push;
}

Result<Push>
weibo_push(State& state, const std::string& event, const nlohmann::json& set)
{
  if (event != "text")
    return make_error(ErrorKind::usage, "unknown weibo event '{}'", event).with_hint("weibo events: text");
  auto injected = inject_message(state, {"weibo", "dm", set_value(set, "from", "小雨点"),
                                         set_value(set, "text", "私信：请问什么时候发货？"), set_value(set, "from_id", "")});
  if (!injected)
    return injected.error();
  std::lock_guard lock(state.mutex);
  Push push;
  push.body = (*injected)["object"].dump();
  push.content_type = "application/json";
  push.platform_message_id = (*injected)["platform_message_id"];
  std::string timestamp = std::to_string(state.now() * 1000 + static_cast<UnixTime>(state.token_rng.below(1000)));
  std::string nonce = std::to_string(state.token_rng.below(100000000ULL));
  std::string signature = sorted_sha1_signature({state.world.accounts.weibo_app_secret, timestamp, nonce});
  push.query = "signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce;
  return push;
}

Result<Push>
telegram_push(State& state, const std::string& event, const nlohmann::json& set)
{
  if (event != "message")
    return make_error(ErrorKind::usage, "unknown telegram event '{}'", event).with_hint("telegram events: message");
  auto injected = inject_message(state, {"telegram", "dm", set_value(set, "from", "Anna K."),
                                         set_value(set, "text", "Hi! Where is my order?"), set_value(set, "from_id", "")});
  if (!injected)
    return injected.error();
  std::lock_guard lock(state.mutex);
  const World& world = state.world;
  const auto& u = world.updates.back();
  const auto& m = world.chats[static_cast<std::size_t>(u.person)][u.message];
  Push push;
  push.body = nlohmann::json{{"update_id", u.update_id}, {"message", telegram_message_json(world, u.person, m)}}.dump();
  push.content_type = "application/json";
  push.headers.emplace("X-Telegram-Bot-Api-Secret-Token", world.accounts.telegram_webhook_secret);
  push.platform_message_id = (*injected)["platform_message_id"];
  return push;
}

bool
is_loopback_url(const std::string& url)
{
  for (const char* prefix : {"http://127.", "http://localhost:", "http://localhost/", "http://[::1]"})
    if (url.rfind(prefix, 0) == 0)
      return true;
  return false;
}

} // namespace

void
add_trigger_route(State& state)
{
  state.http.Post("/_sandbox/trigger", [&state](const httplib::Request& req, httplib::Response& res) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    if (!body.is_object()) {
      send_json(res, {{"error", "expected a JSON object {platform, event, to, set}"}}, 400);
      return;
    }
    std::string platform = body.value("platform", std::string());
    std::string event = body.value("event", std::string());
    std::string to = body.value("to", std::string());
    nlohmann::json set = body.contains("set") && body["set"].is_object() ? body["set"] : nlohmann::json::object();
    if (!is_loopback_url(to)) {
      send_json(res, {{"error", "the target must be an http URL on this machine (127.0.0.1, localhost, [::1])"}}, 400);
      return;
    }
    Result<Push> push = platform == "wechat"   ? wechat_push(state, event, set)
                        : platform == "weibo"  ? weibo_push(state, event, set)
                        : platform == "telegram" ? telegram_push(state, event, set)
                                               : Result<Push>(make_error(ErrorKind::usage, "unknown platform '{}'", platform));
    if (!push) {
      send_json(res, {{"error", push.error().message}, {"hint", push.error().hint}}, 400);
      return;
    }
    // Split the target into scheme://host:port and path; the platform's query goes after the path.
    auto slash = to.find('/', to.find("://") + 3);
    std::string origin = slash == std::string::npos ? to : to.substr(0, slash);
    std::string path = slash == std::string::npos ? "/" : to.substr(slash);
    path += (path.find('?') == std::string::npos ? "?" : "&") + push->query;
    if (push->query.empty())
      path.pop_back();
    httplib::Client client(origin);
    client.set_connection_timeout(2);
    client.set_read_timeout(10); // WeChat gives up after 5 s; the sandbox reports whatever came back
    auto result = client.Post(path, push->headers, push->body, push->content_type);
    nlohmann::json answer = {{"platform", platform}, {"event", event}, {"to", to},
                             {"platform_message_id", push->platform_message_id}, {"payload", push->body}};
    if (!result) {
      answer["error"] = "no answer from " + origin + " (" + httplib::to_string(result.error()) + ")";
      send_json(res, answer, 502);
      return;
    }
    answer["status"] = result->status;
    answer["body"] = result->body;
    send_json(res, answer);
  });
}

} // namespace svc::sandbox
