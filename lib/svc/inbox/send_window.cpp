#include <svc/inbox/send_window.hpp>

#include <svc/core/time.hpp>

namespace svc::inbox {

std::optional<std::chrono::seconds>
send_window(domain::Platform platform)
{
  switch (platform) {
  case domain::Platform::wechat:
  case domain::Platform::weibo:
    return std::chrono::hours(48);
  case domain::Platform::telegram:
    return std::nullopt;
  }
  return std::nullopt;
}

std::string
outside_send_window(domain::Platform platform, std::optional<UnixTime> last_inbound, UnixTime now)
{
  auto window = send_window(platform);
  if (!window)
    return "";
  auto hours = std::chrono::duration_cast<std::chrono::hours>(*window).count();
  if (!last_inbound)
    return fmt::format("outside the {} h window (never wrote a private message)", hours);
  // The last second of the window still counts (as the platforms and the sandbox do: now - last > window).
  if (now - *last_inbound > window->count())
    return fmt::format("outside the {} h window (last message {} ago)", hours, format_elapsed(now - *last_inbound));
  return "";
}

} // namespace svc::inbox
