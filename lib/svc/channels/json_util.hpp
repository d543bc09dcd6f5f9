// Small helpers the three adapters share at their mapping edge: tolerant field access (ids that come
// as numbers or strings, fields that may be missing or null), body parsing that turns a parse failure
// into an svc::Error, and a stable short hash for derived message ids. Nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <svc/core/result.hpp>

namespace svc::channels::detail {

using Json = nlohmann::json;

// The field as text: a string as is, an integer in decimal, "" when missing, null or another type.
std::string str_field(const Json& obj, std::string_view key);

// The field as an integer: a JSON integer or a decimal string ("20502"); nullopt otherwise.
std::optional<std::int64_t> int_field(const Json& obj, std::string_view key);

// An object's id as a string, preferring `idstr` (exact even where a JSON number would not be).
std::string id_field(const Json& obj);

// Decimal text to int64; nullopt unless the whole string is a number.
std::optional<std::int64_t> parse_int(std::string_view s);

// The parsed body, or a temporary error "the platform sent an unreadable reply". For a send the
// error is also outcome_unknown: the platform got the request and we can't tell what it did.
Result<Json> parse_body(std::string_view platform, std::string_view body, bool is_send,
                        int http_status);

// Runs f (which returns a Result); an exception escaping a mapping (a reply of an unexpected shape)
// becomes a `failed` error naming the platform and the call, so nothing throws out of an adapter.
template <class F>
auto
guarded(std::string_view platform, const char* what, F&& f) -> decltype(f())
{
  try {
    return f();
  } catch (const std::exception& e) {
    return make_error(ErrorKind::failed, "{} {}: unexpected reply: {}", platform, what, e.what());
  }
}

// JSON text that never throws on invalid UTF-8 (replaced with U+FFFD) and keeps UTF-8 raw.
std::string dump(const Json& j);
std::string dump(const nlohmann::ordered_json& j);

// 64-bit FNV-1a as 16 lowercase hex digits: deterministic across runs and machines.
std::string fnv1a_hex(std::string_view data);

// "HTTP 502" style fallback for replies without a platform envelope, keyed on the status.
Error http_status_error(std::string_view platform, int status, std::string_view body, bool is_send);

} // namespace svc::channels::detail
