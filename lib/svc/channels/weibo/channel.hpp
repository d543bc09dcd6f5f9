// The Weibo Channel: streams comments_to_me (comment), comments_mentions and statuses_mentions
// (mention), replies by comment (comments/reply, comments/create) and by fans-service private
// message (messages/reply). Paging: paging.hpp. Mapping: mapping.hpp. Errors: errors.hpp.
#pragma once

#include <memory>

#include <svc/channels/channel.hpp>
#include <svc/channels/weibo/client.hpp>

namespace svc::channels::weibo {

class WeiboChannel final : public Channel
{
public:
  WeiboChannel(http::Transport& transport, ClientConfig config);

  Capabilities capabilities() const override;
  std::vector<Stream> streams() const override;
  Result<Page> fetch(const Stream& stream, const std::string& cursor, int limit) override;
  Result<domain::SendResult> send(const domain::Outgoing& message) override;
  Result<domain::PlatformUser> verify() override;
  Result<domain::PlatformUser> lookup_user(const std::string& id, bool by_name) override;
  Result<std::string> raw_call(const std::string& method, const std::string& path,
                               const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& body) override;

private:
  Result<Page> fetch_impl(const Stream& stream, const std::string& cursor, int limit);
  Result<domain::SendResult> send_impl(const domain::Outgoing& message);

  Client m_client;
};

} // namespace svc::channels::weibo
