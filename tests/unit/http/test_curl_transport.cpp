// CurlTransport against a real cpp-httplib server on 127.0.0.1 (port 0 -> any free port), in-process.
#include <catch2/catch.hpp>

#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include <httplib.h>

#include <svc/http/curl_transport.hpp>
#include <svc/core/serve.hpp>

namespace http_test_curl_transport {

using namespace svc::http;
using std::chrono::milliseconds;

namespace {

// "svc gzip test: the quick brown fox jumps over the lazy dog; the quick brown fox jumps over the
// lazy dog." compressed by `gzip -9n`.
const std::string k_plain = "svc gzip test: the quick brown fox jumps over the lazy dog; the quick "
                            "brown fox jumps over the lazy dog.";
const unsigned char k_gzipped[] = {
  0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x2b, 0x2e, 0x4b, 0x56, 0x48, 0xaf,
  0xca, 0x2c, 0x50, 0x28, 0x49, 0x2d, 0x2e, 0xb1, 0x52, 0x28, 0xc9, 0x48, 0x55, 0x28, 0x2c, 0xcd,
  0x4c, 0xce, 0x56, 0x48, 0x2a, 0xca, 0x2f, 0xcf, 0x53, 0x48, 0xcb, 0xaf, 0x50, 0xc8, 0x2a, 0xcd,
  0x2d, 0x28, 0x56, 0xc8, 0x2f, 0x4b, 0x2d, 0x02, 0x4b, 0xe7, 0x24, 0x56, 0x55, 0x2a, 0xa4, 0xe4,
  0xa7, 0x5b, 0x93, 0xa2, 0x58, 0x0f, 0x00, 0x0c, 0xda, 0x8f, 0xc5, 0x68, 0x00, 0x00, 0x00};

class LoopbackServer
{
public:
  LoopbackServer()
  {
    // The transport honours proxy variables; loopback must never go through one.
    setenv("no_proxy", "127.0.0.1,localhost", 1);
    setenv("NO_PROXY", "127.0.0.1,localhost", 1);

    m_server.Get("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.set_header("X-Reply", "yes");
      res.set_content("ua=" + req.get_header_value("User-Agent")
                        + ";x=" + req.get_header_value("X-Test"),
                      "text/plain");
    });
    m_server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_content(req.get_header_value("Content-Type") + "|" + req.body, "text/plain");
    });
    m_server.Get("/gzip", [](const httplib::Request& req, httplib::Response& res) {
      if (req.get_header_value("Accept-Encoding").find("gzip") == std::string::npos) {
        res.status = 406;
        return;
      }
      res.set_header("Content-Encoding", "gzip");
      // A type httplib does not compress itself, so the body goes out exactly as given.
      res.set_content(std::string(reinterpret_cast<const char*>(k_gzipped), sizeof k_gzipped),
                      "application/octet-stream");
    });
    m_server.Get("/missing", [](const httplib::Request&, httplib::Response& res) {
      res.status = 404;
      res.set_content(R"({"error":"not found"})", "application/json");
    });
    m_server.Get("/port", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(std::to_string(req.remote_port), "text/plain");
    });
    auto slow = [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(m_mutex);
      ++m_slow_requests;
      m_cv.notify_all();
      m_cv.wait_for(lock, std::chrono::seconds(5), [this] { return m_release; });
      res.set_content("late", "text/plain");
    };
    m_server.Get("/slow", slow);
    m_server.Post("/slow", slow);

    m_port = m_server.bind_to_any_port("127.0.0.1");
    m_thread = svc::start_accept_loop(m_server);
  }
  ~LoopbackServer()
  {
    release_slow();
    m_server.stop();
    m_thread.join();
  }
  std::string url(const std::string& path) const
  {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }
  void release_slow()
  {
    {
      std::lock_guard lock(m_mutex);
      m_release = true;
    }
    m_cv.notify_all();
  }
  // How many requests reached the slow handler, waiting a while for the first (the client may give up
  // before the server thread has even run the handler).
  int slow_requests()
  {
    std::unique_lock lock(m_mutex);
    m_cv.wait_for(lock, std::chrono::seconds(5), [this] { return m_slow_requests > 0; });
    return m_slow_requests;
  }

private:
  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_release = false;
  int m_slow_requests = 0;
};

Request
make(Method method, std::string url, std::string body = {})
{
  Request r;
  r.method = method;
  r.url = std::move(url);
  r.body = std::move(body);
  r.timeout = milliseconds(5000);
  return r;
}

} // namespace

TEST_CASE("http::CurlTransport", "[http]")
{
  LoopbackServer server;
  CurlTransport curl;

  SECTION("GET: status, headers both ways, User-Agent")
  {
    Request r = make(Method::get, server.url("/echo"));
    r.headers = {{"X-Test", "hello"}};
    auto res = curl.send(r);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body == "ua=svc/" SVC_VERSION ";x=hello");
    CHECK(header_value(res->headers, "x-reply") == "yes");
    CHECK(res->elapsed_ms > 0);
  }

  SECTION("POST: body and content type arrive")
  {
    Request r =
      make(Method::post, server.url("/echo"), form_encode({{"text", "hi there"}, {"n", "1"}}));
    r.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    auto res = curl.send(r);
    REQUIRE(res);
    CHECK(res->status == 201);
    CHECK(res->body == "application/x-www-form-urlencoded|text=hi%20there&n=1");
  }

  SECTION("a gzip body is decoded")
  {
    auto res = curl.send(make(Method::get, server.url("/gzip")));
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(header_value(res->headers, "Content-Encoding")
          == "gzip"); // it was compressed on the wire
    CHECK(res->body == k_plain);
  }

  SECTION("404 is a Response, not an error")
  {
    auto res = curl.send(make(Method::get, server.url("/missing")));
    REQUIRE(res);
    CHECK(res->status == 404);
    CHECK(res->body == R"({"error":"not found"})");
  }

  SECTION("connection reuse: two requests, one connection")
  {
    auto a = curl.send(make(Method::get, server.url("/port")));
    auto b = curl.send(make(Method::get, server.url("/port")));
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->body == b->body); // the same client port: the same TCP connection
    CurlTransport other;
    auto c = other.send(make(Method::get, server.url("/port")));
    REQUIRE(c);
    CHECK(c->body != a->body); // while another transport opens its own
  }

  SECTION("a handler slower than the timeout")
  {
    SECTION("POST: temporary, outcome unknown")
    {
      Request r = make(Method::post, server.url("/slow"), "text=once");
      r.timeout = milliseconds(300);
      r.idempotent = false;
      auto res = curl.send(r);
      REQUIRE_FALSE(res);
      CHECK(res.error().kind == svc::ErrorKind::temporary);
      CHECK(res.error().outcome_unknown);
      CHECK_THAT(res.error().message,
                 Catch::StartsWith("POST http://127.0.0.1:")
                   && Catch::Contains("no reply within 300 ms"));
    }
    SECTION("GET: temporary")
    {
      Request r = make(Method::get, server.url("/slow"));
      r.timeout = milliseconds(300);
      auto res = curl.send(r);
      REQUIRE_FALSE(res);
      CHECK(res.error().kind == svc::ErrorKind::temporary);
    }
    CHECK(server.slow_requests() == 1); // it did reach the server
    server.release_slow();
    // The handle is still good afterwards.
    auto again = curl.send(make(Method::get, server.url("/missing")));
    REQUIRE(again);
    CHECK(again->status == 404);
  }
}

TEST_CASE("http::CurlTransport failures", "[http]")
{
  setenv("no_proxy", "127.0.0.1,localhost", 1);

  SECTION("a closed port: temporary, never sent, no secret in the message")
  {
    CurlTransport curl(CurlOptions{milliseconds(2000), {"HIDDEN"}});
    // Port 1 on loopback: nothing listens there without root.
    Request r =
      make(Method::post, "http://127.0.0.1:1/botSECRET/getMe?access_token=TOKEN&q=HIDDEN", "x=1");
    r.idempotent = false;
    auto res = curl.send(r);
    REQUIRE_FALSE(res);
    const svc::Error& e = res.error();
    CHECK(e.kind == svc::ErrorKind::temporary);
    CHECK_FALSE(e.outcome_unknown);
    CHECK_THAT(e.message, Catch::Contains("could not connect"));
    CHECK_THAT(e.message,
               Catch::StartsWith("POST http://127.0.0.1:1/bot***/getMe?access_token=***&q=***"));
    CHECK(e.message.find("SECRET") == std::string::npos);
    CHECK(e.message.find("TOKEN") == std::string::npos);
    CHECK(e.message.find("HIDDEN") == std::string::npos);
  }

  SECTION("not an http(s) URL: usage")
  {
    CurlTransport curl;
    auto res = curl.send(make(Method::get, "file:///etc/passwd"));
    REQUIRE_FALSE(res);
    CHECK(res.error().kind == svc::ErrorKind::usage);
  }
}

TEST_CASE("http::CurlTransport::user_agent", "[http]")
{
  CHECK(CurlTransport::user_agent() == std::string("svc/") + SVC_VERSION);
}

}  // namespace http_test_curl_transport
