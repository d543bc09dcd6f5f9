#include <svc/http/curl_transport.hpp>

#include <mutex>
#include <string_view>

#include <curl/curl.h>

#include <svc/http/redact.hpp>

namespace svc::http {
namespace {

std::once_flag g_curl_init;

std::size_t
on_body(char* data, std::size_t size, std::size_t count, void* user)
{
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

std::size_t
on_header(char* data, std::size_t size, std::size_t count, void* user)
{
  auto* headers = static_cast<Headers*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
    line.remove_suffix(1);
  }
  if (line.substr(0, 5) == "HTTP/") {
    headers->clear(); // a new response begins (after a 100 Continue or a proxy's CONNECT reply)
  } else if (auto colon = line.find(':'); colon != std::string_view::npos && colon > 0) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    headers->emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

struct SlistFree {
  curl_slist* list = nullptr;
  ~SlistFree() { curl_slist_free_all(list); }
};

struct Failure {
  ErrorKind kind = ErrorKind::temporary;
  std::string what;
  std::string hint;
  bool outcome_unknown = false;
};

// `sent` is whether any byte of the request went out; only then can the platform have acted on it.
Failure
classify(CURLcode rc, bool sent, long timeout_ms)
{
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {ErrorKind::temporary,
              "could not resolve the host",
              "check the network and the account's base URL",
              false};
    case CURLE_COULDNT_CONNECT:
      return {
        ErrorKind::temporary, "could not connect", "check the network; run again later", false};
    case CURLE_OPERATION_TIMEDOUT:
      return {ErrorKind::temporary,
              sent ? "no reply within " + std::to_string(timeout_ms) + " ms"
                   : "timed out connecting",
              "run again later",
              sent};
    case CURLE_SSL_CONNECT_ERROR:
      return {ErrorKind::temporary, "TLS handshake failed", "run again later", false};
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CERTPROBLEM:
      return {ErrorKind::failed,
              "TLS certificate verification failed",
              "check the system clock, the CA certificates and any proxy in between",
              false};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {ErrorKind::usage, "not a valid http(s) URL", "check the account's base URL", false};
    case CURLE_GOT_NOTHING:
      return {ErrorKind::temporary,
              "the server closed the connection without replying",
              "run again later",
              sent};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return {ErrorKind::temporary, "the connection broke", "run again later", sent};
    default:
      return {ErrorKind::temporary, "the request failed", "run again later", sent};
  }
}

const char*
method_name(Method m)
{
  return m == Method::post ? "POST" : "GET";
}

} // namespace

std::string
CurlTransport::user_agent()
{
  return std::string("svc/") + SVC_VERSION;
}

CurlTransport::CurlTransport(CurlOptions options)
  : m_options(std::move(options))
{
  // curl_global_init is not thread-safe in libcurl 7.x; once per process, before the first handle.
  std::call_once(g_curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  m_handle = curl_easy_init();
}

CurlTransport::~CurlTransport()
{
  if (m_handle) {
    curl_easy_cleanup(static_cast<CURL*>(m_handle));
  }
}

Result<Response>
CurlTransport::send(const Request& request)
{
  CURL* h = static_cast<CURL*>(m_handle);
  if (!h) {
    return make_error(ErrorKind::failed, "could not initialise libcurl");
  }
  // Reset keeps the connection cache, so the next request to the same host reuses the connection.
  curl_easy_reset(h);

  Response response;
  char error_text[CURL_ERROR_SIZE] = {0};
  const std::string agent = user_agent();
  SlistFree header_list;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    header_list.list = curl_slist_append(header_list.list, line.c_str());
  }
  // No "Expect: 100-continue" round trip before large bodies.
  header_list.list = curl_slist_append(header_list.list, "Expect:");

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // timeouts without SIGALRM
  curl_easy_setopt(
    h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); // every encoding this libcurl can decode
  curl_easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, header_list.list);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  // libcurl silently resends a request once when a reused keep-alive connection turns out dead; for a
  // send that could deliver it twice, so sends always go out on a fresh connection.
  curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, request.idempotent ? 0L : 1L);
  if (request.method == Method::post) {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  } else {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }

  const CURLcode rc = curl_easy_perform(h);

  curl_off_t total_us = 0;
  curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total_us);
  response.elapsed_ms = static_cast<double>(total_us) / 1000.0;
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  long request_bytes = 0; // request line and headers handed to the connection
  curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
  curl_off_t body_bytes = 0;
  curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &body_bytes);
  // Nothing on the handle may point into this frame once it returns.
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);

  if (rc == CURLE_OK) {
    response.status = static_cast<int>(status);
    return response;
  }

  const Failure f =
    classify(rc, request_bytes > 0 || body_bytes > 0, static_cast<long>(request.timeout.count()));
  const std::string detail = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
  Error e;
  e.kind = f.kind;
  // Redacted whole: the URL may carry a token, and libcurl's text may quote the URL.
  e.message = redact(std::string(method_name(request.method)) + " " + request.url + ": " + f.what
                       + " (" + detail + ")",
                     m_options.secrets);
  e.hint = f.hint;
  e.outcome_unknown = f.outcome_unknown;
  if (status > 0) {
    e.http_status = static_cast<int>(status);
  }
  return e;
}

} // namespace svc::http
