// Removing secrets from text that may be shown to a person: -v/-vv traces, error messages, logs
// (vcpkg's SanitizedUrl, ccache's redacted URLs). Two layers, both always applied:
// - every occurrence of each known secret (the account's token, app secret, …) becomes "***";
// - patterns that need no list, for secrets svc was never told about (a token the platform returned):
//     key=VALUE in URLs and form bodies and "key": "VALUE" in JSON, for keys ending in "token",
//       "secret" or "password" (access_token, refresh_token, secret, appsecret, client_secret, …) and
//       "authorization";
//     the value of an "Authorization:" (or "Proxy-Authorization:") header line;
//     Telegram's "/bot<TOKEN>/" path segment  -> "/bot***/";
//     userinfo in a URL, "scheme://user:PASSWORD@"  -> "scheme://user:***@".
// It errs on the side of hiding too much: a path segment "/bottom/" becomes "/bot***/".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace svc::http {

inline constexpr std::string_view k_redacted = "***";

std::string redact(std::string_view text, const std::vector<std::string>& secrets);

// The pattern layer alone (what redact() does with an empty secrets list).
std::string redact_patterns(std::string_view text);

} // namespace svc::http
