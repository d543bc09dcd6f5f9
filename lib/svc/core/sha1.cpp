#include <svc/core/sha1.hpp>

#include <algorithm>

#include <openssl/evp.h>

namespace svc {

std::string
sha1_hex(std::string_view data)
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr);
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += k_hex[digest[i] >> 4];
    out += k_hex[digest[i] & 15];
  }
  return out;
}

std::string
sorted_sha1_signature(std::vector<std::string> parts)
{
  std::sort(parts.begin(), parts.end());
  std::string joined;
  for (const auto& p : parts)
    joined += p;
  return sha1_hex(joined);
}

bool
constant_time_equal(std::string_view a, std::string_view b)
{
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

} // namespace svc
