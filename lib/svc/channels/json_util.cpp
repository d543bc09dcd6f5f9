#include <svc/channels/json_util.hpp>

#include <charconv>

#include <fmt/format.h>

namespace svc::channels::detail {

std::string
str_field(const Json& obj, std::string_view key)
{
  if (!obj.is_object()) {
    return {};
  }
  auto it = obj.find(key);
  if (it == obj.end()) {
    return {};
  }
  if (it->is_string()) {
    return it->get<std::string>();
  }
  if (it->is_number_unsigned()) {
    return std::to_string(it->get<std::uint64_t>());
  }
  if (it->is_number_integer()) {
    return std::to_string(it->get<std::int64_t>());
  }
  return {};
}

std::optional<std::int64_t>
parse_int(std::string_view s)
{
  std::int64_t v = 0;
  if (s.empty()) {
    return std::nullopt;
  }
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t>
int_field(const Json& obj, std::string_view key)
{
  if (!obj.is_object()) {
    return std::nullopt;
  }
  auto it = obj.find(key);
  if (it == obj.end()) {
    return std::nullopt;
  }
  if (it->is_number_integer()) {
    // is_number_integer covers unsigned too; ids above int64 do not exist on these platforms.
    return it->is_number_unsigned() ? static_cast<std::int64_t>(it->get<std::uint64_t>())
                                    : it->get<std::int64_t>();
  }
  if (it->is_number_float()) {
    return static_cast<std::int64_t>(it->get<double>());
  }
  if (it->is_string()) {
    return parse_int(it->get_ref<const std::string&>());
  }
  return std::nullopt;
}

std::string
id_field(const Json& obj)
{
  std::string s = str_field(obj, "idstr");
  return s.empty() ? str_field(obj, "id") : s;
}

Result<Json>
parse_body(std::string_view platform, std::string_view body, bool is_send, int http_status)
{
  Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) {
    return j;
  }
  Error e = make_error(ErrorKind::temporary, "{} sent an unreadable reply (HTTP {}, {} bytes)",
                       platform, http_status, body.size());
  e.http_status = http_status;
  if (is_send) {
    e.outcome_unknown = true;
    e.hint = "the message may or may not have been sent; check the conversation on the platform "
             "before sending again";
  }
  return e;
}

std::string
dump(const Json& j)
{
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string
dump(const nlohmann::ordered_json& j)
{
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string
fnv1a_hex(std::string_view data)
{
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return fmt::format("{:016x}", h);
}

Error
http_status_error(std::string_view platform, int status, std::string_view body, bool is_send)
{
  std::string_view excerpt = body.substr(0, 200);
  ErrorKind kind = ErrorKind::failed;
  if (status == 401 || status == 403) {
    kind = ErrorKind::auth;
  } else if (status == 404) {
    kind = ErrorKind::not_found;
  } else if (status == 408 || status == 429 || status >= 500) {
    kind = ErrorKind::temporary;
  }
  Error e = make_error(kind, "{} replied HTTP {}: {}", platform, status, excerpt);
  e.http_status = status;
  // A 5xx from a gateway may come after the platform acted on the request.
  if (is_send && status >= 500) {
    e.outcome_unknown = true;
  }
  return e;
}

} // namespace svc::channels::detail
