#include <svc/channels/weibo/channel.hpp>

#include <algorithm>

#include <svc/channels/json_util.hpp>
#include <svc/channels/weibo/mapping.hpp>
#include <svc/channels/weibo/paging.hpp>

namespace svc::channels::weibo {

namespace {

struct StreamSpec {
  const char* name;
  domain::ChannelKind channel;
  const char* path;
  const char* list_key;
  int max_count;
};

constexpr StreamSpec k_streams[] = {
  {"comments_to_me", domain::ChannelKind::comment, "/2/comments/to_me.json", "comments", 200},
  {"comments_mentions", domain::ChannelKind::mention, "/2/comments/mentions.json", "comments", 200},
  {"statuses_mentions", domain::ChannelKind::mention, "/2/statuses/mentions.json", "statuses", 200},
};

// Exceptions from nlohmann (or anything else) never leave the adapter.
} // namespace

WeiboChannel::WeiboChannel(http::Transport& transport, ClientConfig config)
  : m_client(transport, std::move(config))
{
}

Capabilities
WeiboChannel::capabilities() const
{
  Capabilities c;
  c.can_pull = true;
  c.can_reply = true;
  c.can_lookup_by_name = true;
  return c;
}

std::vector<Stream>
WeiboChannel::streams() const
{
  std::vector<Stream> out;
  for (const auto& s : k_streams) {
    out.push_back({s.name, s.channel});
  }
  return out;
}

Result<Page>
WeiboChannel::fetch(const Stream& stream, const std::string& cursor, int limit)
{
  return detail::guarded("Weibo", "fetch", [&] { return fetch_impl(stream, cursor, limit); });
}

Result<Page>
WeiboChannel::fetch_impl(const Stream& stream, const std::string& cursor_text, int limit)
{
  const StreamSpec* spec = nullptr;
  for (const auto& s : k_streams) {
    if (stream.name == s.name) {
      spec = &s;
    }
  }
  if (!spec) {
    return make_error(ErrorKind::usage, "Weibo has no stream '{}'", stream.name);
  }
  SVC_TRY(cursor, parse_cursor(cursor_text));
  int count = std::clamp(limit, 1, spec->max_count);
  Fields fields;
  fields.emplace_back("since_id", std::to_string(cursor.since));
  if (cursor.max) {
    fields.emplace_back("max_id", std::to_string(*cursor.max));
  }
  fields.emplace_back("count", std::to_string(count));
  SVC_TRY(body, m_client.get(spec->path, fields));
  SVC_TRY(list, parse_list(std::move(body), spec->list_key, spec->channel));
  Step step = advance(cursor, list.ids, list.next_cursor);
  Page page;
  for (std::size_t i : step.keep) {
    page.messages.push_back(std::move(list.messages[i]));
  }
  page.cursor = format_cursor(step.next);
  page.done = step.done;
  return page;
}

Result<domain::SendResult>
WeiboChannel::send(const domain::Outgoing& message)
{
  return detail::guarded("Weibo", "send", [&] { return send_impl(message); });
}

Result<domain::SendResult>
WeiboChannel::send_impl(const domain::Outgoing& message)
{
  if (message.text.empty()) {
    return make_error(ErrorKind::usage, "nothing to send: the text is empty");
  }
  domain::SendResult result;
  if (message.channel == domain::ChannelKind::dm) {
    // Fans-service customer-service message: `data` is the JSON payload, URL-encoded once as a
    // form value (the official curl example's byte shape).
    std::string receiver = message.to_user.empty() ? message.thread_key : message.to_user;
    if (receiver.empty()) {
      return make_error(ErrorKind::usage, "a Weibo private message needs the receiver's uid");
    }
    nlohmann::json data = {{"text", message.text}};
    SVC_TRY(body, m_client.post("/2/messages/reply.json",
                                {{"receiver_id", receiver}, {"type", "text"},
                                 {"data", detail::dump(data)}},
                                true, true));
    result.raw = std::move(body);
    return result;
  }
  if (message.thread_key.empty()) {
    return make_error(ErrorKind::usage, "a Weibo comment needs the post id (thread key)");
  }
  nlohmann::json body;
  if (!message.reply_to.empty() && message.reply_to != message.thread_key) {
    SVC_TRY(reply, m_client.post("/2/comments/reply.json",
                                 {{"cid", message.reply_to}, {"id", message.thread_key},
                                  {"comment", message.text}},
                                 true));
    body = std::move(reply);
  } else {
    SVC_TRY(created, m_client.post("/2/comments/create.json",
                                   {{"id", message.thread_key}, {"comment", message.text}}, true));
    body = std::move(created);
  }
  result.platform_message_id = detail::id_field(body);
  result.raw = std::move(body);
  return result;
}

Result<domain::PlatformUser>
WeiboChannel::verify()
{
  return detail::guarded("Weibo", "verify", [&]() -> Result<domain::PlatformUser> {
    SVC_TRY(info, m_client.post("/oauth2/get_token_info", {}, false));
    std::string uid = detail::str_field(info, "uid");
    if (uid.empty()) {
      return make_error(ErrorKind::auth, "Weibo did not say whose token this is")
        .with_hint("svc account bind weibo " + m_client.config().account + " --token-env VAR again");
    }
    auto expire_in = detail::int_field(info, "expire_in");
    if (expire_in && *expire_in <= 0) {
      return make_error(ErrorKind::auth, "the Weibo access token has expired")
        .with_hint("svc account bind weibo " + m_client.config().account + " --token-env VAR again");
    }
    auto user = m_client.get("/2/users/show.json", {{"uid", uid}});
    if (!user) {
      // The token is good; a users/show refusal (no permission for the API) is not a bind problem.
      if (user.error().kind == ErrorKind::auth) {
        return std::move(user).error();
      }
      domain::PlatformUser bare;
      bare.id = uid;
      return bare;
    }
    domain::PlatformUser u = map_user(*user);
    if (u.id.empty()) {
      u.id = uid;
    }
    return u;
  });
}

Result<domain::PlatformUser>
WeiboChannel::lookup_user(const std::string& id, bool by_name)
{
  return detail::guarded("Weibo", "lookup", [&]() -> Result<domain::PlatformUser> {
    if (id.empty()) {
      return make_error(ErrorKind::usage, "which Weibo user? the uid or screen name is empty");
    }
    SVC_TRY(user, m_client.get("/2/users/show.json", {{by_name ? "screen_name" : "uid", id}}));
    domain::PlatformUser u = map_user(user);
    if (u.id.empty()) {
      return make_error(ErrorKind::not_found, "Weibo has no user '{}'", id);
    }
    return u;
  });
}

Result<std::string>
WeiboChannel::raw_call(const std::string& method, const std::string& path,
                       const std::vector<std::pair<std::string, std::string>>& fields,
                       const std::string& body)
{
  return detail::guarded("Weibo", "api", [&] { return m_client.raw(method, path, fields, body); });
}

} // namespace svc::channels::weibo
