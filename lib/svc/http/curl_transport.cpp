#include <svc/http/curl_transport.hpp>

#include <dlfcn.h>

#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include <curl/curl.h>

#include <svc/http/redact.hpp>

namespace svc::http {
namespace {

// libcurl is loaded on the first request, not linked: it pulls in some 30 shared libraries (TLS, ldap,
// ssh, idn, ...) whose loading and relocation was most of svc's start-up, paid by every command,
// including the many that never make a request (search, inbox, report, --version). Only curl.h's types
// and constants are used at compile time; every call goes through this table. The names differ from
// curl's own so that curl.h's type-checking macros (curl_easy_setopt, ...) do not apply.
struct CurlApi {
  CURLcode (*global_init)(long);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL*);
  void (*easy_reset)(CURL*);
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...);
  CURLcode (*easy_perform)(CURL*);
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...);
  const char* (*easy_strerror)(CURLcode);
  curl_slist* (*slist_append)(curl_slist*, const char*);
  void (*slist_free_all)(curl_slist*);
};

template <typename F>
bool
resolve_symbol(void* lib, const char* name, F& fn)
{
  fn = reinterpret_cast<F>(dlsym(lib, name));
  return fn != nullptr;
}

// The loaded API of each library name asked for (in practice only k_libcurl; tests ask for a missing
// one), loaded and curl_global_init'ed once: curl_global_init is not thread-safe in libcurl 7.x.
Result<const CurlApi*>
curl_api(const std::string& soname)
{
  static std::mutex mutex;
  static std::map<std::string, Result<const CurlApi*>> loaded;
  std::lock_guard lock(mutex);
  if (auto it = loaded.find(soname); it != loaded.end())
    return it->second;
  auto load = [&]() -> Result<const CurlApi*> {
    auto failed = [&](const char* why) {
      return make_error(ErrorKind::failed, "cannot load libcurl ({}): {}", soname, why ? why : "unknown error")
        .with_hint("install libcurl (Debian: apt install libcurl4)");
    };
    // Never unloaded: the process keeps it until exit, as if linked.
    void* lib = dlopen(soname.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      return failed(dlerror());
    static std::vector<std::unique_ptr<CurlApi>> apis; // stable addresses
    auto api = std::make_unique<CurlApi>();
    if (!(resolve_symbol(lib, "curl_global_init", api->global_init)
          && resolve_symbol(lib, "curl_easy_init", api->easy_init)
          && resolve_symbol(lib, "curl_easy_cleanup", api->easy_cleanup)
          && resolve_symbol(lib, "curl_easy_reset", api->easy_reset)
          && resolve_symbol(lib, "curl_easy_setopt", api->easy_setopt)
          && resolve_symbol(lib, "curl_easy_perform", api->easy_perform)
          && resolve_symbol(lib, "curl_easy_getinfo", api->easy_getinfo)
          && resolve_symbol(lib, "curl_easy_strerror", api->easy_strerror)
          && resolve_symbol(lib, "curl_slist_append", api->slist_append)
          && resolve_symbol(lib, "curl_slist_free_all", api->slist_free_all)))
      return failed(dlerror());
    if (api->global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return failed("curl_global_init failed");
    apis.push_back(std::move(api));
    return apis.back().get();
  };
  return loaded.emplace(soname, load()).first->second;
}

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
  const CurlApi& api;
  curl_slist* list = nullptr;
  ~SlistFree() { api.slist_free_all(list); }
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

} // namespace

std::string
CurlTransport::user_agent()
{
  return std::string("svc/") + SVC_VERSION;
}

Status
load_libcurl(const std::string& soname)
{
  SVC_TRY(api, curl_api(soname));
  (void)api;
  return {};
}

CurlTransport::CurlTransport(CurlOptions options)
  : m_options(std::move(options))
{
}

CurlTransport::~CurlTransport()
{
  if (m_handle) {
    // Only set once the library was loaded.
    curl_api(k_libcurl).value()->easy_cleanup(static_cast<CURL*>(m_handle));
  }
}

Result<Response>
CurlTransport::send(const Request& request)
{
  SVC_TRY(loaded, curl_api(k_libcurl));
  const CurlApi& api = *loaded;
  if (!m_handle) {
    m_handle = api.easy_init();
  }
  CURL* h = static_cast<CURL*>(m_handle);
  if (!h) {
    return make_error(ErrorKind::failed, "could not initialise libcurl");
  }
  // Reset keeps the connection cache, so the next request to the same host reuses the connection.
  api.easy_reset(h);

  Response response;
  char error_text[CURL_ERROR_SIZE] = {0};
  const std::string agent = user_agent();
  SlistFree header_list{api};
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's way to send a header with an empty value.
    std::string line = value.empty() ? name + ";" : name + ": " + value;
    header_list.list = api.slist_append(header_list.list, line.c_str());
  }
  // No "Expect: 100-continue" round trip before large bodies.
  header_list.list = api.slist_append(header_list.list, "Expect:");

  api.easy_setopt(h, CURLOPT_URL, request.url.c_str());
  api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L); // timeouts without SIGALRM
  api.easy_setopt(
    h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(m_options.connect_timeout.count()));
  api.easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  api.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, ""); // every encoding this libcurl can decode
  api.easy_setopt(h, CURLOPT_USERAGENT, agent.c_str());
  api.easy_setopt(h, CURLOPT_HTTPHEADER, header_list.list);
  api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
  api.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
  api.easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  // libcurl silently resends a request once when a reused keep-alive connection turns out dead; for a
  // send that could deliver it twice, so sends always go out on a fresh connection.
  api.easy_setopt(h, CURLOPT_FRESH_CONNECT, request.idempotent ? 0L : 1L);
  if (request.method == Method::post) {
    api.easy_setopt(h, CURLOPT_POST, 1L);
    api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    api.easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
  } else {
    api.easy_setopt(h, CURLOPT_HTTPGET, 1L);
  }

  const CURLcode rc = api.easy_perform(h);

  curl_off_t total_us = 0;
  api.easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &total_us);
  response.elapsed_ms = static_cast<double>(total_us) / 1000.0;
  long status = 0;
  api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  long request_bytes = 0; // request line and headers handed to the connection
  api.easy_getinfo(h, CURLINFO_REQUEST_SIZE, &request_bytes);
  curl_off_t body_bytes = 0;
  api.easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &body_bytes);
  // Nothing on the handle may point into this frame once it returns.
  api.easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
  api.easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
  api.easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);

  if (rc == CURLE_OK) {
    response.status = static_cast<int>(status);
    return response;
  }

  const Failure f =
    classify(rc, request_bytes > 0 || body_bytes > 0, static_cast<long>(request.timeout.count()));
  const std::string detail = error_text[0] != '\0' ? error_text : api.easy_strerror(rc);
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
