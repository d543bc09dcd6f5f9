// The WeChat Official Account Channel. One stream, "msgrecord" (dm): customer-service chat records
// (customservice/msgrecord/getmsglist), read in windows of at most 24 h with msgid paging. Cursor
// JSON {"start":UNIX,"msgid":N}: records from `start` on remain, and within the window that starts
// there, paging continues at msgid N. The first pull starts 7 days before now (WeChat keeps chat
// records for a limited time, and a week is what a new binding usually wants to see). When a window
// that reaches the present is read to its end, the next pull starts again k_settle_s before now:
// records are indexed with some delay, and the derived message ids (mapping.hpp) dedupe the overlap.
// Sends: message/custom/send (text). Only the dm channel exists on WeChat. User tags: user_tags.hpp.
#pragma once

#include <svc/channels/channel.hpp>
#include <svc/channels/wechat/client.hpp>
#include <svc/channels/wechat/user_tags.hpp>

namespace svc::channels::wechat {

class WeChatChannel final : public Channel
{
public:
  static constexpr std::int64_t k_window_s = 24 * 3600;      // getmsglist's limit (else 65417)
  static constexpr std::int64_t k_first_pull_s = 7 * 24 * 3600;
  static constexpr std::int64_t k_settle_s = 60;

  WeChatChannel(http::Transport& transport, TokenCache& tokens, const Clock& clock,
                ClientConfig config);

  Capabilities capabilities() const override;
  std::vector<Stream> streams() const override;
  Result<Page> fetch(const Stream& stream, const std::string& cursor, int limit) override;
  Result<domain::SendResult> send(const domain::Outgoing& message) override;
  Result<domain::PlatformUser> verify() override;
  Result<domain::PlatformUser> lookup_user(const std::string& id, bool by_name) override;
  // user/info/batchget in chunks of k_batchget_max; a chunk refused for another reason than auth is
  // left out (its users stay unknown until the next pull asks again).
  Result<std::vector<domain::PlatformUser>> lookup_users(const std::vector<std::string>& ids) override;
  Result<std::string> raw_call(const std::string& method, const std::string& path,
                               const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& body) override;
  UserTagApi* user_tags() override { return &m_tags; }

private:
  Result<Page> fetch_impl(const Stream& stream, const std::string& cursor, int limit);

  Client m_client;
  WeChatUserTags m_tags{m_client};
};

} // namespace svc::channels::wechat
