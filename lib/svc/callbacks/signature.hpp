// Checking that a push really comes from the platform, before anything is parsed or stored.
// WeChat and Weibo sign the same way (platform-apis.md §2.7, §1.10): signature = hex SHA-1 of the
// sorted, concatenated [secret, timestamp, nonce] (WeChat: the callback token; Weibo: the app secret,
// timestamp in milliseconds). Telegram instead repeats the webhook secret in a header. Pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace svc::callbacks {

// True when all three query values are present (non-empty) and the signature matches `secret`.
// Compared in constant time; an empty secret never verifies.
bool signature_valid(std::string_view secret, std::string_view signature, std::string_view timestamp,
                     std::string_view nonce);

// The header name Telegram repeats the setWebhook secret_token in.
inline constexpr std::string_view k_telegram_secret_header = "X-Telegram-Bot-Api-Secret-Token";

// True when the X-Telegram-Bot-Api-Secret-Token value equals `secret` (constant time); an absent
// header or an empty secret never verifies.
bool telegram_secret_valid(std::string_view secret, const std::optional<std::string_view>& header);

} // namespace svc::callbacks
