#include <svc/channels/wechat/mapping.hpp>

#include <fmt/format.h>

#include <svc/channels/json_util.hpp>

namespace svc::channels::wechat {

using detail::int_field;
using detail::str_field;
using Json = nlohmann::json;

std::string
record_message_id(const std::string& openid, std::int64_t time, std::int64_t opercode,
                  const std::string& text)
{
  return fmt::format("{}:{}:{}:{}", openid, time, opercode, detail::fnv1a_hex(text));
}

Result<RecordPage>
parse_records(Json body)
{
  if (!body.is_object()) {
    return make_error(ErrorKind::temporary, "WeChat sent an unreadable reply (not a record list)");
  }
  RecordPage page;
  page.msgid = int_field(body, "msgid").value_or(0);
  auto list = body.find("recordlist");
  if (list != body.end() && !list->is_null() && !list->is_array()) {
    return make_error(ErrorKind::temporary, "WeChat sent an unreadable reply (recordlist)");
  }
  if (list != body.end() && list->is_array()) {
    page.records = list->size();
    for (auto& rec : *list) {
      auto opercode = int_field(rec, "opercode").value_or(0);
      if (opercode != 2001 && opercode != 2002 && opercode != 2003) {
        continue;
      }
      domain::InboundMessage m;
      m.channel = domain::ChannelKind::dm;
      m.direction = opercode == 2002 ? domain::Direction::out : domain::Direction::in;
      std::string openid = str_field(rec, "openid");
      if (openid.empty()) {
        return make_error(ErrorKind::failed, "WeChat sent a chat record without an openid");
      }
      m.thread_key = openid;
      m.author.id = openid;
      m.text = str_field(rec, "text");
      m.created_at = int_field(rec, "time").value_or(0);
      if (opercode == 2002) {
        m.agent = str_field(rec, "worker");
      }
      if (m.text == "[image]" || m.text == "[voice]" || m.text == "[video]") {
        m.kind = m.text.substr(1, m.text.size() - 2);
      }
      m.platform_message_id = record_message_id(openid, m.created_at, opercode, m.text);
      m.raw = std::move(rec);
      page.messages.push_back(std::move(m));
    }
  }
  page.number = int_field(body, "number").value_or(static_cast<std::int64_t>(page.records));
  return page;
}

domain::PlatformUser
map_user_info(const Json& info)
{
  domain::PlatformUser u;
  if (!info.is_object()) {
    return u;
  }
  u.id = str_field(info, "openid");
  std::string remark = str_field(info, "remark");
  std::string nickname = str_field(info, "nickname");
  u.name = !remark.empty() ? remark : !nickname.empty() ? nickname : u.id;
  u.avatar_url = str_field(info, "headimgurl");
  auto sex = int_field(info, "sex");
  u.gender = !sex ? "" : *sex == 1 ? "m" : *sex == 2 ? "f" : "n";
  std::string location;
  for (const char* key : {"country", "province", "city"}) {
    std::string part = str_field(info, key);
    if (!part.empty()) {
      location += (location.empty() ? "" : " ") + part;
    }
  }
  u.location = location;
  u.language = str_field(info, "language");
  // The nickname too: `name` is the remark when the account set one, and the customer's own screen name
  // would otherwise be lost.
  for (const char* key : {"nickname", "subscribe", "subscribe_time", "language", "tagid_list", "remark",
                          "unionid", "subscribe_scene"}) {
    if (auto it = info.find(key); it != info.end() && !it->is_null()) {
      u.extra[key] = *it;
    }
  }
  return u;
}

std::string
build_batchget(std::vector<std::string>::const_iterator first, std::vector<std::string>::const_iterator last)
{
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (; first != last; ++first) {
    nlohmann::ordered_json entry;
    entry["openid"] = *first;
    entry["lang"] = "zh_CN";
    list.push_back(std::move(entry));
  }
  nlohmann::ordered_json j;
  j["user_list"] = std::move(list);
  return detail::dump(j);
}

Result<std::vector<domain::PlatformUser>>
map_user_info_list(const Json& body)
{
  auto list = body.is_object() ? body.find("user_info_list") : body.end();
  if (!body.is_object() || list == body.end() || !list->is_array()) {
    return make_error(ErrorKind::temporary, "WeChat sent an unreadable reply (no user_info_list)");
  }
  std::vector<domain::PlatformUser> users;
  users.reserve(list->size());
  for (const auto& info : *list) {
    domain::PlatformUser u = map_user_info(info);
    if (!u.id.empty()) {
      users.push_back(std::move(u));
    }
  }
  return users;
}

std::string
build_text_send(const std::string& openid, const std::string& text)
{
  nlohmann::ordered_json j;
  j["touser"] = openid;
  j["msgtype"] = "text";
  j["text"]["content"] = text;
  return detail::dump(j);
}

} // namespace svc::channels::wechat
