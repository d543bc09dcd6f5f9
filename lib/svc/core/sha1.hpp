// SHA-1, for the platforms' push signatures (WeChat and Weibo sign callbacks with the SHA-1 of the
// sorted, concatenated token/secret, timestamp and nonce). Not used for anything security-critical of
// svc's own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace svc {

// Lowercase hex SHA-1 of `data`.
std::string sha1_hex(std::string_view data);

// The platforms' callback signature: SHA-1 of the parts sorted byte-wise and joined with nothing.
std::string sorted_sha1_signature(std::vector<std::string> parts);

// Compares in time independent of where the strings differ (signatures, secret tokens).
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace svc
