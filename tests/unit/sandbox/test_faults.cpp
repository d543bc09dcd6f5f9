#include "sandbox_fixture.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <svc/sandbox/faults.hpp>
#include <svc/sandbox/rate.hpp>

namespace sandbox_test_faults {

using sandbox_test::Sandbox;
using svc::sandbox::parse_faults;

TEST_CASE("sandbox::parse_faults", "[sandbox]")
{
  SECTION("a full spec")
  {
    auto f = parse_faults("rate_limit=0.05,server_error=0.02,latency=20ms,truncate=0.01,"
                          "reset_after_send=0.1,expire_token_after=500");
    REQUIRE(f);
    CHECK(f->rate_limit == Approx(0.05));
    CHECK(f->server_error == Approx(0.02));
    CHECK(f->latency_ms == 20);
    CHECK(f->truncate == Approx(0.01));
    CHECK(f->reset_after_send == Approx(0.1));
    CHECK(f->expire_token_after == 500);
  }
  SECTION("latency units and empty specs")
  {
    CHECK(parse_faults("latency=2s")->latency_ms == 2000);
    CHECK(parse_faults("latency=15")->latency_ms == 15);
    CHECK(parse_faults("")->rate_limit == 0);
    CHECK(parse_faults("none")->latency_ms == 0);
    CHECK(parse_faults(" rate_limit = 1 ")->rate_limit == 1);
  }
  SECTION("bad specs are usage errors with a hint")
  {
    for (const char* spec : {"rate_limit=1.5", "rate_limit=-0.1", "rate_limit=abc", "bogus=1", "latency=fast",
                             "rate_limit", "rate_limit=0.1,,truncate=0.1", "expire_token_after=-3",
                             "expire_token_after=2.5"}) {
      INFO(spec);
      auto f = parse_faults(spec);
      REQUIRE_FALSE(f);
      CHECK(f.error().kind == svc::ErrorKind::usage);
      CHECK_FALSE(f.error().hint.empty());
    }
  }
}

TEST_CASE("sandbox::parse_rate", "[sandbox]")
{
  CHECK(*svc::sandbox::parse_rate("5/s") == Approx(5));
  CHECK(*svc::sandbox::parse_rate("30/m") == Approx(0.5));
  CHECK(*svc::sandbox::parse_rate("36/h") == Approx(0.01));
  CHECK(*svc::sandbox::parse_rate("2.5") == Approx(2.5));
  CHECK(*svc::sandbox::parse_rate("0") == 0);
  for (const char* bad : {"", "fast", "5/d", "-1/s", "/s", "1e9/s"}) {
    INFO(bad);
    auto r = svc::sandbox::parse_rate(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == svc::ErrorKind::usage);
  }
}

namespace {

svc::sandbox::Options
with_faults(const char* spec)
{
  svc::sandbox::Options o;
  o.world_size = 60;
  o.faults = *parse_faults(spec);
  return o;
}

// Sends a raw request and returns everything the server wrote before closing.
std::string
raw_exchange(int port, const std::string& request)
{
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string got;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) {
    got.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return got;
}

} // namespace

TEST_CASE("sandbox::faults", "[sandbox]")
{
  SECTION("rate_limit=1 gives each platform's own rate-limit error and changes nothing")
  {
    Sandbox sb(with_faults("rate_limit=1"));
    auto weibo = sb.get("/2/comments/to_me.json?access_token=" + sb.weibo_token(), 403);
    CHECK(weibo["error_code"] == 10023);
    CHECK(weibo["request"] == "/2/comments/to_me.json");
    auto wechat = sb.get("/cgi-bin/token?grant_type=client_credential&appid=x&secret=y");
    CHECK(wechat["errcode"] == 45011);
    CHECK(wechat["errmsg"].get<std::string>().find("rid: ") != std::string::npos);
    auto tg = sb.post_json(sb.bot() + "/sendMessage", {{"chat_id", 1}, {"text", "hi"}}, 429);
    CHECK(tg["ok"] == false);
    CHECK(tg["error_code"] == 429);
    CHECK(tg["parameters"]["retry_after"].get<int>() >= 1);
    CHECK(sb.server->sent().empty());
  }
  SECTION("server_error=1 gives 5xx (or WeChat's errcode -1)")
  {
    Sandbox sb(with_faults("server_error=1"));
    for (int i = 0; i < 6; ++i) {
      auto res = sb.client->Get("/2/statuses/mentions.json?access_token=" + sb.weibo_token());
      REQUIRE(res);
      CHECK((res->status == 500 || res->status == 502 || res->status == 503));
      auto wx = sb.client->Get("/cgi-bin/user/get?access_token=x");
      REQUIRE(wx);
      bool busy = wx->status == 200 && nlohmann::json::parse(wx->body)["errcode"] == -1;
      CHECK((busy || wx->status >= 500));
    }
  }
  SECTION("truncate=1 returns 200 with unparsable JSON")
  {
    Sandbox sb(with_faults("truncate=1"));
    auto res = sb.client->Get("/2/comments/to_me.json?access_token=" + sb.weibo_token());
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK_FALSE(res->body.empty());
    CHECK(nlohmann::json::parse(res->body, nullptr, false).is_discarded());
  }
  SECTION("reset_after_send=1 records the send but the client gets no reply")
  {
    Sandbox sb(with_faults("reset_after_send=1"));
    // Reads are not sends: they are answered.
    auto page = sb.get("/2/comments/to_me.json?count=5&access_token=" + sb.weibo_token());
    auto first = page["comments"][0];
    auto res = sb.client->Post("/2/comments/reply.json",
                               httplib::Params{{"access_token", sb.weibo_token()},
                                               {"cid", first["idstr"].get<std::string>()},
                                               {"id", first["status"]["idstr"].get<std::string>()},
                                               {"comment", "稍等，马上处理"}});
    CHECK_FALSE(res);
    auto chat = sb.inbound("telegram").at(0)["from_id"].get<std::string>();
    std::string body = nlohmann::json{{"chat_id", chat}, {"text", "raw hello"}}.dump();
    std::string raw = raw_exchange(sb.server->port(), "POST " + sb.bot() + "/sendMessage HTTP/1.1\r\n"
                                                      "Host: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                                      "Content-Length: " + std::to_string(body.size()) +
                                                      "\r\nConnection: close\r\n\r\n" + body);
    CHECK(raw.empty());
    auto sent = sb.get("/_sandbox/sent");
    REQUIRE(sent.size() == 2);
    CHECK(sent[0]["platform"] == "weibo");
    CHECK(sent[0]["text"] == "稍等，马上处理");
    CHECK(sent[0]["fault"] == "reset_after_send");
    CHECK(sent[1]["platform"] == "telegram");
    CHECK(sent[1]["text"] == "raw hello");
  }
  SECTION("latency delays each platform response")
  {
    Sandbox sb(with_faults("latency=60ms"));
    auto t0 = std::chrono::steady_clock::now();
    sb.get(sb.bot() + "/getMe");
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(60));
  }
}

}  // namespace sandbox_test_faults
