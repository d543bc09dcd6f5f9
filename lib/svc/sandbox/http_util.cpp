#include <svc/sandbox/http_util.hpp>

#include <charconv>
#include <chrono>
#include <filesystem>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <svc/core/time.hpp>

namespace svc::sandbox {

std::string
dump(const nlohmann::json& body)
{
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void
send_json(httplib::Response& res, const nlohmann::json& body, int status)
{
  res.status = status;
  res.set_content(dump(body), "application/json; charset=utf-8");
}

void
weibo_error(httplib::Response& res, int http_status, int code, const std::string& error,
            const std::string& request_path)
{
  send_json(res, {{"error", error}, {"error_code", code}, {"request", request_path}}, http_status);
}

void
wechat_error(httplib::Response& res, int errcode, const std::string& errmsg, std::uint64_t rid_seed)
{
  Rng rng(rid_seed);
  std::string rid = fmt::format("{}-{}-{}", rng.chars(k_hex, 8), rng.chars(k_hex, 8), rng.chars(k_hex, 8));
  send_json(res, {{"errcode", errcode}, {"errmsg", errmsg + " rid: " + rid}});
}

void
telegram_error(httplib::Response& res, int code, const std::string& description, std::optional<int> retry_after)
{
  nlohmann::json body = {{"ok", false}, {"error_code", code}, {"description", description}};
  if (retry_after) {
    body["parameters"] = {{"retry_after", *retry_after}};
  }
  send_json(res, body, code);
}

std::size_t
record_sent(State& state, nlohmann::json entry)
{
  entry["time"] = format_iso(state.now());
  entry["fault"] = nullptr;
  state.sent.push_back(std::move(entry));
  return state.sent.size() - 1;
}

std::optional<std::int64_t>
parse_int64(const std::string& text)
{
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size()) {
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t>
json_int(const nlohmann::json& object, const char* key)
{
  auto it = object.find(key);
  if (it == object.end()) {
    return std::nullopt;
  }
  if (it->is_number_integer()) {
    return it->get<std::int64_t>();
  }
  if (it->is_string()) {
    return parse_int64(it->get<std::string>());
  }
  return std::nullopt;
}

std::size_t
utf8_length(const std::string& text)
{
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) {
      ++n;
    }
  }
  return n;
}

namespace {

void
rate_limited(Platform platform, const httplib::Request& req, httplib::Response& res, std::uint64_t detail)
{
  switch (platform) {
  case Platform::weibo:
    weibo_error(res, 403, 10023, "User requests out of rate limit!", req.path);
    return;
  case Platform::wechat:
    wechat_error(res, 45011, "api minute-quota reach limit  mustslower  retry next minute", detail);
    return;
  case Platform::telegram: {
    int retry_after = 1 + static_cast<int>(detail % 3);
    telegram_error(res, 429, fmt::format("Too Many Requests: retry after {}", retry_after), retry_after);
    return;
  }
  }
}

void
server_failed(Platform platform, const httplib::Request& req, httplib::Response& res, std::uint64_t detail)
{
  static constexpr int k_statuses[] = {500, 502, 503};
  int status = k_statuses[detail % 3];
  if (platform == Platform::wechat && (detail >> 8) % 2 == 0) {
    wechat_error(res, -1, "system error", detail);
    return;
  }
  if (status == 500 && platform == Platform::weibo) {
    weibo_error(res, 500, 10001, "System error", req.path);
    return;
  }
  if (status == 500 && platform == Platform::telegram) {
    telegram_error(res, 500, "Internal Server Error");
    return;
  }
  // Gateways answer with HTML, not the platform's JSON.
  res.status = status;
  res.set_content(fmt::format("<html><head><title>{0} {1}</title></head><body><center><h1>{0} {1}</h1>"
                              "</center></body></html>\n",
                              status, status == 502 ? "Bad Gateway" : status == 503 ? "Service Unavailable"
                                                                                    : "Internal Server Error"),
                  "text/html");
}

int
port_of(const sockaddr_storage& addr)
{
  if (addr.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<const sockaddr_in&>(addr).sin_port);
  }
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6&>(addr).sin6_port);
  }
  return -1;
}

// cpp-httplib gives a handler no access to its socket, and anything a handler returns is written as a
// response. To make the client see an empty reply (as after a crash or a reset in the middle of a
// send), find this connection's socket among the process's descriptors by its two ports and shut
// it down; httplib then fails its write and closes the socket itself (never close it here, which
// would race with descriptor reuse).
bool
shutdown_connection(const httplib::Request& req)
{
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd", ec)) {
    auto fd = parse_int64(entry.path().filename().string());
    if (!fd) {
      continue;
    }
    int sock = static_cast<int>(*fd);
    sockaddr_storage local{}, peer{};
    socklen_t local_len = sizeof(local), peer_len = sizeof(peer);
    if (getsockname(sock, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
        getpeername(sock, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      continue;
    }
    if (port_of(local) == req.local_port && port_of(peer) == req.remote_port) {
      return ::shutdown(sock, SHUT_RDWR) == 0;
    }
  }
  return false;
}

void
drop_connection(const httplib::Request& req, httplib::Response& res)
{
  res.body.clear();
  if (shutdown_connection(req)) {
    return;
  }
  // Fallback: announce a body and provide none, so the client sees a truncated transfer.
  res.set_content_provider(
    64, "application/json", [](std::size_t, std::size_t, httplib::DataSink&) { return false; });
}

} // namespace

httplib::Server::Handler
endpoint(State& state, Platform platform, std::function<void(Call&)> handler)
{
  return [&state, platform, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    FaultRoll roll = state.dice.roll();
    if (int ms = state.dice.faults().latency_ms; ms > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
    if (roll.rate_limit) {
      rate_limited(platform, req, res, roll.detail);
      return;
    }
    if (roll.server_error) {
      server_failed(platform, req, res, roll.detail);
      return;
    }
    Call call{req, res, std::nullopt};
    handler(call);
    if (call.sent_index && roll.reset) {
      {
        std::lock_guard lock(state.mutex);
        state.sent[*call.sent_index]["fault"] = "reset_after_send";
      }
      drop_connection(req, res);
      return;
    }
    if (roll.truncate && !res.body.empty()) {
      if (call.sent_index) {
        std::lock_guard lock(state.mutex);
        state.sent[*call.sent_index]["fault"] = "truncate";
      }
      res.body.resize(res.body.size() / 2);
    }
  };
}

} // namespace svc::sandbox
