#include <svc/callbacks/signature.hpp>

#include <string>

#include <svc/core/sha1.hpp>

namespace svc::callbacks {

bool
signature_valid(std::string_view secret, std::string_view signature, std::string_view timestamp,
                std::string_view nonce)
{
  if (secret.empty() || signature.empty() || timestamp.empty() || nonce.empty()) {
    return false;
  }
  std::string expected =
    sorted_sha1_signature({std::string(secret), std::string(timestamp), std::string(nonce)});
  return constant_time_equal(expected, signature);
}

bool
telegram_secret_valid(std::string_view secret, const std::optional<std::string_view>& header)
{
  if (secret.empty() || !header) {
    return false;
  }
  return constant_time_equal(secret, *header);
}

} // namespace svc::callbacks
