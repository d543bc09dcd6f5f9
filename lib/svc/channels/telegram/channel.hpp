// The Telegram Bot API Channel: base URL + "/bot<TOKEN>/METHOD". One stream, "updates" (dm), from
// getUpdates; the cursor is the next offset in decimal ("" = none yet). Asking with an offset
// confirms (deletes) every earlier update on Telegram's side, so the offset is only sent once the
// page holding those updates was stored with it: a crash before that re-delivers, never loses.
#pragma once

#include <svc/channels/channel.hpp>
#include <svc/http/transport.hpp>

namespace svc::channels::telegram {

struct Options {
  std::string base_url; // "https://api.telegram.org", no trailing slash
  std::string token;
  std::string account;  // the account NAME, for hints
  int long_poll_s = 0;  // getUpdates timeout; 0 = short poll (svc pull), > 0 for --follow
};

class TelegramChannel final : public Channel
{
public:
  TelegramChannel(http::Transport& transport, Options options);

  Capabilities capabilities() const override;
  std::vector<Stream> streams() const override;
  void set_long_poll(std::chrono::seconds wait) override { m_options.long_poll_s = static_cast<int>(wait.count()); }
  Result<Page> fetch(const Stream& stream, const std::string& cursor, int limit) override;
  Result<domain::SendResult> send(const domain::Outgoing& message) override;
  Result<domain::PlatformUser> verify() override;
  Result<domain::PlatformUser> lookup_user(const std::string& id, bool by_name) override;
  Result<std::string> raw_call(const std::string& method, const std::string& path,
                               const std::vector<std::pair<std::string, std::string>>& fields,
                               const std::string& body) override;

private:
  std::string method_url(std::string_view method) const;
  Result<nlohmann::json> call(http::Request request, bool is_send);
  Result<Page> fetch_impl(const Stream& stream, const std::string& cursor, int limit);
  Result<domain::SendResult> send_impl(const domain::Outgoing& message);

  http::Transport& m_transport;
  Options m_options;
};

} // namespace svc::channels::telegram
