// The platforms' windows for messages an account starts itself (`svc send`), in one place
// (../shared/design/platform-apis.md):
//   wechat    customer-service messages (message/custom/send) only within 48 h of the user's last
//             message; outside it the platform answers 45015
//   weibo     fans-service private messages (messages/reply) within 48 h of the fan's last message
//   telegram  no window (a bot may write to anyone who has started it)
// A contact who never wrote a private message is outside any window.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <svc/core/clock.hpp>
#include <svc/domain/model.hpp>

namespace svc::inbox {

// How long after the contact's last private message the account may write; nullopt: no limit.
std::optional<std::chrono::seconds> send_window(domain::Platform platform);

// Why a message to a contact whose last private message was at `last_inbound` (none: never) may not
// be sent at `now`: "" when it may, else e.g. "outside the 48 h window (last message 3d 02h ago)".
std::string outside_send_window(domain::Platform platform, std::optional<UnixTime> last_inbound, UnixTime now);

} // namespace svc::inbox
