#include <svc/channels/wechat/channel.hpp>

#include <algorithm>
#include <iterator>

#include <strings.h>

#include <svc/channels/json_util.hpp>
#include <svc/channels/wechat/mapping.hpp>

namespace svc::channels::wechat {

namespace {

struct Cursor {
  std::int64_t start = 0;
  std::int64_t msgid = 1;
};

Result<Cursor>
parse_cursor(const std::string& text, UnixTime now)
{
  Cursor c;
  if (text.empty()) {
    c.start = now - WeChatChannel::k_first_pull_s;
    return c;
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto start = detail::int_field(j, "start");
  if (!start) {
    return make_error(ErrorKind::usage, "not a WeChat stream cursor: '{}'", text);
  }
  c.start = *start;
  c.msgid = std::max<std::int64_t>(1, detail::int_field(j, "msgid").value_or(1));
  return c;
}

std::string
format_cursor(const Cursor& c)
{
  nlohmann::ordered_json j;
  j["start"] = c.start;
  j["msgid"] = c.msgid;
  return j.dump();
}

} // namespace

WeChatChannel::WeChatChannel(http::Transport& transport, TokenCache& tokens, const Clock& clock,
                             ClientConfig config)
  : m_client(transport, tokens, clock, std::move(config))
{
}

Capabilities
WeChatChannel::capabilities() const
{
  Capabilities c;
  c.can_lookup_by_name = false;
  c.profiles_in_messages = false;
  return c;
}

std::vector<Stream>
WeChatChannel::streams() const
{
  return {{"msgrecord", domain::ChannelKind::dm}};
}

Result<Page>
WeChatChannel::fetch(const Stream& stream, const std::string& cursor, int limit)
{
  return detail::guarded("WeChat", "fetch", [&] { return fetch_impl(stream, cursor, limit); });
}

Result<Page>
WeChatChannel::fetch_impl(const Stream& stream, const std::string& cursor_text, int limit)
{
  if (stream.name != "msgrecord") {
    return make_error(ErrorKind::usage, "WeChat has no stream '{}'", stream.name);
  }
  UnixTime now = m_client.clock().now();
  SVC_TRY(cursor, parse_cursor(cursor_text, now));
  Page page;
  if (cursor.start > now) {
    page.cursor = format_cursor(cursor); // a clock that went back: nothing to ask for yet
    page.done = true;
    return page;
  }
  std::int64_t end = std::min<std::int64_t>(cursor.start + k_window_s - 1, now);
  std::int64_t number = std::clamp(limit, 1, 10000);
  nlohmann::ordered_json req;
  req["starttime"] = cursor.start;
  req["endtime"] = end;
  req["msgid"] = cursor.msgid;
  req["number"] = number;
  SVC_TRY(body, m_client.call(http::Method::post, "/customservice/msgrecord/getmsglist", {},
                              req.dump(), false));
  SVC_TRY(records, parse_records(std::move(body)));
  page.messages = std::move(records.messages);
  bool window_done = records.records == 0 || records.number < number
                     || records.msgid <= cursor.msgid; // no progress: never loop in place
  Cursor next = cursor;
  if (!window_done) {
    next.msgid = records.msgid;
    page.done = false;
  } else if (end < now) {
    next.start = end + 1;
    next.msgid = 1;
    page.done = false;
  } else {
    next.start = std::max(cursor.start, now - k_settle_s);
    next.msgid = 1;
    page.done = true;
  }
  page.cursor = format_cursor(next);
  return page;
}

Result<domain::SendResult>
WeChatChannel::send(const domain::Outgoing& message)
{
  return detail::guarded("WeChat", "send", [&]() -> Result<domain::SendResult> {
    if (message.channel != domain::ChannelKind::dm) {
      return make_error(ErrorKind::usage, "WeChat official accounts only have private messages");
    }
    if (message.text.empty()) {
      return make_error(ErrorKind::usage, "nothing to send: the text is empty");
    }
    std::string openid = message.to_user.empty() ? message.thread_key : message.to_user;
    if (openid.empty()) {
      return make_error(ErrorKind::usage, "a WeChat message needs the customer's openid");
    }
    SVC_TRY(body, m_client.call(http::Method::post, "/cgi-bin/message/custom/send", {},
                                build_text_send(openid, message.text), true));
    domain::SendResult result;
    result.raw = std::move(body);
    return result;
  });
}

Result<domain::PlatformUser>
WeChatChannel::verify()
{
  return detail::guarded("WeChat", "verify", [&]() -> Result<domain::PlatformUser> {
    SVC_CHECK(m_client.token(true));
    domain::PlatformUser u;
    u.id = m_client.config().app_id;
    return u;
  });
}

Result<domain::PlatformUser>
WeChatChannel::lookup_user(const std::string& id, bool by_name)
{
  return detail::guarded("WeChat", "lookup", [&]() -> Result<domain::PlatformUser> {
    if (by_name) {
      return make_error(ErrorKind::usage, "WeChat cannot look users up by name; give the openid");
    }
    if (id.empty()) {
      return make_error(ErrorKind::usage, "which WeChat user? the openid is empty");
    }
    SVC_TRY(info, m_client.call(http::Method::get, "/cgi-bin/user/info",
                                {{"openid", id}, {"lang", "zh_CN"}}, "", false));
    domain::PlatformUser u = map_user_info(info);
    if (u.id.empty()) {
      u.id = id;
      u.name = id;
    }
    return u;
  });
}

Result<std::vector<domain::PlatformUser>>
WeChatChannel::lookup_users(const std::vector<std::string>& ids)
{
  return detail::guarded("WeChat", "lookup", [&]() -> Result<std::vector<domain::PlatformUser>> {
    std::vector<std::string> openids;
    openids.reserve(ids.size());
    for (const auto& id : ids) {
      if (!id.empty()) {
        openids.push_back(id);
      }
    }
    std::vector<domain::PlatformUser> users;
    for (std::size_t i = 0; i < openids.size(); i += k_batchget_max) {
      auto first = openids.cbegin() + static_cast<std::ptrdiff_t>(i);
      auto last = openids.cbegin() + static_cast<std::ptrdiff_t>(std::min(openids.size(), i + k_batchget_max));
      auto body = m_client.call(http::Method::post, "/cgi-bin/user/info/batchget", {},
                                build_batchget(first, last), false);
      auto mapped = body ? map_user_info_list(*body) : Result<std::vector<domain::PlatformUser>>(body.error());
      if (!mapped) {
        if (mapped.error().kind == ErrorKind::auth) {
          return mapped.error();
        }
        continue;
      }
      std::move(mapped->begin(), mapped->end(), std::back_inserter(users));
    }
    return users;
  });
}

Result<std::string>
WeChatChannel::raw_call(const std::string& method, const std::string& path,
                        const std::vector<std::pair<std::string, std::string>>& fields,
                        const std::string& body)
{
  return detail::guarded("WeChat", "api", [&]() -> Result<std::string> {
    if (strcasecmp(method.c_str(), "GET") == 0) {
      return m_client.call_raw(http::Method::get, path, fields, "", false);
    }
    if (strcasecmp(method.c_str(), "POST") != 0) {
      return make_error(ErrorKind::usage, "WeChat takes GET or POST, not '{}'", method);
    }
    if (!body.empty()) {
      return m_client.call_raw(http::Method::post, path, fields, body, true);
    }
    // WeChat POST bodies are JSON: the fields become a flat JSON object of strings.
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    for (const auto& [k, v] : fields) {
      j[k] = v;
    }
    return m_client.call_raw(http::Method::post, path, {}, detail::dump(j), true);
  });
}

} // namespace svc::channels::wechat
