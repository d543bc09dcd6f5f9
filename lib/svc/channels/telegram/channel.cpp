#include <svc/channels/telegram/channel.hpp>

#include <algorithm>

#include <strings.h>

#include <svc/channels/json_util.hpp>
#include <svc/channels/telegram/errors.hpp>
#include <svc/channels/telegram/mapping.hpp>

namespace svc::channels::telegram {

TelegramChannel::TelegramChannel(http::Transport& transport, Options options)
  : m_transport(transport), m_options(std::move(options))
{
}

Capabilities
TelegramChannel::capabilities() const
{
  Capabilities c;
  c.can_lookup_by_name = false;
  c.long_poll = true;
  return c;
}

std::vector<Stream>
TelegramChannel::streams() const
{
  // getUpdates with offset N confirms every update below N: the next fetch acknowledges this page.
  return {{"updates", domain::ChannelKind::dm, true}};
}

std::string
TelegramChannel::method_url(std::string_view method) const
{
  while (!method.empty() && method.front() == '/') {
    method.remove_prefix(1);
  }
  return m_options.base_url + "/bot" + m_options.token + "/" + std::string(method);
}

Result<nlohmann::json>
TelegramChannel::call(http::Request request, bool is_send)
{
  request.idempotent = !is_send;
  SVC_TRY(resp, m_transport.send(request));
  return check_response(resp, is_send, m_options.account);
}

Result<Page>
TelegramChannel::fetch(const Stream& stream, const std::string& cursor, int limit)
{
  return detail::guarded("Telegram", "fetch", [&] { return fetch_impl(stream, cursor, limit); });
}

Result<Page>
TelegramChannel::fetch_impl(const Stream& stream, const std::string& cursor, int limit)
{
  if (stream.name != "updates") {
    return make_error(ErrorKind::usage, "Telegram has no stream '{}'", stream.name);
  }
  std::optional<std::int64_t> offset;
  if (!cursor.empty()) {
    offset = detail::parse_int(cursor);
    if (!offset) {
      return make_error(ErrorKind::usage, "not a Telegram stream cursor: '{}'", cursor);
    }
  }
  int count = std::clamp(limit, 1, 100);
  int poll = std::max(0, m_options.long_poll_s);
  std::vector<std::pair<std::string, std::string>> q;
  if (offset) {
    q.emplace_back("offset", std::to_string(*offset));
  }
  q.emplace_back("limit", std::to_string(count));
  q.emplace_back("timeout", std::to_string(poll));
  http::Request req;
  req.method = http::Method::get;
  req.url = method_url("getUpdates") + "?" + http::form_encode(q);
  // The server holds a long poll open for `poll` seconds: wait longer than that.
  req.timeout = std::chrono::milliseconds((poll + 30) * 1000);
  SVC_TRY(result, call(std::move(req), false));
  SVC_TRY(batch, parse_updates(std::move(result)));
  Page page;
  page.messages = std::move(batch.messages);
  std::int64_t next = batch.next_offset ? std::max(*batch.next_offset, offset.value_or(0))
                                        : offset.value_or(0);
  page.cursor = (batch.next_offset || offset) ? std::to_string(next) : "";
  page.done = batch.updates < static_cast<std::size_t>(count);
  return page;
}

Result<domain::SendResult>
TelegramChannel::send(const domain::Outgoing& message)
{
  return detail::guarded("Telegram", "send", [&] { return send_impl(message); });
}

Result<domain::SendResult>
TelegramChannel::send_impl(const domain::Outgoing& message)
{
  if (message.text.empty()) {
    return make_error(ErrorKind::usage, "nothing to send: the text is empty");
  }
  std::string chat = message.thread_key.empty() ? message.to_user : message.thread_key;
  if (chat.empty()) {
    return make_error(ErrorKind::usage, "a Telegram message needs the chat id");
  }
  std::optional<std::int64_t> reply;
  if (!message.reply_to.empty()) {
    reply = message_id_of(message.reply_to);
    if (!reply) {
      return make_error(ErrorKind::usage, "not a Telegram message id: '{}'", message.reply_to);
    }
  }
  http::Request req;
  req.method = http::Method::post;
  req.url = method_url("sendMessage");
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = build_send(chat, message.text, reply);
  SVC_TRY(result, call(std::move(req), true));
  domain::SendResult out;
  auto id = detail::int_field(result, "message_id");
  if (id) {
    std::string sent_chat;
    if (auto c = result.find("chat"); c != result.end()) {
      sent_chat = detail::str_field(*c, "id");
    }
    out.platform_message_id = (sent_chat.empty() ? chat : sent_chat) + ":" + std::to_string(*id);
  }
  out.raw = std::move(result);
  return out;
}

Result<domain::PlatformUser>
TelegramChannel::verify()
{
  return detail::guarded("Telegram", "verify", [&]() -> Result<domain::PlatformUser> {
    http::Request req;
    req.url = method_url("getMe");
    SVC_TRY(me, call(std::move(req), false));
    domain::PlatformUser u = map_user(me);
    if (u.id.empty()) {
      return make_error(ErrorKind::failed, "Telegram's getMe named no bot");
    }
    return u;
  });
}

Result<domain::PlatformUser>
TelegramChannel::lookup_user(const std::string&, bool)
{
  return make_error(ErrorKind::usage, "Telegram bots cannot look users up");
}

Result<std::string>
TelegramChannel::raw_call(const std::string& method, const std::string& path,
                          const std::vector<std::pair<std::string, std::string>>& fields,
                          const std::string& body)
{
  return detail::guarded("Telegram", "api", [&]() -> Result<std::string> {
    http::Request req;
    bool is_get = strcasecmp(method.c_str(), "GET") == 0;
    if (!is_get && strcasecmp(method.c_str(), "POST") != 0) {
      return make_error(ErrorKind::usage, "Telegram takes GET or POST, not '{}'", method);
    }
    req.url = method_url(path);
    if (is_get || !body.empty()) {
      if (!fields.empty()) {
        req.url += "?" + http::form_encode(fields);
      }
    }
    if (!is_get) {
      req.method = http::Method::post;
      if (!body.empty()) {
        req.headers.emplace_back("Content-Type", "application/json");
        req.body = body;
      } else {
        req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        req.body = http::form_encode(fields);
      }
    }
    req.idempotent = is_get;
    SVC_TRY(resp, m_transport.send(req));
    SVC_CHECK(check_response(resp, !is_get, m_options.account));
    return resp.body;
  });
}

} // namespace svc::channels::telegram
