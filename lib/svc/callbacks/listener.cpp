#include <svc/callbacks/listener.hpp>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>
#include <httplib.h>

#include <svc/callbacks/record.hpp>
#include <svc/http/curl_transport.hpp>
#include <svc/core/serve.hpp>

namespace svc::callbacks {

namespace {

// Headers that describe the incoming connection rather than the callback: not forwarded.
bool
hop_header(const std::string& name)
{
  static const char* const k_names[] = {"Host", "Content-Length", "Connection", "Transfer-Encoding",
                                        "Keep-Alive", "REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR",
                                        "LOCAL_PORT", "Accept-Encoding"};
  for (const char* n : k_names) {
    if (find_header({{name, ""}}, n)) {
      return true;
    }
  }
  return false;
}

HookRequest
to_hook_request(const httplib::Request& req)
{
  HookRequest r;
  r.method = req.method;
  r.path = req.path;
  auto q = req.target.find('?');
  if (q != std::string::npos) {
    r.query = req.target.substr(q + 1);
  }
  for (const auto& [k, v] : req.params) {
    r.params.emplace(k, v); // keeps the first value of a repeated parameter
  }
  for (const auto& [k, v] : req.headers) {
    r.headers.emplace_back(k, v);
  }
  r.body = req.body;
  return r;
}

} // namespace

Listener::Listener(store::Store& store, const Clock& clock, std::vector<Hook> hooks, ListenOptions options,
                   Reporter report, std::shared_ptr<http::Transport> forwarder)
  : m_store(store), m_clock(clock), m_hooks(std::move(hooks)), m_options(std::move(options)),
    m_report(std::move(report)), m_forwarder(std::move(forwarder)), m_server(std::make_unique<httplib::Server>())
{
  if (!m_options.forward_to.empty() && !m_forwarder) {
    m_forwarder = std::make_shared<http::CurlTransport>();
  }
}

Listener::~Listener()
{
  stop();
}

Result<int>
Listener::start()
{
  if (!m_options.record_path.empty()) {
    m_record = std::fopen(m_options.record_path.c_str(), "a");
    if (!m_record) {
      return make_error(ErrorKind::usage, "cannot open the record file '{}': {}", m_options.record_path,
                        std::strerror(errno));
    }
  }
  m_server->set_payload_max_length(m_options.max_body);
  m_server->set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("internal error", "text/plain");
  });
  auto route = [this](const httplib::Request& req, httplib::Response& res) {
    std::string name = req.matches.size() > 1 ? std::string(req.matches[1]) : std::string();
    for (const auto& hook : m_hooks) {
      if (hook.account.name == name) {
        std::string body, content_type;
        handle(hook, to_hook_request(req), res.status, body, content_type);
        res.set_content(body, content_type.c_str());
        return;
      }
    }
    res.status = 404;
    res.set_content("no account named '" + name + "' is bound", "text/plain");
  };
  // Requests no hook handler saw (unknown paths, bodies over the limit) are still reported; they are
  // not recorded, as there is no account (or no body) to record.
  m_server->set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    if (res.status != 404 && res.status != 413) {
      return;
    }
    CallbackReport report;
    report.received_at = m_clock.now();
    report.method = req.method;
    report.path = req.path;
    report.status = res.status;
    report.note = res.status == 404 ? "no such hook" : fmt::format("body over {} bytes", m_options.max_body);
    std::lock_guard lock(m_mutex);
    if (m_report) {
      m_report(report);
    }
  });
  m_server->Get(R"(/hook/([^/]+))", route);
  m_server->Post(R"(/hook/([^/]+))", route);

  int port = m_options.port;
  if (port == 0) {
    port = m_server->bind_to_any_port(m_options.bind);
  } else if (!m_server->bind_to_port(m_options.bind, port)) {
    port = -1;
  }
  if (port <= 0) {
    return make_error(ErrorKind::usage, "cannot listen on {}:{}", m_options.bind, m_options.port)
      .with_hint("is the port taken, or the address not one of this machine's?");
  }
  m_thread = start_accept_loop(*m_server);
  return port;
}

void
Listener::stop()
{
  if (m_thread.joinable()) {
    m_server->stop();
    m_thread.join();
  }
  if (m_record) {
    std::fclose(m_record);
    m_record = nullptr;
  }
}

void
Listener::handle(const Hook& hook, const HookRequest& request, int& status, std::string& body,
                 std::string& content_type)
{
  HookDecision decision = decide(hook, request);
  CallbackReport report;
  report.received_at = m_clock.now();
  report.account = hook.account.name;
  report.platform = hook.account.platform;
  report.method = request.method;
  report.path = request.path;
  report.note = decision.note;
  report.body = request.body;
  report.received = static_cast<int>(decision.messages.size());
  for (const auto& m : decision.messages) {
    report.texts.push_back(m.text);
  }
  if (decision.status == 200 && !decision.messages.empty()) {
    std::lock_guard lock(m_mutex);
    auto ingested = m_store.messages().ingest(hook.account, "", decision.messages, "", store::Via::callback);
    if (ingested) {
      report.stored = ingested->stored;
    } else {
      // The platform retries a failed push, so nothing is lost by refusing it now.
      decision.status = 500;
      decision.body = "cannot store the callback";
      report.note = ingested.error().message;
    }
  }
  report.status = decision.status;
  if (decision.status == 200 && !m_options.forward_to.empty()) {
    forward(request, report);
  }
  {
    std::lock_guard lock(m_mutex);
    if (m_record) {
      std::string line = record_line(report.received_at, hook.account, request, report.status, report.stored);
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), m_record);
      std::fflush(m_record);
    }
    if (m_report) {
      m_report(report);
    }
  }
  status = decision.status;
  body = std::move(decision.body);
  content_type = std::move(decision.content_type);
}

void
Listener::forward(const HookRequest& request, CallbackReport& report)
{
  http::Request out;
  out.method = request.method == "GET" ? http::Method::get : http::Method::post;
  out.url = m_options.forward_to;
  if (!request.query.empty()) {
    out.url += (out.url.find('?') == std::string::npos ? "?" : "&") + request.query;
  }
  for (const auto& [name, value] : request.headers) {
    if (!hop_header(name)) {
      out.headers.emplace_back(name, value);
    }
  }
  out.body = request.body;
  out.idempotent = false;
  out.timeout = m_options.forward_timeout;
  std::lock_guard lock(m_forward_mutex);
  auto res = m_forwarder->send(out);
  if (res) {
    report.forward_status = res->status;
  } else {
    report.forward_error = res.error().message;
  }
}

} // namespace svc::callbacks
