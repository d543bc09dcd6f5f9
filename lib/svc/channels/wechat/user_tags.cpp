#include <svc/channels/wechat/user_tags.hpp>

#include <set>

#include <svc/channels/json_util.hpp>

namespace svc::channels::wechat {

namespace {

using detail::int_field;
using detail::Json;
using detail::str_field;

// An element of an id array (a number, or a number as a string) as decimal text; "" otherwise.
std::string
id_text(const Json& v)
{
  if (v.is_number_integer()) {
    return std::to_string(v.is_number_unsigned() ? static_cast<std::int64_t>(v.get<std::uint64_t>())
                                                 : v.get<std::int64_t>());
  }
  if (v.is_string() && detail::parse_int(v.get<std::string>())) {
    return v.get<std::string>();
  }
  return {};
}

Result<std::int64_t>
tag_number(const std::string& tag_id)
{
  auto n = detail::parse_int(tag_id);
  if (!n || *n < 0) {
    return make_error(ErrorKind::usage, "'{}' is not a WeChat tag id (a number)", tag_id);
  }
  return *n;
}

} // namespace

bool
is_system_tag(std::int64_t id)
{
  return id >= 0 && id <= 2;
}

std::vector<PlatformTag>
parse_tags(const Json& body)
{
  std::vector<PlatformTag> out;
  auto it = body.is_object() ? body.find("tags") : body.end();
  if (!body.is_object() || it == body.end() || !it->is_array()) {
    return out;
  }
  for (const auto& t : *it) {
    auto id = int_field(t, "id");
    if (!id) {
      continue;
    }
    PlatformTag tag;
    tag.id = std::to_string(*id);
    tag.name = str_field(t, "name");
    tag.count = int_field(t, "count").value_or(0);
    tag.system = is_system_tag(*id);
    out.push_back(std::move(tag));
  }
  return out;
}

Result<PlatformTag>
parse_created_tag(const Json& body)
{
  const Json* tag = body.is_object() && body.contains("tag") ? &body["tag"] : nullptr;
  auto id = tag ? int_field(*tag, "id") : std::nullopt;
  if (!id) {
    return make_error(ErrorKind::failed, "WeChat tags/create: the reply has no tag id: {}",
                      detail::dump(body));
  }
  PlatformTag out;
  out.id = std::to_string(*id);
  out.name = str_field(*tag, "name");
  out.system = is_system_tag(*id);
  return out;
}

std::vector<std::string>
parse_tagid_list(const Json& body)
{
  std::vector<std::string> out;
  if (!body.is_object() || !body.contains("tagid_list") || !body["tagid_list"].is_array()) {
    return out;
  }
  for (const auto& v : body["tagid_list"]) {
    if (std::string id = id_text(v); !id.empty()) {
      out.push_back(std::move(id));
    }
  }
  return out;
}

MemberPage
parse_member_page(const Json& body)
{
  MemberPage page;
  if (!body.is_object()) {
    return page;
  }
  // The last page has count 0 and no "data" (as user/get, §2.5).
  if (auto data = body.find("data"); data != body.end() && data->is_object()) {
    if (auto ids = data->find("openid"); ids != data->end() && ids->is_array()) {
      for (const auto& v : *ids) {
        if (v.is_string() && !v.get<std::string>().empty()) {
          page.openids.push_back(v.get<std::string>());
        }
      }
    }
  }
  page.next_openid = str_field(body, "next_openid");
  return page;
}

std::string
build_create_tag(const std::string& name)
{
  nlohmann::ordered_json j;
  j["tag"]["name"] = name;
  return detail::dump(j);
}

std::string
build_batch(std::int64_t tagid, const std::vector<std::string>& openids)
{
  nlohmann::ordered_json j;
  j["openid_list"] = openids;
  j["tagid"] = tagid;
  return detail::dump(j);
}

std::string
build_member_page(std::int64_t tagid, const std::string& next_openid)
{
  nlohmann::ordered_json j;
  j["tagid"] = tagid;
  j["next_openid"] = next_openid;
  return detail::dump(j);
}

Result<std::vector<PlatformTag>>
WeChatUserTags::list_tags()
{
  return detail::guarded("WeChat", "tags/get", [&]() -> Result<std::vector<PlatformTag>> {
    SVC_TRY(body, m_client.call(http::Method::get, "/cgi-bin/tags/get", {}, "", false));
    return parse_tags(body);
  });
}

Result<PlatformTag>
WeChatUserTags::create_tag(const std::string& name)
{
  return detail::guarded("WeChat", "tags/create", [&]() -> Result<PlatformTag> {
    if (name.empty() || name.size() > k_tag_limits.max_name_bytes) {
      return make_error(ErrorKind::usage, "WeChat tag names have 1 to {} bytes; '{}' has {}",
                        k_tag_limits.max_name_bytes, name, name.size());
    }
    // Not repeated when the outcome is unknown: a second create of a tag that was made fails (45157).
    auto body = m_client.call(http::Method::post, "/cgi-bin/tags/create", {}, build_create_tag(name), true);
    if (!body) {
      Error e = std::move(body).error();
      if (e.kind == ErrorKind::conflict) {
        e.hint = "another tag may have taken the name, or the account is at WeChat's 100 tags; "
                 "svc tag sync ACCOUNT --dry-run shows the plan again";
      }
      return e;
    }
    return parse_created_tag(*body);
  });
}

Result<std::vector<std::string>>
WeChatUserTags::members(const std::string& tag_id)
{
  return detail::guarded("WeChat", "user/tag/get", [&]() -> Result<std::vector<std::string>> {
    SVC_TRY(tagid, tag_number(tag_id));
    std::vector<std::string> out;
    std::set<std::string> seen_cursors;
    std::string next;
    for (;;) {
      SVC_TRY(body, m_client.call(http::Method::post, "/cgi-bin/user/tag/get", {},
                                  build_member_page(tagid, next), false));
      MemberPage page = parse_member_page(body);
      out.insert(out.end(), page.openids.begin(), page.openids.end());
      // A short page is the last; a cursor seen before would loop forever.
      if (page.openids.size() < k_member_page || page.next_openid.empty()
          || !seen_cursors.insert(page.next_openid).second) {
        return out;
      }
      next = page.next_openid;
    }
  });
}

Result<std::vector<std::string>>
WeChatUserTags::tags_of(const std::string& user_id)
{
  return detail::guarded("WeChat", "tags/getidlist", [&]() -> Result<std::vector<std::string>> {
    nlohmann::ordered_json req;
    req["openid"] = user_id;
    SVC_TRY(body, m_client.call(http::Method::post, "/cgi-bin/tags/getidlist", {}, detail::dump(req), false));
    return parse_tagid_list(body);
  });
}

Status
WeChatUserTags::batch(const char* path, const std::string& tag_id, const std::vector<std::string>& user_ids)
{
  return detail::guarded("WeChat", path, [&]() -> Status {
    SVC_TRY(tagid, tag_number(tag_id));
    if (user_ids.empty()) {
      return {};
    }
    if (user_ids.size() > k_tag_limits.max_batch) {
      return make_error(ErrorKind::usage, "WeChat takes at most {} openids per call, not {}",
                        k_tag_limits.max_batch, user_ids.size());
    }
    // Tagging twice leaves the same state, so a retry after a lost reply is safe (is_send = false).
    SVC_CHECK(m_client.call(http::Method::post, path, {}, build_batch(tagid, user_ids), false));
    return {};
  });
}

Status
WeChatUserTags::tag_users(const std::string& tag_id, const std::vector<std::string>& user_ids)
{
  return batch("/cgi-bin/tags/members/batchtagging", tag_id, user_ids);
}

Status
WeChatUserTags::untag_users(const std::string& tag_id, const std::vector<std::string>& user_ids)
{
  return batch("/cgi-bin/tags/members/batchuntagging", tag_id, user_ids);
}

} // namespace svc::channels::wechat
