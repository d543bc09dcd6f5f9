#include <svc/http/transport.hpp>

#include <strings.h>

namespace svc::http {

std::string
header_value(const Headers& headers, std::string_view name)
{
  for (const auto& [key, value] : headers)
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0)
      return value;
  return {};
}

std::string
url_encode(std::string_view s)
{
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string
form_encode(const std::vector<std::pair<std::string, std::string>>& fields)
{
  std::string out;
  for (const auto& [key, value] : fields) {
    if (!out.empty())
      out += '&';
    out += url_encode(key);
    out += '=';
    out += url_encode(value);
  }
  return out;
}

} // namespace svc::http
