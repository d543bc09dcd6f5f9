// The real Transport, on libcurl. This header and curl_transport.cpp are the only code that sees
// libcurl; the handle is opaque here.
//
// - libcurl is not linked but loaded (dlopen) on the first request, so that commands which never make
//   one do not pay for loading it and its ~30 dependencies at start-up. When it cannot be loaded, send()
//   fails with kind `failed`: "cannot load libcurl (libcurl.so.4): ..." and a hint to install it.
// - One easy handle is kept and reset between requests, so connections (and TLS sessions, the DNS
//   cache) are reused across requests to the same host. NOT thread-safe: use one CurlTransport per
//   thread (svc is single-threaded: one per process).
// - Timeouts: `connect_timeout` for the TCP/TLS connect, and Request::timeout for the whole request.
// - Sends "Accept-Encoding" for every encoding libcurl supports and decodes the body (gzip, …).
// - Proxies: the usual http_proxy/https_proxy/no_proxy environment variables are honoured (libcurl's
//   default, left alone).
// - TLS peer and host verification are always on; a certificate failure is kind `failed` (retrying
//   does not help) with a hint, not `temporary`.
// - User-Agent "svc/<version>"; only http and https URLs are accepted (no file://, no redirects).
// - Failures are kind `temporary`: DNS/connect failures (and anything else where no byte of the
//   request went out) have outcome_unknown = false; timeouts, resets, empty replies after the request
//   was sent have outcome_unknown = true. Messages name the method and the redacted URL and never hold
//   a secret (see redact.hpp); `secrets` lists the account's own to hide as well.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <svc/http/transport.hpp>

namespace svc::http {

// The library loaded: the soname of Debian's libcurl4 (OpenSSL flavour), as linking would have named it.
inline constexpr const char* k_libcurl = "libcurl.so.4";

// Loads `soname` (once per process) and initialises it; what the first send() does with k_libcurl.
Status load_libcurl(const std::string& soname = k_libcurl);

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::vector<std::string> secrets; // hidden from error messages besides the patterns of redact.hpp
};

class CurlTransport final : public Transport
{
public:
  explicit CurlTransport(CurlOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  Result<Response> send(const Request& request) override;

  // "svc/0.1.0"
  static std::string user_agent();

private:
  CurlOptions m_options;
  void* m_handle = nullptr; // CURL*, made by the first send()
};

} // namespace svc::http
