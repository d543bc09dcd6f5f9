#include <svc/channels/weibo/mapping.hpp>

#include <array>

#include <svc/channels/json_util.hpp>
#include <svc/core/time.hpp>

namespace svc::channels::weibo {

using detail::id_field;
using detail::int_field;
using detail::str_field;
using Json = nlohmann::json;

namespace {

constexpr std::array<std::string_view, 12> k_months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::vector<std::string_view>
split_spaces(std::string_view s)
{
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    while (pos < s.size() && s[pos] == ' ') {
      ++pos;
    }
    std::size_t end = s.find(' ', pos);
    if (end == std::string_view::npos) {
      end = s.size();
    }
    if (end > pos) {
      out.push_back(s.substr(pos, end - pos));
    }
    pos = end;
  }
  return out;
}

std::optional<int>
two_digits(std::string_view s, std::size_t at)
{
  if (at + 2 > s.size() || s[at] < '0' || s[at] > '9' || s[at + 1] < '0' || s[at + 1] > '9') {
    return std::nullopt;
  }
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// Fields of the message common to comments and statuses.
Result<domain::InboundMessage>
map_common(const Json& item, domain::ChannelKind channel)
{
  if (!item.is_object()) {
    return make_error(ErrorKind::failed, "Weibo sent a list item that is not an object");
  }
  domain::InboundMessage m;
  m.channel = channel;
  m.direction = domain::Direction::in;
  m.platform_message_id = id_field(item);
  if (m.platform_message_id.empty()) {
    return make_error(ErrorKind::failed, "Weibo sent an item without an id");
  }
  m.text = str_field(item, "text");
  if (auto user = item.find("user"); user != item.end()) {
    m.author = map_user(*user);
  }
  std::string created = str_field(item, "created_at");
  if (!created.empty()) {
    auto t = parse_time(created);
    if (!t) {
      return std::move(t).error().prefixed("Weibo item " + m.platform_message_id);
    }
    m.created_at = *t;
  }
  return m;
}

// map_comment and map_status_mention without `raw`: parse_list moves each item there instead of copying.
Result<domain::InboundMessage>
map_comment_fields(const Json& comment, domain::ChannelKind channel)
{
  SVC_TRY(m, map_common(comment, channel));
  if (auto status = comment.find("status"); status != comment.end()) {
    m.thread_key = id_field(*status);
  }
  if (auto reply = comment.find("reply_comment"); reply != comment.end() && reply->is_object()) {
    m.reply_to = id_field(*reply);
  }
  if (m.thread_key.empty()) {
    return make_error(ErrorKind::failed, "Weibo comment {} names no post", m.platform_message_id);
  }
  return m;
}

Result<domain::InboundMessage>
map_status_fields(const Json& status)
{
  SVC_TRY(m, map_common(status, domain::ChannelKind::mention));
  m.thread_key = m.platform_message_id;
  return m;
}

} // namespace

Result<UnixTime>
parse_time(std::string_view text)
{
  auto bad = [&] {
    return make_error(ErrorKind::usage, "not a Weibo time: '{}'", text);
  };
  auto parts = split_spaces(text);
  // weekday month day HH:MM:SS +ZZZZ year
  if (parts.size() != 6) {
    return bad();
  }
  unsigned month = 0;
  for (std::size_t i = 0; i < k_months.size(); ++i) {
    if (parts[1] == k_months[i]) {
      month = static_cast<unsigned>(i + 1);
    }
  }
  auto day = detail::parse_int(parts[2]);
  auto year = detail::parse_int(parts[5]);
  std::string_view hms = parts[3];
  std::string_view zone = parts[4];
  if (month == 0 || !day || *day < 1 || *day > 31 || !year || hms.size() != 8 || hms[2] != ':'
      || hms[5] != ':' || zone.size() != 5 || (zone[0] != '+' && zone[0] != '-')) {
    return bad();
  }
  auto hh = two_digits(hms, 0);
  auto mm = two_digits(hms, 3);
  auto ss = two_digits(hms, 6);
  auto zh = two_digits(zone, 1);
  auto zm = two_digits(zone, 3);
  if (!hh || !mm || !ss || !zh || !zm || *hh > 23 || *mm > 59 || *ss > 60) {
    return bad();
  }
  std::int64_t offset = (*zh * 3600 + *zm * 60) * (zone[0] == '-' ? -1 : 1);
  return unix_from_civil(static_cast<int>(*year), month, static_cast<unsigned>(*day), *hh, *mm, *ss)
         - offset;
}

domain::PlatformUser
map_user(const Json& user)
{
  domain::PlatformUser u;
  if (!user.is_object()) {
    return u;
  }
  u.id = id_field(user);
  u.name = str_field(user, "screen_name");
  if (u.name.empty()) {
    u.name = str_field(user, "name");
  }
  u.username = str_field(user, "domain");
  u.avatar_url = str_field(user, "profile_image_url");
  if (u.avatar_url.empty()) {
    u.avatar_url = str_field(user, "avatar_large");
  }
  u.gender = str_field(user, "gender");
  u.location = str_field(user, "location");
  u.followers = int_field(user, "followers_count");
  u.description = str_field(user, "description");
  u.language = str_field(user, "lang");
  for (const char* key : {"verified", "verified_type", "verified_reason", "remark", "profile_url"}) {
    if (auto it = user.find(key); it != user.end() && !it->is_null()) {
      u.extra[key] = *it;
    }
  }
  return u;
}

Result<domain::InboundMessage>
map_comment(const Json& comment, domain::ChannelKind channel)
{
  SVC_TRY(m, map_comment_fields(comment, channel));
  m.raw = comment;
  return m;
}

Result<domain::InboundMessage>
map_status_mention(const Json& status)
{
  SVC_TRY(m, map_status_fields(status));
  m.raw = status;
  return m;
}

Result<ListPage>
parse_list(Json body, std::string_view list_key, domain::ChannelKind channel)
{
  if (!body.is_object()) {
    return make_error(ErrorKind::temporary, "Weibo sent an unreadable reply (not a list page)");
  }
  ListPage page;
  page.next_cursor = int_field(body, "next_cursor").value_or(0);
  auto it = body.find(list_key);
  if (it == body.end() || it->is_null()) {
    return page;
  }
  if (!it->is_array()) {
    return make_error(ErrorKind::temporary, "Weibo sent an unreadable reply ('{}' is not a list)",
                      list_key);
  }
  bool statuses = list_key == "statuses";
  page.ids.reserve(it->size());
  page.messages.reserve(it->size());
  for (auto& item : *it) {
    auto m = statuses ? map_status_fields(item) : map_comment_fields(item, channel);
    if (!m) {
      return std::move(m).error();
    }
    auto id = detail::parse_int(m->platform_message_id);
    if (!id) {
      return make_error(ErrorKind::failed, "Weibo sent a non-numeric id '{}'",
                        m->platform_message_id);
    }
    page.ids.push_back(*id);
    m->raw = std::move(item);
    page.messages.push_back(std::move(*m));
  }
  return page;
}

} // namespace svc::channels::weibo
