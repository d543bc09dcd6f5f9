// RetryingTransport against a scripted stub Transport, with a fake clock and sleeper: no test sleeps.
#include <catch2/catch.hpp>

#include <deque>

#include <svc/http/retry.hpp>

namespace http_test_retrying_transport {

using namespace svc::http;
using std::chrono::milliseconds;
using svc::ErrorKind;

namespace {

// Returns queued results in order and records the requests; `all_used` is the Verify.
class ScriptedTransport final : public Transport
{
public:
  explicit ScriptedTransport(milliseconds* clock = nullptr, milliseconds per_call = milliseconds(0))
    : m_clock(clock)
    , m_per_call(per_call)
  {}
  void push(svc::Result<Response> r) { m_queue.push_back(std::move(r)); }
  svc::Result<Response> send(const Request& request) override
  {
    calls.push_back(request);
    if (m_clock) {
      *m_clock += m_per_call;
    }
    if (m_queue.empty()) {
      FAIL("ScriptedTransport called more often than scripted");
    }
    svc::Result<Response> r = std::move(m_queue.front());
    m_queue.pop_front();
    return r;
  }
  bool all_used() const { return m_queue.empty(); }
  std::vector<Request> calls;

private:
  std::deque<svc::Result<Response>> m_queue;
  milliseconds* m_clock;
  milliseconds m_per_call;
};

Response
reply(int status, std::string body = {}, Headers headers = {})
{
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

svc::Error
transport_error(bool outcome_unknown, std::string message = "POST http://x/send: failed")
{
  svc::Error e;
  e.kind = ErrorKind::temporary;
  e.message = std::move(message);
  e.outcome_unknown = outcome_unknown;
  return e;
}

struct FakeTime {
  milliseconds now{0};
  std::vector<milliseconds> sleeps;
  std::vector<std::string> notes;
  svc::UnixTime wall = 1'445'412'470; // 2015-10-21T07:27:50Z

  RetryHooks hooks(std::uint64_t seed = 1234)
  {
    RetryHooks h;
    h.sleep = [this](milliseconds d) {
      sleeps.push_back(d);
      now += d;
    };
    h.now = [this] { return now; };
    h.wall_now = [this] { return wall; };
    h.seed = seed;
    h.on_retry = [this](std::string_view line) { notes.emplace_back(line); };
    return h;
  }
};

Request
get(std::string url = "https://api.example.test/2/comments.json?access_token=TOPSECRET")
{
  Request r;
  r.url = std::move(url);
  return r;
}

Request
send_request()
{
  Request r;
  r.method = Method::post;
  r.url = "https://api.example.test/bot123:ABC/sendMessage";
  r.body = "chat_id=1&text=hi";
  r.idempotent = false;
  return r;
}

} // namespace

TEST_CASE("http::RetryingTransport", "[http]")
{
  FakeTime t;
  ScriptedTransport stub;
  const RetryParams params; // 5 attempts, 60 s, 500 ms base

  SECTION("503, 503, 200 -> 200 after three calls, waits from retry_delay")
  {
    stub.push(reply(503));
    stub.push(reply(503));
    stub.push(reply(200, "ok"));
    RetryingTransport rt(stub, params, {}, t.hooks(77));
    auto r = rt.send(get());
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->body == "ok");
    CHECK(stub.calls.size() == 3);
    CHECK(stub.all_used());
    std::mt19937_64 rng(77);
    REQUIRE(t.sleeps.size() == 2);
    CHECK(t.sleeps[0] == retry_delay(params, 1, std::nullopt, rng));
    CHECK(t.sleeps[1] == retry_delay(params, 2, std::nullopt, rng));
    REQUIRE(t.notes.size() == 2);
    CHECK(t.notes[0].find("HTTP 503") != std::string::npos);
    CHECK(t.notes[0].find("attempt 2 of 5") != std::string::npos);
    CHECK(t.notes[0].find("TOPSECRET") == std::string::npos);
    CHECK(t.notes[0].find("access_token=***") != std::string::npos);
  }

  SECTION("429 with Retry-After: 7 waits at least 7 s")
  {
    stub.push(reply(429, "", {{"retry-after", "7"}}));
    stub.push(reply(200));
    RetryingTransport rt(stub, params, {}, t.hooks());
    auto r = rt.send(get());
    REQUIRE(r);
    CHECK(r->status == 200);
    REQUIRE(t.sleeps.size() == 1);
    CHECK(t.sleeps[0] >= milliseconds(7000));
    CHECK(t.sleeps[0] <= milliseconds(7250));
    CHECK(stub.all_used());
  }

  SECTION("503 with an HTTP-date Retry-After")
  {
    stub.push(reply(503, "", {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}));
    stub.push(reply(200));
    RetryingTransport rt(stub, params, {}, t.hooks());
    REQUIRE(rt.send(get()));
    REQUIRE(t.sleeps.size() == 1);
    CHECK(t.sleeps[0] >= milliseconds(10000));
  }

  SECTION("Retry-After on a 500 is not the platform's floor")
  {
    stub.push(reply(500, "", {{"Retry-After", "50"}}));
    stub.push(reply(200));
    RetryingTransport rt(stub, params, {}, t.hooks());
    REQUIRE(rt.send(get()));
    REQUIRE(t.sleeps.size() == 1);
    CHECK(t.sleeps[0] <= milliseconds(500));
  }

  SECTION("attempts budget spent -> Error temporary saying what happened")
  {
    for (int i = 0; i < 5; ++i) {
      stub.push(reply(429));
    }
    RetryingTransport rt(stub, params, {}, t.hooks());
    auto r = rt.send(get());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().http_status == 429);
    CHECK(r.error().hint == "run again later");
    CHECK_THAT(r.error().message,
               Catch::Contains("rate limited by the platform")
                 && Catch::Contains("gave up after 5 attempts in"));
    CHECK(r.error().message.find("TOPSECRET") == std::string::npos);
    CHECK(stub.calls.size() == 5);
    CHECK(t.sleeps.size() == 4);
    CHECK(stub.all_used());
  }

  SECTION("the last transport error is reported with the budget")
  {
    for (int i = 0; i < 3; ++i) {
      stub.push(transport_error(false, "GET http://x/: could not connect"));
    }
    RetryParams three = params;
    three.max_attempts = 3;
    RetryingTransport rt(stub, three, {}, t.hooks());
    auto r = rt.send(get());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK_THAT(r.error().message,
               Catch::StartsWith("GET http://x/: could not connect; gave up after 3 attempts"));
    CHECK(stub.all_used());
  }

  SECTION("time budget spent: no wait that would end past it")
  {
    ScriptedTransport slow(&t.now, milliseconds(100));
    for (int i = 0; i < 2; ++i) {
      slow.push(reply(503, "", {{"Retry-After", "3"}}));
    }
    RetryParams p = params;
    p.max_total = milliseconds(5000);
    RetryingTransport rt(slow, p, {}, t.hooks());
    auto r = rt.send(get());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(slow.calls.size() == 2); // 0.1 s + >=3 s wait + 0.1 s; a second 3 s wait would pass 5 s
    CHECK(t.sleeps.size() == 1);
    CHECK(t.now <= p.max_total);
    CHECK_THAT(r.error().message, Catch::Contains("gave up after 2 attempts in 3."));
    CHECK(r.error().retry_after_s == 3.0);
    CHECK(slow.all_used());
  }

  SECTION("a Retry-After beyond the time budget gives up at once")
  {
    stub.push(reply(429, "", {{"Retry-After", "120"}}));
    RetryingTransport rt(stub, params, {}, t.hooks());
    auto r = rt.send(get());
    REQUIRE_FALSE(r);
    CHECK(t.sleeps.empty());
    CHECK(r.error().hint == "the platform asked to wait 120 s; run again later");
    CHECK(r.error().retry_after_s == 120.0);
  }

  SECTION("non-idempotent + timeout after sending -> one call, outcome unknown")
  {
    stub.push(transport_error(true));
    RetryingTransport rt(stub, params, {}, t.hooks());
    auto r = rt.send(send_request());
    REQUIRE_FALSE(r);
    CHECK(r.error().outcome_unknown);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(stub.calls.size() == 1);
    CHECK(t.sleeps.empty());
  }

  SECTION("idempotent + timeout -> retried")
  {
    stub.push(transport_error(true));
    stub.push(reply(200));
    RetryingTransport rt(stub, params, {}, t.hooks());
    REQUIRE(rt.send(get()));
    CHECK(stub.calls.size() == 2);
  }

  SECTION("non-idempotent + connect refused -> retried")
  {
    stub.push(transport_error(false));
    stub.push(transport_error(false));
    stub.push(reply(200, "sent"));
    RetryingTransport rt(stub, params, {}, t.hooks());
    auto r = rt.send(send_request());
    REQUIRE(r);
    CHECK(r->body == "sent");
    CHECK(stub.calls.size() == 3);
    CHECK(stub.calls[2].body == "chat_id=1&text=hi");
    CHECK(stub.all_used());
  }

  SECTION("non-idempotent + 429 -> retried")
  {
    stub.push(reply(429, "", {{"Retry-After", "2"}}));
    stub.push(reply(200));
    RetryingTransport rt(stub, params, {}, t.hooks());
    REQUIRE(rt.send(send_request()));
    CHECK(stub.calls.size() == 2);
    REQUIRE(t.sleeps.size() == 1);
    CHECK(t.sleeps[0] >= milliseconds(2000));
  }

  SECTION("non-idempotent + 503 -> not repeated, outcome unknown")
  {
    stub.push(reply(503));
    RetryingTransport rt(stub, params, {}, t.hooks());
    auto r = rt.send(send_request());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().outcome_unknown);
    CHECK(r.error().http_status == 503);
    CHECK(r.error().message.find("123:ABC") == std::string::npos);
    CHECK(stub.calls.size() == 1);
  }

  SECTION("classifier-transient 200 -> retried with its floor")
  {
    // WeChat reports "api freq out of limit" as HTTP 200 + errcode 45011.
    ResponseClassifier wechat = [](const Response& r) {
      RetryAdvice a;
      if (r.body.find("\"errcode\":45011") != std::string::npos) {
        a.transient = true;
        a.retry_after_s = 3;
      }
      return a;
    };
    stub.push(reply(200, R"({"errcode":45011,"errmsg":"api freq out of limit"})"));
    stub.push(reply(200, R"({"errcode":0})"));
    RetryingTransport rt(stub, params, wechat, t.hooks());
    auto r = rt.send(send_request());
    REQUIRE(r);
    CHECK(r->body == R"({"errcode":0})");
    CHECK(stub.calls.size() == 2);
    REQUIRE(t.sleeps.size() == 1);
    CHECK(t.sleeps[0] >= milliseconds(3000));
  }

  SECTION("classifier-transient until the budget is spent -> Error temporary")
  {
    ResponseClassifier always = [](const Response&) { return RetryAdvice{true, std::nullopt}; };
    for (int i = 0; i < 5; ++i) {
      stub.push(reply(200, "busy"));
    }
    RetryingTransport rt(stub, params, always, t.hooks());
    auto r = rt.send(get());
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().http_status == 200);
    CHECK_THAT(r.error().message,
               Catch::Contains("busy or rate limited") && Catch::Contains("5 attempts"));
  }

  SECTION("not transient: returned as is after one call")
  {
    SECTION("404")
    {
      stub.push(reply(404, "nope"));
      RetryingTransport rt(stub, params, {}, t.hooks());
      auto r = rt.send(get());
      REQUIRE(r);
      CHECK(r->status == 404);
    }
    SECTION("an error of another kind")
    {
      svc::Error e;
      e.kind = ErrorKind::failed;
      e.message = "TLS certificate verification failed";
      stub.push(e);
      RetryingTransport rt(stub, params, {}, t.hooks());
      auto r = rt.send(get());
      REQUIRE_FALSE(r);
      CHECK(r.error().kind == ErrorKind::failed);
      CHECK(r.error().message == "TLS certificate verification failed");
    }
    CHECK(stub.calls.size() == 1);
    CHECK(t.sleeps.empty());
  }
}

}  // namespace http_test_retrying_transport
