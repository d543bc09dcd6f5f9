// The HTTP seam. CurlTransport does the work; RetryingTransport and TraceTransport decorate it. Adapters
// take a Transport& and never see libcurl.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include <svc/core/result.hpp>

namespace svc::http {

enum class Method { get, post };

inline const char*
method_name(Method m)
{
  return m == Method::post ? "POST" : "GET";
}

// Header names are compared case-insensitively by the helpers below; stored as given.
using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Method method = Method::get;
  std::string url; // absolute; query string already encoded
  Headers headers;
  std::string body;
  // false for a send (a reply): never retried once the body may have reached the server.
  bool idempotent = true;
  std::chrono::milliseconds timeout{30000};
};

struct Response {
  int status = 0;
  Headers headers;
  std::string body;
  double elapsed_ms = 0;
};

class Transport
{
public:
  virtual ~Transport() = default;
  // An error here is a transport-level failure (DNS, connect, timeout, reset, TLS), kind temporary,
  // with Error::outcome_unknown set when the request may have reached the server (a timeout or reset
  // after the body went out). HTTP error statuses are not errors here: they come back in Response.
  virtual Result<Response> send(const Request& request) = 0;
};

// What a platform's reply means for retrying, decided by the platform's adapter (WeChat reports rate
// limits with HTTP 200 and an errcode; Weibo with error_code 10022-10024; Telegram with 429).
struct RetryAdvice {
  bool transient = false;               // worth another attempt
  std::optional<double> retry_after_s;  // the platform's floor for the next attempt
};
using ResponseClassifier = std::function<RetryAdvice(const Response&)>;

std::string header_value(const Headers& headers, std::string_view name); // "" when absent
std::string url_encode(std::string_view s);
// "a=1&b=x%20y" from ordered pairs.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

} // namespace svc::http
