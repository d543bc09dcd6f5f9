// Weibo Open API v2 subset (platform-apis.md §1): inbound comment and mention timelines with the
// since_id/max_id/count/page paging of §1.5, comments/create and comments/reply, users/show, the
// fans-service messages/reply, and oauth2/get_token_info. Auth by access_token parameter or
// "Authorization: OAuth2 <token>".
#include <svc/sandbox/routes.hpp>

#include <algorithm>

#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/weibo_json.hpp>

namespace svc::sandbox {

namespace {

constexpr std::size_t k_max_comment_chars = 140;

std::string
token_of(const httplib::Request& req)
{
  if (req.has_param("access_token")) {
    return req.get_param_value("access_token");
  }
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("OAuth2 ", 0) == 0) {
    return auth.substr(7);
  }
  return {};
}

// Checks the token; on failure writes the error and returns false. Needs no lock: the token never
// changes after generation.
bool
authorized(const State& state, Call& call)
{
  std::string token = token_of(call.req);
  if (token.empty()) {
    weibo_error(call.res, 401, 21301, "auth faild!", call.req.path);
    return false;
  }
  if (token != state.world.accounts.weibo_token) {
    weibo_error(call.res, 401, 21332, "invalid_access_token", call.req.path);
    return false;
  }
  return true;
}

void
missing(Call& call, const std::string& name)
{
  weibo_error(call.res, 400, 10016, "Miss required parameter (" + name + ") , see doc for more info",
              call.req.path);
}

void
invalid(Call& call, const std::string& name, const std::string& expect, const std::string& got)
{
  weibo_error(call.res, 400, 10017,
              "Parameter (" + name + ")'s value invalid, expect (" + expect + ") , but get (" + got +
                ") , see doc for more info",
              call.req.path);
}

// An int64 parameter with a default; on a malformed value writes 10017 and returns nullopt.
std::optional<std::int64_t>
int_param(Call& call, const std::string& name, std::int64_t fallback)
{
  if (!call.req.has_param(name) || call.req.get_param_value(name).empty()) {
    return fallback;
  }
  std::string value = call.req.get_param_value(name);
  auto v = parse_int64(value);
  if (!v || *v < 0) {
    invalid(call, name, name + " >= 0", value);
    return std::nullopt;
  }
  return v;
}

// One page of a stream (indices into statuses or comments, ascending by id), per §1.5: ids in
// (since_id, max_id], newest first, skipping (page-1)*count; next_cursor = the id after the slice.
nlohmann::json
list_page(const World& world, const std::vector<std::size_t>& stream, bool statuses, std::int64_t since_id,
          std::int64_t max_id, std::int64_t count, std::int64_t page)
{
  auto id_at = [&](std::size_t k) {
    return statuses ? world.statuses[stream[k]].id : world.comments[stream[k]].id;
  };
  auto first_above = [&](std::int64_t v) {
    std::size_t lo = 0, hi = stream.size();
    while (lo < hi) {
      std::size_t mid = lo + (hi - lo) / 2;
      if (id_at(mid) <= v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  std::size_t lo = first_above(since_id);
  std::size_t hi = max_id > 0 ? first_above(max_id) : stream.size();
  auto items = nlohmann::json::array();
  std::int64_t next_cursor = 0;
  std::size_t offset = static_cast<std::size_t>(std::min<std::int64_t>((page - 1) * count, 1 << 30));
  if (hi > lo && hi - lo > offset) {
    std::size_t top = hi - offset;  // exclusive
    std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(count), top - lo);
    // The real API sometimes returns fewer items than asked although more exist (hidden or deleted
    // ones are filtered after counting, §1.5); do that on some first pages so that clients stop on
    // next_cursor == 0 and never on a short page. The cut items come first on the next page.
    std::uint64_t h = static_cast<std::uint64_t>(id_at(top - 1)) * 0x9e3779b97f4a7c15ULL;
    if (page == 1 && take == static_cast<std::size_t>(count) && top - take > lo && count >= 4 &&
        (h >> 60) % 3 == 0) {
      take -= 1 + (h >> 40) % 2;
    }
    for (std::size_t k = top; k > top - take; --k) {
      items.push_back(statuses ? weibo_status(world, stream[k - 1]) : weibo_comment(world, stream[k - 1]));
    }
    if (top - take > lo) {
      next_cursor = id_at(top - take - 1);
    }
  }
  return {{statuses ? "statuses" : "comments", std::move(items)},
          {"marks", nlohmann::json::array()},
          {"hasvisible", false},
          {"previous_cursor", 0},
          {"next_cursor", next_cursor},
          {"total_number", stream.size() - lo}};
}

void
list(State& state, Call& call, const std::vector<std::size_t> World::*stream, bool statuses)
{
  if (!authorized(state, call)) {
    return;
  }
  auto since_id = int_param(call, "since_id", 0);
  if (!since_id) {
    return;
  }
  auto max_id = int_param(call, "max_id", 0);
  if (!max_id) {
    return;
  }
  auto count = int_param(call, "count", statuses ? 20 : 50);
  if (!count) {
    return;
  }
  auto page = int_param(call, "page", 1);
  if (!page) {
    return;
  }
  std::int64_t n = std::clamp<std::int64_t>(*count == 0 ? (statuses ? 20 : 50) : *count, 1, 200);
  std::lock_guard lock(state.mutex);
  send_json(call.res, list_page(state.world, state.world.*stream, statuses, *since_id, *max_id, n,
                                std::max<std::int64_t>(*page, 1)));
}

// Validates the text of a comment; writes the error and returns false when it is refused.
bool
comment_text_ok(Call& call, const std::string& text)
{
  if (text.empty()) {
    weibo_error(call.res, 400, 20008, "Content is null!", call.req.path);
    return false;
  }
  if (utf8_length(text) > k_max_comment_chars) {
    weibo_error(call.res, 400, 20012, "Text too long, please input text less than 140 characters!",
                call.req.path);
    return false;
  }
  return true;
}

nlohmann::json
request_fields(const httplib::Request& req)
{
  nlohmann::json fields = nlohmann::json::object();
  for (const auto& [key, value] : req.params) {
    if (key != "access_token") {
      fields[key] = value;
    }
  }
  return fields;
}

// True when the owner already left this exact text on this post (20019 "repeat content").
bool
repeated(const World& world, std::size_t status, const std::string& text)
{
  for (auto it = world.comments.rbegin(); it != world.comments.rend() && it - world.comments.rbegin() < 2000;
       ++it) {
    if (it->author == k_owner && it->status == status && it->text == text) {
      return true;
    }
  }
  return false;
}

void
create_or_reply(State& state, Call& call, bool reply)
{
  if (!authorized(state, call)) {
    return;
  }
  for (const char* name : {"id", "comment"}) {
    if (!call.req.has_param(name)) {
      missing(call, name);
      return;
    }
  }
  if (reply && !call.req.has_param("cid")) {
    missing(call, "cid");
    return;
  }
  std::string comment = call.req.get_param_value("comment");
  auto id = parse_int64(call.req.get_param_value("id"));
  if (!id) {
    invalid(call, "id", "id = int64", call.req.get_param_value("id"));
    return;
  }
  std::optional<std::int64_t> cid;
  if (reply) {
    cid = parse_int64(call.req.get_param_value("cid"));
    if (!cid) {
      invalid(call, "cid", "cid = int64", call.req.get_param_value("cid"));
      return;
    }
  }
  if (!comment_text_ok(call, comment)) {
    return;
  }
  std::lock_guard lock(state.mutex);
  World& world = state.world;
  auto status = world.status_by_id.find(*id);
  if (status == world.status_by_id.end()) {
    weibo_error(call.res, 400, 20101, "Target weibo does not exist!", call.req.path);
    return;
  }
  std::optional<std::size_t> reply_to;
  std::string text = comment;
  if (reply) {
    auto target = world.comment_by_id.find(*cid);
    if (target == world.comment_by_id.end() || world.comments[target->second].status != status->second) {
      weibo_error(call.res, 400, 20201, "Target weibo comment does not exist!", call.req.path);
      return;
    }
    reply_to = target->second;
    if (call.req.get_param_value("without_mention") != "1") {
      text = "回复@" + world.display_name(world.comments[target->second].author) + ":" + comment;
    }
  }
  if (repeated(world, status->second, text)) {
    weibo_error(call.res, 400, 20019, "Repeat content!", call.req.path);
    return;
  }
  std::size_t idx = world.add_owner_comment(status->second, reply_to, text, state.now());
  send_json(call.res, weibo_comment(world, idx));
  nlohmann::json entry = {{"platform", "weibo"},
                          {"endpoint", call.req.path},
                          {"to", reply ? std::to_string(*cid) : std::to_string(*id)},
                          {"text", comment},
                          {"fields", request_fields(call.req)},
                          {"platform_message_id", std::to_string(world.comments[idx].id)}};
  call.sent_index = record_sent(state, std::move(entry));
}

// The fans-service customer-service reply (§1.10): form fields receiver_id, type, data, where data is a
// URL-encoded JSON string (accepted once or twice encoded).
void
message_reply(State& state, Call& call)
{
  if (!authorized(state, call)) {
    return;
  }
  for (const char* name : {"receiver_id", "type", "data"}) {
    if (!call.req.has_param(name)) {
      missing(call, name);
      return;
    }
  }
  std::string type = call.req.get_param_value("type");
  if (type != "text" && type != "articles" && type != "position") {
    invalid(call, "type", "text|articles|position", type);
    return;
  }
  auto receiver = parse_int64(call.req.get_param_value("receiver_id"));
  if (!receiver) {
    invalid(call, "receiver_id", "receiver_id = int64", call.req.get_param_value("receiver_id"));
    return;
  }
  std::string data = call.req.get_param_value("data");
  auto payload = nlohmann::json::parse(data, nullptr, false);
  if (payload.is_discarded()) {
    payload = nlohmann::json::parse(httplib::detail::decode_url(data, true), nullptr, false);
  }
  if (payload.is_discarded() || !payload.is_object()) {
    invalid(call, "data", "url-encoded json", data);
    return;
  }
  std::string text = payload.value("text", std::string());
  if (type == "text" && text.empty()) {
    weibo_error(call.res, 400, 20008, "Content is null!", call.req.path);
    return;
  }
  std::lock_guard lock(state.mutex);
  World& world = state.world;
  auto person = world.person_by_uid.find(*receiver);
  if (person == world.person_by_uid.end()) {
    weibo_error(call.res, 400, 20003, "User does not exists!", call.req.path);
    return;
  }
  std::string encoded = httplib::detail::encode_query_param(dump(payload));
  send_json(call.res, {{"result", true},
                       {"sender_id", std::to_string(world.accounts.weibo_uid)},
                       {"receiver_id", std::to_string(*receiver)},
                       {"type", type},
                       {"data", encoded}});
  nlohmann::json entry = {{"platform", "weibo"},
                          {"endpoint", call.req.path},
                          {"to", std::to_string(*receiver)},
                          {"text", text},
                          {"fields", request_fields(call.req)},
                          {"platform_message_id", nullptr}};
  entry["fields"]["data"] = payload;
  call.sent_index = record_sent(state, std::move(entry));
}

void
users_show(State& state, Call& call)
{
  if (!authorized(state, call)) {
    return;
  }
  bool has_uid = call.req.has_param("uid"), has_name = call.req.has_param("screen_name");
  if (!has_uid && !has_name) {
    missing(call, "uid or screen_name");
    return;
  }
  if (has_uid && has_name) {
    invalid(call, "uid, screen_name", "only one of them", "both");
    return;
  }
  std::lock_guard lock(state.mutex);
  const World& world = state.world;
  std::optional<int> person;
  if (has_uid) {
    auto uid = parse_int64(call.req.get_param_value("uid"));
    if (!uid) {
      invalid(call, "uid", "uid = int64", call.req.get_param_value("uid"));
      return;
    }
    if (*uid == world.accounts.weibo_uid) {
      person = k_owner;
    } else if (auto it = world.person_by_uid.find(*uid); it != world.person_by_uid.end()) {
      person = it->second;
    }
  } else {
    std::string name = call.req.get_param_value("screen_name");
    if (name == world.accounts.weibo_name) {
      person = k_owner;
    } else if (auto it = world.person_by_name.find(name); it != world.person_by_name.end()) {
      person = it->second;
    }
  }
  if (!person) {
    weibo_error(call.res, 400, 20003, "User does not exists!", call.req.path);
    return;
  }
  send_json(call.res, weibo_user(world, *person, true));
}

void
token_info(State& state, Call& call)
{
  std::string token = token_of(call.req);
  if (token != state.world.accounts.weibo_token) {
    send_json(call.res, {{"error", "invalid_access_token"},
                         {"error_code", 21332},
                         {"request", call.req.path},
                         {"error_uri", call.req.path},
                         {"error_description", "invalid access_token"}},
              401);
    return;
  }
  const auto& a = state.world.accounts;
  constexpr UnixTime k_lifetime_s = 157679471;
  send_json(call.res, {{"uid", a.weibo_uid},
                       {"appkey", parse_int64(a.weibo_app_key).value_or(0)},
                       {"scope", nullptr},
                       {"create_at", a.weibo_token_created},
                       {"expire_in", a.weibo_token_created + k_lifetime_s - state.now()}});
}

} // namespace

void
add_weibo_routes(State& state)
{
  auto& http = state.http;
  http.Get("/2/comments/to_me\\.json", endpoint(state, Platform::weibo, [&state](Call& c) {
             list(state, c, &World::comments_to_me, false);
           }));
  http.Get("/2/comments/mentions\\.json", endpoint(state, Platform::weibo, [&state](Call& c) {
             list(state, c, &World::comment_mentions, false);
           }));
  http.Get("/2/statuses/mentions\\.json", endpoint(state, Platform::weibo, [&state](Call& c) {
             list(state, c, &World::status_mentions, true);
           }));
  http.Get("/2/users/show\\.json",
           endpoint(state, Platform::weibo, [&state](Call& c) { users_show(state, c); }));
  http.Post("/2/comments/create\\.json",
            endpoint(state, Platform::weibo, [&state](Call& c) { create_or_reply(state, c, false); }));
  http.Post("/2/comments/reply\\.json",
            endpoint(state, Platform::weibo, [&state](Call& c) { create_or_reply(state, c, true); }));
  http.Post("/2/messages/reply\\.json",
            endpoint(state, Platform::weibo, [&state](Call& c) { message_reply(state, c); }));
  http.Post("/oauth2/get_token_info",
            endpoint(state, Platform::weibo, [&state](Call& c) { token_info(state, c); }));
}

} // namespace svc::sandbox
