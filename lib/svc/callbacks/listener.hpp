// svc listen's HTTP server (cpp-httplib): /hook/NAME per bound account, each request decided by
// decide() (hook.hpp), accepted messages stored through the same MessageRepository::ingest as pull
// (Via::callback, no cursor), so a message pushed twice is stored once. Unknown paths get 404 and
// bodies over max_body 413 (before any handler runs).
//
// Threads: httplib runs handlers on its pool; the Store is not thread-safe, so every store access,
// every --record line and every report happens under one mutex. --forward-to runs synchronously in
// the handler after storing, outside that mutex, with a short timeout (2 s by default) so the
// platform's answer still leaves within WeChat's and Weibo's 5 s limit; only accepted callbacks
// (status 200) are forwarded, with their method, headers and body, to the URL exactly with the
// original query string appended. The library prints nothing: each callback is reported to `report`.
#pragma once

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <svc/callbacks/hook.hpp>
#include <svc/core/clock.hpp>
#include <svc/core/result.hpp>
#include <svc/http/transport.hpp>
#include <svc/store/store.hpp>

namespace httplib {
class Server;
}

namespace svc::callbacks {

struct ListenOptions {
  std::string bind = "127.0.0.1";
  int port = 0; // 0: any free port
  std::size_t max_body = 1024 * 1024;
  std::string forward_to;  // empty: no forwarding
  std::string record_path; // empty: no record
  std::chrono::milliseconds forward_timeout{2000};
};

// One callback, as it was answered.
struct CallbackReport {
  UnixTime received_at = 0;
  std::string account; // empty for a request that reached no hook (404, 413)
  domain::Platform platform = domain::Platform::telegram;
  std::string method, path;
  int status = 0;
  int received = 0; // messages in the callback
  int stored = 0;   // new ones (received - stored were duplicates)
  std::string note; // decide()'s note, or the store's error
  std::vector<std::string> texts; // text of each message received
  std::string body; // the raw request body (for --print; holds no secret)
  std::optional<int> forward_status; // --forward-to: the endpoint's HTTP status
  std::string forward_error;         // --forward-to: why it could not be reached
};

using Reporter = std::function<void(const CallbackReport&)>;

class Listener
{
public:
  // `store` and `clock` must outlive the listener. `forwarder` sends --forward-to requests (a
  // CurlTransport when null).
  Listener(store::Store& store, const Clock& clock, std::vector<Hook> hooks, ListenOptions options,
           Reporter report, std::shared_ptr<http::Transport> forwarder = nullptr);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Opens the record file, binds and starts serving on a background thread; returns the port.
  Result<int> start();
  void stop();

private:
  void handle(const Hook& hook, const HookRequest& request, int& status, std::string& body,
              std::string& content_type);
  void forward(const HookRequest& request, CallbackReport& report);

  store::Store& m_store;
  const Clock& m_clock;
  std::vector<Hook> m_hooks;
  ListenOptions m_options;
  Reporter m_report;
  std::shared_ptr<http::Transport> m_forwarder;
  std::mutex m_mutex;         // store, record file, report
  std::mutex m_forward_mutex; // the forwarder (a transport is not shared between threads)
  std::unique_ptr<httplib::Server> m_server;
  std::thread m_thread;
  std::FILE* m_record = nullptr;
};

} // namespace svc::callbacks
