// One interface for every platform (ccache's storage Backend shape). Commands and lib/inbox ask a
// Channel for what it can do instead of switching on the platform.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/domain/model.hpp>

namespace svc::http {
class Transport;
}

namespace svc::channels {

class UserTagApi; // user_tags.hpp

// One pull stream of a platform account, e.g. Weibo "comments_to_me". Its cursor is an opaque string
// owned by the adapter and stored by svc.
struct Stream {
  std::string name;
  domain::ChannelKind channel;
  // Fetching the next page confirms this one to the platform, which then never serves it again
  // (Telegram getUpdates: an offset acknowledges every update below it). Such a page must be synced
  // to disk before the next fetch; a page the platform serves again from the stored cursor (Weibo,
  // WeChat) need not be: lost in a power cut, it rolls back with its cursor and is fetched again.
  bool next_fetch_confirms = false;
};

// One fetched page. `cursor` is the state after this page: stored in the same transaction as the
// page's messages, so a crash between pages neither loses nor repeats anything. `done` means the
// stream is caught up for now.
struct Page {
  std::vector<domain::InboundMessage> messages;
  std::string cursor;
  bool done = true;
};

struct Capabilities {
  bool can_pull = true;
  bool can_reply = true;
  bool can_lookup_by_name = false; // Weibo users/show?screen_name=
  bool long_poll = false;          // fetch can wait for new messages (Telegram getUpdates timeout)
  // Messages carry the author's profile (Weibo, Telegram). WeChat's chat history gives only the openid,
  // so pull completes a new customer's profile with lookup_user (user/info).
  bool profiles_in_messages = true;
};

class Channel
{
public:
  virtual ~Channel() = default;
  virtual Capabilities capabilities() const = 0;
  virtual std::vector<Stream> streams() const = 0;
  // With capabilities().long_poll, later fetches wait up to `wait` for something new (svc pull --follow).
  virtual void set_long_poll(std::chrono::seconds wait) { (void)wait; }
  // `cursor` is "" on the first pull of a stream. `limit` is a page-size hint.
  virtual Result<Page> fetch(const Stream& stream, const std::string& cursor, int limit) = 0;
  // Never retried once the request may have reached the platform (Error::outcome_unknown).
  virtual Result<domain::SendResult> send(const domain::Outgoing& message) = 0;
  // Calls the platform with the credentials: the account's own identity, or an auth error (exit 4).
  virtual Result<domain::PlatformUser> verify() = 0;
  // Weibo users/show (uid or screen_name), WeChat user/info (openid).
  virtual Result<domain::PlatformUser> lookup_user(const std::string& id, bool by_name) = 0;
  // Several users by id at once (pull completing a page's new customers): the users the platform
  // returned, in no particular order. Only an auth error fails the call; a user (or batch) the platform
  // refuses otherwise is left out, and the caller asks again later. The default asks lookup_user for
  // each id; WeChat overrides it with user/info/batchget (100 openids per request).
  virtual Result<std::vector<domain::PlatformUser>> lookup_users(const std::vector<std::string>& ids)
  {
    std::vector<domain::PlatformUser> users;
    for (const auto& id : ids) {
      auto user = lookup_user(id, false);
      if (user)
        users.push_back(std::move(*user));
      else if (user.error().kind == ErrorKind::auth)
        return user.error();
    }
    return users;
  }
  // A raw authenticated call (svc api): auth added the platform's way; body returned as is.
  virtual Result<std::string> raw_call(const std::string& method, const std::string& path,
                                       const std::vector<std::pair<std::string, std::string>>& fields,
                                       const std::string& body) = 0;
  // The platform's own user tags (svc tag sync), or null when it has none. Owned by the channel.
  virtual UserTagApi* user_tags() { return nullptr; }
};

// Secrets already resolved (never stored in this struct beyond the call that builds the channel).
struct Credentials {
  std::string token;
  std::string app_id;
  std::string secret;
};

// Everything a channel needs besides the transport. `state` lets WeChat cache its access token in the
// state file (get/put of a small string under a key), so parallel svc processes share one token.
class TokenCache
{
public:
  virtual ~TokenCache() = default;
  virtual std::optional<std::pair<std::string, UnixTime>> get() = 0; // token, expires_at
  virtual void put(const std::string& token, UnixTime expires_at) = 0;
  virtual void clear() = 0;
};

Result<std::unique_ptr<Channel>> make_channel(const domain::Account& account, const Credentials& creds,
                                              http::Transport& transport, TokenCache& tokens,
                                              const Clock& clock);

// The production base URL of each platform (used when the account has no --base-url).
std::string default_base_url(domain::Platform p);

} // namespace svc::channels
