// WeChat official account subset (platform-apis.md §2): access tokens with rotation and expiry,
// chat records (customservice/msgrecord/getmsglist), customer-service sends inside their windows and quotas,
// user info (one, or up to 100 with batchget) and list; the user tags are in routes_wechat_tags.cpp.
// Errors are {"errcode","errmsg"} with HTTP 200.
#include <svc/sandbox/routes.hpp>

#include <algorithm>

#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/routes_wechat.hpp>

namespace svc::sandbox {

namespace {

// Customer-service windows (platform-apis.md §2.3): a user's message allows 5 messages for 48 h; a
// follow or a menu click, 3 for one minute. Outside them 45015; past the quota 45047.
constexpr UnixTime k_send_window_s = 48 * 3600;
constexpr int k_send_quota = 5;
constexpr UnixTime k_event_window_s = 60;
constexpr int k_event_quota = 3;
constexpr UnixTime k_max_record_period_s = 24 * 3600;
constexpr std::size_t k_openid_page = 10000;  // user/get and user/tag/get (§2.5, §2.6)
constexpr std::size_t k_batchget_max = 100;  // openids per user/info/batchget (§2.5)

} // namespace

// The preamble every WeChat endpoint shares (routes_wechat.hpp; the tags are in routes_wechat_tags.cpp).
namespace wechat {

void
error(State& state, Call& call, int errcode, const std::string& errmsg)
{
  wechat_error(call.res, errcode, errmsg, state.token_rng.next());
}

void
ok(Call& call)
{
  send_json(call.res, {{"errcode", 0}, {"errmsg", "ok"}});
}

namespace {

// Checks ?access_token= (caller holds the mutex); counts the call for expire_token_after.
bool
authorized(State& state, Call& call)
{
  if (!call.req.has_param("access_token")) {
    error(state, call, 41001, "access_token missing");
    return false;
  }
  auto it = state.wechat_tokens.find(call.req.get_param_value("access_token"));
  UnixTime now = state.now();
  if (it == state.wechat_tokens.end() ||
      (it->second.superseded != 0 && now > it->second.superseded + k_wechat_token_grace_s)) {
    error(state, call, 40001,
          "invalid credential, access_token is invalid or not latest, could get access_token by "
          "getStableAccessToken, more details at https://mmbizurl.cn/s/JtxxFh33r");
    return false;
  }
  int limit = state.options.faults.expire_token_after;
  if (now >= it->second.issued + k_wechat_token_ttl_s || (limit > 0 && it->second.calls >= limit)) {
    error(state, call, 42001, "access_token expired");
    return false;
  }
  it->second.calls++;
  return true;
}

std::optional<nlohmann::json>
json_body(State& state, Call& call)
{
  auto body = nlohmann::json::parse(call.req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    error(state, call, 47001, "data format error");
    return std::nullopt;
  }
  return body;
}

} // namespace

httplib::Server::Handler
authorized_endpoint(State& state, std::function<void(State&, Call&)> handler)
{
  return endpoint(state, Platform::wechat, [&state, handler = std::move(handler)](Call& call) {
    std::lock_guard lock(state.mutex);
    if (authorized(state, call)) {
      handler(state, call);
    }
  });
}

httplib::Server::Handler
body_endpoint(State& state, std::function<void(State&, Call&, const nlohmann::json& body)> handler)
{
  return endpoint(state, Platform::wechat, [&state, handler = std::move(handler)](Call& call) {
    std::lock_guard lock(state.mutex);
    if (!authorized(state, call)) {
      return;
    }
    if (auto body = json_body(state, call)) {
      handler(state, call, *body);
    }
  });
}

std::optional<int>
fan(State& state, Call& call, const std::string& openid)
{
  auto it = state.world.person_by_openid.find(openid);
  if (it == state.world.person_by_openid.end()) {
    error(state, call, 40003, "invalid openid");
    return std::nullopt;
  }
  return it->second;
}

std::optional<nlohmann::json>
openid_page(State& state, Call& call, const std::string& next_openid,
            const std::function<bool(const Person&)>& member)
{
  std::size_t start = 0;
  if (!next_openid.empty()) {
    auto after = fan(state, call, next_openid);
    if (!after) {
      return std::nullopt;
    }
    start = static_cast<std::size_t>(*after) + 1;
  }
  const auto& people = state.world.people;
  auto ids = nlohmann::json::array();
  for (std::size_t i = start; i < people.size() && ids.size() < k_openid_page; ++i) {
    if (member(people[i])) {
      ids.push_back(people[i].openid);
    }
  }
  nlohmann::json page = {{"count", ids.size()}};
  if (ids.empty()) {
    page["next_openid"] = "";
  } else {
    page["next_openid"] = ids.back();
    page["data"] = {{"openid", std::move(ids)}};
  }
  return page;
}

} // namespace wechat

namespace {

using namespace wechat;

void
token(State& state, Call& call)
{
  const auto& req = call.req;
  const auto& a = state.world.accounts;
  std::lock_guard lock(state.mutex);
  if (req.get_param_value("grant_type") != "client_credential") {
    error(state, call, 40002, "invalid grant_type");
    return;
  }
  if (req.get_param_value("appid") != a.wechat_app_id) {
    error(state, call, 40013, "invalid appid");
    return;
  }
  if (req.get_param_value("secret") != a.wechat_secret) {
    error(state, call, 40125, "invalid appsecret");
    return;
  }
  UnixTime now = state.now();
  // A new token replaces the old one, which keeps working for a grace period (§2.2).
  if (auto old = state.wechat_tokens.find(state.wechat_current); old != state.wechat_tokens.end()) {
    old->second.superseded = now;
  }
  std::string fresh;
  do {
    fresh = std::to_string(now % 100) + "_" +
            state.token_rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 133);
  } while (state.wechat_tokens.count(fresh) != 0);
  state.wechat_tokens[fresh] = WechatToken{now, 0, 0};
  state.wechat_current = fresh;
  send_json(call.res, {{"access_token", fresh}, {"expires_in", k_wechat_token_ttl_s}});
}

void
getmsglist(State& state, Call& call, const nlohmann::json& body)
{
  auto start = json_int(body, "starttime");
  auto end = json_int(body, "endtime");
  auto msgid = json_int(body, "msgid");
  auto number = json_int(body, "number");
  if (!start || !end || !msgid || !number || *end < *start || *number <= 0 || *number > 10000) {
    error(state, call, 65416, "invalid query parameter");
    return;
  }
  if (*end - *start > k_max_record_period_s) {
    error(state, call, 65417, "query period exceeds limit");
    return;
  }
  const auto& records = state.world.records;
  // msgid is the 1-based position in the account's record sequence; records are sorted by time.
  auto first = std::lower_bound(records.begin(), records.end(), *start,
                                [](const WechatRecord& r, UnixTime t) { return r.time < t; });
  std::size_t k = std::max<std::size_t>(static_cast<std::size_t>(first - records.begin()),
                                        static_cast<std::size_t>(std::max<std::int64_t>(*msgid, 1) - 1));
  auto list = nlohmann::json::array();
  const auto& worker = state.world.accounts.wechat_worker;
  for (; k < records.size() && records[k].time <= *end && list.size() < static_cast<std::size_t>(*number); ++k) {
    const auto& r = records[k];
    list.push_back({{"openid", state.world.people[static_cast<std::size_t>(r.person)].openid},
                    {"opercode", r.opercode},
                    {"text", r.text},
                    {"time", r.time},
                    {"worker", worker}});
  }
  std::size_t n = list.size();
  send_json(call.res, {{"recordlist", std::move(list)}, {"number", n}, {"msgid", n == 0 ? 0 : k + 1}});
}

// Messages sent to `person` at or after `since` (records are sorted by time).
int
sent_since(const World& world, int person, UnixTime since)
{
  int n = 0;
  for (auto it = world.records.rbegin(); it != world.records.rend() && it->time >= since; ++it) {
    if (it->person == person && it->opercode == 2002) {
      ++n;
    }
  }
  return n;
}

void
custom_send(State& state, Call& call, const nlohmann::json& body)
{
  std::string touser = body.value("touser", std::string());
  auto person = fan(state, call, touser);
  if (!person) {
    return;
  }
  std::string msgtype = body.value("msgtype", std::string());
  std::string text;
  if (msgtype == "text") {
    if (body.contains("text") && body["text"].is_object()) {
      text = body["text"].value("content", std::string());
    }
    if (text.empty()) {
      error(state, call, 44004, "empty content");
      return;
    }
  } else if (msgtype == "image" || msgtype == "voice" || msgtype == "video" || msgtype == "news" ||
             msgtype == "mpnews" || msgtype == "music" || msgtype == "msgmenu" || msgtype == "wxcard" ||
             msgtype == "miniprogrampage") {
    text = "[" + msgtype + "]";
  } else {
    error(state, call, 40008, "invalid message type");
    return;
  }
  UnixTime now = state.now();
  UnixTime last = state.world.last_inbound_wechat[static_cast<std::size_t>(*person)];
  auto event = state.world.wechat_event_at.find(*person);
  int quota = 0;
  UnixTime since = 0;
  if (last != 0 && now - last <= k_send_window_s) {
    quota = k_send_quota;
    since = last;
  } else if (event != state.world.wechat_event_at.end() && now - event->second <= k_event_window_s) {
    quota = k_event_quota;
    since = event->second;
  }
  if (quota == 0) {
    error(state, call, 45015, "response out of time limit or subscription is canceled");
    return;
  }
  if (sent_since(state.world, *person, since) >= quota) {
    error(state, call, 45047, "out of response count limit");
    return;
  }
  state.world.add_wechat_outbound(*person, text, now);
  ok(call);
  call.sent_index = record_sent(state, {{"platform", "wechat"},
                                        {"endpoint", call.req.path},
                                        {"to", touser},
                                        {"text", text},
                                        {"fields", body},
                                        {"platform_message_id", nullptr}});
}

int
wechat_sex(const std::string& gender)
{
  return gender == "m" ? 1 : gender == "f" ? 2 : 0;
}

// The user/info object of one fan (§2.5).
nlohmann::json
user_object(const Person& p)
{
  auto space = p.location.find(' ');
  std::string province = p.location.substr(0, space);
  std::string city = space == std::string::npos ? "" : p.location.substr(space + 1);
  return {{"subscribe", 1},
          {"openid", p.openid},
          {"nickname", p.name},
          {"sex", wechat_sex(p.gender)},
          {"language", p.lang == "zh-hans" ? "zh_CN" : p.lang},
          {"city", city},
          {"province", province},
          {"country", province == "海外" ? "" : "中国"},
          {"headimgurl", "http://thirdwx.qlogo.cn/mmopen/" + p.openid.substr(1, 12) + "/0"},
          {"subscribe_time", p.subscribe_time},
          {"remark", ""},
          {"groupid", 0},
          {"tagid_list", p.tag_ids},
          {"subscribe_scene", "ADD_SCENE_QR_CODE"},
          {"qr_scene", 0},
          {"qr_scene_str", ""}};
}

void
user_info(State& state, Call& call)
{
  if (auto person = fan(state, call, call.req.get_param_value("openid"))) {
    send_json(call.res, user_object(state.world.people[static_cast<std::size_t>(*person)]));
  }
}

// POST user/info/batchget {"user_list":[{"openid","lang"},…]} (≤ 100) -> {"user_info_list":[…]} in the
// order asked. The reference says nothing of unknown openids; the sandbox answers them the way it
// describes an unfollowed user: {"subscribe":0,"openid":…} and nothing else. More than 100 (or none):
// 40032, the code WeChat uses for its other over-long openid lists; a malformed list: 47001.
void
user_info_batchget(State& state, Call& call, const nlohmann::json& body)
{
  auto list = body.find("user_list");
  if (list == body.end() || !list->is_array()) {
    error(state, call, 47001, "data format error");
    return;
  }
  if (list->empty() || list->size() > k_batchget_max) {
    error(state, call, 40032, "invalid openid list size");
    return;
  }
  auto users = nlohmann::json::array();
  for (const auto& entry : *list) {
    auto openid = entry.is_object() ? entry.find("openid") : entry.end();
    if (!entry.is_object() || openid == entry.end() || !openid->is_string()) {
      error(state, call, 47001, "data format error");
      return;
    }
    auto it = state.world.person_by_openid.find(openid->get<std::string>());
    if (it == state.world.person_by_openid.end()) {
      users.push_back({{"subscribe", 0}, {"openid", *openid}});
    } else {
      users.push_back(user_object(state.world.people[static_cast<std::size_t>(it->second)]));
    }
  }
  send_json(call.res, {{"user_info_list", std::move(users)}});
}

void
user_get(State& state, Call& call)
{
  auto page = openid_page(state, call, call.req.get_param_value("next_openid"), [](const Person&) { return true; });
  if (page) {
    (*page)["total"] = state.world.people.size();
    send_json(call.res, *page);
  }
}

} // namespace

void
add_wechat_routes(State& state)
{
  auto& http = state.http;
  http.Get("/cgi-bin/token", endpoint(state, Platform::wechat, [&state](Call& c) { token(state, c); }));
  http.Post("/customservice/msgrecord/getmsglist", body_endpoint(state, getmsglist));
  http.Post("/cgi-bin/message/custom/send", body_endpoint(state, custom_send));
  http.Get("/cgi-bin/user/info", authorized_endpoint(state, user_info));
  http.Post("/cgi-bin/user/info/batchget", body_endpoint(state, user_info_batchget));
  http.Get("/cgi-bin/user/get", authorized_endpoint(state, user_get));
  add_wechat_tag_routes(state);
}

} // namespace svc::sandbox
