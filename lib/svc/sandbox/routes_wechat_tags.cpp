// WeChat user tags (platform-apis.md §2.6), from the reference and its error table (§2.1):
//   GET  tags/get                      {"tags":[{id,name,count}]}
//   POST tags/create {"tag":{name}}    45157 empty or taken name, 45158 over 30 bytes, 45056 at 100 tags
//   POST tags/update {"tag":{id,name}} 45058 system tag (0/1/2), 45159 unknown id, 45157, 45158
//   POST tags/delete {"tag":{id}}      45058, 45159; the tag leaves every fan
//   POST tags/members/batchtagging / batchuntagging {"openid_list","tagid"}: 40032 over 50 openids,
//        45159 unknown tag, 49003 an openid that is no fan here, 45059 a fan at 20 tags; all or nothing
//   POST tags/getidlist {"openid"}     {"tagid_list":[…]}
//   POST user/tag/get {"tagid","next_openid"}: 10000 openids a page after next_openid, in fan order;
//        past the end {"count":0,"next_openid":""} with no "data" (as user/get)
// and, for tests, GET /_sandbox/wechat/tags: every tag with its members' openids (never faulted).
#include <svc/sandbox/routes_wechat.hpp>

#include <algorithm>

namespace svc::sandbox {

namespace {

using namespace wechat;

constexpr std::size_t k_max_batch = 50;
constexpr std::size_t k_max_tags_per_user = 20;
constexpr std::size_t k_max_tags = 100;
constexpr std::size_t k_max_name_bytes = 30;

bool
system_tag(std::int64_t id)
{
  return id >= 0 && id <= 2;
}

std::vector<WechatTag>::iterator
find_tag(World& world, std::int64_t id)
{
  return std::find_if(world.tags.begin(), world.tags.end(), [&](const WechatTag& t) { return t.id == id; });
}

bool
has_tag(const Person& p, std::int64_t id)
{
  return std::find(p.tag_ids.begin(), p.tag_ids.end(), id) != p.tag_ids.end();
}

// {"tag":{...}} of create, update and delete (an empty object when absent).
nlohmann::json
tag_object(const nlohmann::json& body)
{
  auto it = body.find("tag");
  return it != body.end() && it->is_object() ? *it : nlohmann::json::object();
}

// The checks a new name passes on create and update (`self` = the tag being renamed, if any).
bool
valid_name(State& state, Call& call, const std::string& name, std::int64_t self)
{
  const auto& tags = state.world.tags;
  if (name.empty()
      || std::any_of(tags.begin(), tags.end(), [&](const WechatTag& t) { return t.name == name && t.id != self; })) {
    error(state, call, 45157, "invalid tag name");
    return false;
  }
  if (name.size() > k_max_name_bytes) {
    error(state, call, 45158, "tag name too long");
    return false;
  }
  return true;
}

// An existing tag other than the system ones, from {"tag":{"id"}}; answers 45058 or 45159 otherwise.
std::optional<std::vector<WechatTag>::iterator>
writable_tag(State& state, Call& call, const nlohmann::json& tag)
{
  auto id = json_int(tag, "id");
  if (id && system_tag(*id)) {
    error(state, call, 45058, "can't modify sys tag");
    return std::nullopt;
  }
  auto it = id ? find_tag(state.world, *id) : state.world.tags.end();
  if (it == state.world.tags.end()) {
    error(state, call, 45159, "invalid tag id");
    return std::nullopt;
  }
  return it;
}

void
tags_get(State& state, Call& call)
{
  auto tags = nlohmann::json::array();
  for (const auto& tag : state.world.tags) {
    auto count = std::count_if(state.world.people.begin(), state.world.people.end(),
                               [&](const Person& p) { return has_tag(p, tag.id); });
    tags.push_back({{"id", tag.id}, {"name", tag.name}, {"count", count}});
  }
  send_json(call.res, {{"tags", std::move(tags)}});
}

void
tags_create(State& state, Call& call, const nlohmann::json& body)
{
  std::string name = tag_object(body).value("name", std::string());
  if (!valid_name(state, call, name, -1)) {
    return;
  }
  auto& tags = state.world.tags;
  if (tags.size() >= k_max_tags) {
    error(state, call, 45056, "too many tags now, no need to add new");
    return;
  }
  tags.push_back({state.world.next_tag_id++, name});
  send_json(call.res, {{"tag", {{"id", tags.back().id}, {"name", name}}}});
}

void
tags_update(State& state, Call& call, const nlohmann::json& body)
{
  auto tag = tag_object(body);
  auto it = writable_tag(state, call, tag);
  if (!it) {
    return;
  }
  std::string name = tag.value("name", std::string());
  if (!valid_name(state, call, name, (*it)->id)) {
    return;
  }
  (*it)->name = name;
  ok(call);
}

void
tags_delete(State& state, Call& call, const nlohmann::json& body)
{
  auto it = writable_tag(state, call, tag_object(body));
  if (!it) {
    return;
  }
  int id = (*it)->id;
  state.world.tags.erase(*it);
  for (auto& p : state.world.people) {
    p.tag_ids.erase(std::remove(p.tag_ids.begin(), p.tag_ids.end(), id), p.tag_ids.end());
  }
  ok(call);
}

void
batch_tagging(State& state, Call& call, const nlohmann::json& body, bool tag)
{
  auto tagid = json_int(body, "tagid");
  if (!body.contains("openid_list") || !body["openid_list"].is_array() || body["openid_list"].empty()) {
    error(state, call, 40003, "invalid openid");
    return;
  }
  const auto& list = body["openid_list"];
  if (list.size() > k_max_batch) {
    error(state, call, 40032, "invalid openid list size, please check the openid list");
    return;
  }
  auto& world = state.world;
  if (!tagid || find_tag(world, *tagid) == world.tags.end()) {
    error(state, call, 45159, "invalid tag id");
    return;
  }
  std::vector<int> people;
  for (const auto& openid : list) {
    auto it = openid.is_string() ? world.person_by_openid.find(openid.get<std::string>()) : world.person_by_openid.end();
    if (it == world.person_by_openid.end()) {
      error(state, call, 49003, "not match openid with appid");
      return;
    }
    const auto& p = world.people[static_cast<std::size_t>(it->second)];
    if (tag && !has_tag(p, *tagid) && p.tag_ids.size() >= k_max_tags_per_user) {
      error(state, call, 45059, "has too many tags");
      return;
    }
    people.push_back(it->second);
  }
  // Validated all first, so a refused batch changes nobody.
  for (int p : people) {
    auto& ids = world.people[static_cast<std::size_t>(p)].tag_ids;
    auto found = std::find(ids.begin(), ids.end(), static_cast<int>(*tagid));
    if (tag && found == ids.end()) {
      ids.push_back(static_cast<int>(*tagid));
    } else if (!tag && found != ids.end()) {
      ids.erase(found);
    }
  }
  ok(call);
}

void
batch_tag(State& state, Call& call, const nlohmann::json& body)
{
  batch_tagging(state, call, body, true);
}

void
batch_untag(State& state, Call& call, const nlohmann::json& body)
{
  batch_tagging(state, call, body, false);
}

void
getidlist(State& state, Call& call, const nlohmann::json& body)
{
  if (auto person = fan(state, call, body.value("openid", std::string()))) {
    send_json(call.res, {{"tagid_list", state.world.people[static_cast<std::size_t>(*person)].tag_ids}});
  }
}

void
user_tag_get(State& state, Call& call, const nlohmann::json& body)
{
  auto tagid = json_int(body, "tagid");
  if (!tagid || find_tag(state.world, *tagid) == state.world.tags.end()) {
    error(state, call, 45159, "invalid tag id");
    return;
  }
  auto page = openid_page(state, call, body.value("next_openid", std::string()),
                          [&](const Person& p) { return has_tag(p, *tagid); });
  if (page) {
    send_json(call.res, *page);
  }
}

void
sandbox_tags(State& state, const httplib::Request&, httplib::Response& res)
{
  std::lock_guard lock(state.mutex);
  auto list = nlohmann::json::array();
  for (const auto& tag : state.world.tags) {
    auto members = nlohmann::json::array();
    for (const auto& p : state.world.people) {
      if (has_tag(p, tag.id)) {
        members.push_back(p.openid);
      }
    }
    list.push_back({{"id", tag.id}, {"name", tag.name}, {"members", std::move(members)}});
  }
  send_json(res, list);
}

} // namespace

void
add_wechat_tag_routes(State& state)
{
  auto& http = state.http;
  http.Get("/cgi-bin/tags/get", authorized_endpoint(state, tags_get));
  http.Post("/cgi-bin/tags/create", body_endpoint(state, tags_create));
  http.Post("/cgi-bin/tags/update", body_endpoint(state, tags_update));
  http.Post("/cgi-bin/tags/delete", body_endpoint(state, tags_delete));
  http.Post("/cgi-bin/tags/members/batchtagging", body_endpoint(state, batch_tag));
  http.Post("/cgi-bin/tags/members/batchuntagging", body_endpoint(state, batch_untag));
  http.Post("/cgi-bin/tags/getidlist", body_endpoint(state, getidlist));
  http.Post("/cgi-bin/user/tag/get", body_endpoint(state, user_tag_get));
  http.Get("/_sandbox/wechat/tags",
           [&state](const httplib::Request& req, httplib::Response& res) { sandbox_tags(state, req, res); });
}

} // namespace svc::sandbox
