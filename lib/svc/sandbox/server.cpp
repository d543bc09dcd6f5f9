#include <svc/sandbox/server.hpp>

#include <chrono>

#include <sys/socket.h>

#include <svc/sandbox/http_util.hpp>
#include <svc/sandbox/inject.hpp>
#include <svc/sandbox/routes.hpp>
#include <svc/sandbox/state.hpp>
#include <svc/core/serve.hpp>

namespace svc::sandbox {

namespace {

void
run_traffic(State& state)
{
  std::unique_lock lock(state.mutex);
  auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
    std::chrono::duration<double>(1.0 / state.options.rate_per_s));
  auto next = std::chrono::steady_clock::now();
  while (!state.stopping) {
    next += period;
    if (state.changed.wait_until(lock, next, [&state] { return state.stopping; })) {
      break;
    }
    state.world.add_random_inbound(state.traffic_rng, state.now());
    state.changed.notify_all();
  }
}

} // namespace

Server::Server(Options options) : m_state(std::make_unique<State>(std::move(options)))
{
  State& st = *m_state;
  st.world.generate(st.options.seed, st.options.world_size, st.now());
  add_weibo_routes(st);
  add_wechat_routes(st);
  add_telegram_routes(st);
  add_control_routes(st);
  add_trigger_route(st);
  st.http.Get("/_sandbox/credentials", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, credentials());
  });
  st.http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    send_json(res, {{"error", "sandbox internal error: " + what}}, 500);
  });
  // Unknown paths get the platform's "not found" where there is one (httplib calls this for every
  // status >= 400, so leave bodies the handlers wrote alone).
  st.http.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || res.status != 404) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (req.path.rfind("/2/", 0) == 0) {
      weibo_error(res, 404, 10020, "Request api not found!", req.path);
    } else if (req.path.rfind("/bot", 0) == 0) {
      telegram_error(res, 404, "Not Found");
    } else {
      send_json(res, {{"error", "not found"}, {"path", req.path}}, 404);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  // httplib's default adds SO_REUSEPORT, which would let a second sandbox share a busy port.
  st.http.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // Headers and body go out in two writes: with Nagle's algorithm the body would wait for the client's
  // delayed ACK (about 40 ms per response on Linux).
  st.http.set_tcp_nodelay(true);
  // Short idle keep-alive so that stop() does not wait for idle clients.
  st.http.set_keep_alive_timeout(1);
}

Server::~Server()
{
  stop();
}

Result<int>
Server::start()
{
  State& st = *m_state;
  if (st.listener.joinable()) {
    return st.port;
  }
  if (st.options.bind != "127.0.0.1" && st.options.bind != "localhost") {
    return make_error(ErrorKind::usage, "the sandbox binds to 127.0.0.1 only, not '{}'", st.options.bind);
  }
  if (st.options.port < 0 || st.options.port > 65535) {
    return make_error(ErrorKind::usage, "invalid port {}", st.options.port);
  }
  if (st.options.port == 0) {
    st.port = st.http.bind_to_any_port("127.0.0.1");
  } else {
    st.port = st.http.bind_to_port("127.0.0.1", st.options.port) ? st.options.port : -1;
  }
  if (st.port <= 0) {
    st.port = 0;
    return make_error(ErrorKind::temporary, "cannot listen on 127.0.0.1:{}", st.options.port)
      .with_hint("the port is in use; pick another with --port, or 0 for a free one");
  }
  st.listener = start_accept_loop(st.http);
  if (st.options.rate_per_s > 0) {
    st.traffic = std::thread([&st] { run_traffic(st); });
  }
  return st.port;
}

void
Server::stop()
{
  State& st = *m_state;
  {
    std::lock_guard lock(st.mutex);
    st.stopping = true;
  }
  st.changed.notify_all();
  st.http.stop();
  if (st.listener.joinable()) {
    st.listener.join();
  }
  if (st.traffic.joinable()) {
    st.traffic.join();
  }
}

int
Server::port() const
{
  return m_state->port;
}

std::string
Server::url() const
{
  return "http://127.0.0.1:" + std::to_string(m_state->port);
}

nlohmann::json
Server::credentials() const
{
  const auto& a = m_state->world.accounts;
  return {{"url", url()},
          {"accounts",
           {{{"platform", "weibo"},
             {"token", a.weibo_token},
             {"app_key", a.weibo_app_key},
             {"app_secret", a.weibo_app_secret},
             {"uid", a.weibo_uid},
             {"screen_name", a.weibo_name}},
            {{"platform", "wechat"},
             {"app_id", a.wechat_app_id},
             {"secret", a.wechat_secret},
             {"callback_token", a.wechat_callback_token}},
            {{"platform", "telegram"},
             {"token", a.telegram_token},
             {"username", a.telegram_username},
             {"webhook_secret", a.telegram_webhook_secret}}}}};
}

Result<nlohmann::json>
Server::inject(const InjectRequest& request)
{
  return inject_message(*m_state, request);
}

nlohmann::json
Server::messages() const
{
  std::lock_guard lock(m_state->mutex);
  return inbound_json(m_state->world, "");
}

nlohmann::json
Server::sent() const
{
  std::lock_guard lock(m_state->mutex);
  return nlohmann::json(m_state->sent);
}

} // namespace svc::sandbox
