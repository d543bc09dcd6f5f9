// redact(): known secrets and the patterns that need no list; TraceTransport's -v/-vv lines.
#include <catch2/catch.hpp>

#include <svc/http/redact.hpp>
#include <svc/http/stack.hpp>
#include <svc/http/trace.hpp>

namespace http_test_redact {

using namespace svc::http;
using std::chrono::milliseconds;

TEST_CASE("http::redact", "[http]")
{
  SECTION("patterns, from a table")
  {
    auto [input, expected] = GENERATE(table<std::string, std::string>({
      // query strings and form bodies
      {"https://api.weibo.com/2/comments/to_me.json?access_token=2.00abcDEF&count=50",
       "https://api.weibo.com/2/comments/to_me.json?access_token=***&count=50"},
      {"https://api.weixin.qq.com/cgi-bin/"
       "token?grant_type=client_credential&appid=wx1&secret=S3CR3T",
       "https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=***"},
      {"appid=wx1&appsecret=abc123&x=1", "appid=wx1&appsecret=***&x=1"},
      {"client_secret=zz;refresh_token=yy", "client_secret=***;refresh_token=***"},
      {"ACCESS_TOKEN=upper", "ACCESS_TOKEN=***"},
      {"access_token=", "access_token="},                           // nothing to hide
      {"tokens=1&token_type=bearer", "tokens=1&token_type=bearer"}, // other keys stay
      // JSON
      {R"({"access_token":"2.00abc","expires_in":7200})",
       R"({"access_token":"***","expires_in":7200})"},
      {R"({ "access_token" : "a\"b", "x": "y" })", R"({ "access_token" : "***", "x": "y" })"},
      {R"({"appsecret":"s","password":"p"})", R"({"appsecret":"***","password":"***"})"},
      {R"({"msg":"{\"access_token\":\"inner\"}"})", R"({"msg":"{\"access_token\":\"***\"}"})"},
      {R"({"authorization":"Bearer t"})", R"({"authorization":"***"})"},
      {R"({"openid":"o1","count":3})", R"({"openid":"o1","count":3})"},
      // headers
      {"Authorization: Bearer abc.def\r\nAccept: */*", "Authorization: ***\r\nAccept: */*"},
      {"proxy-authorization:Basic dXNlcjpwYXNz", "proxy-authorization:***"},
      // Telegram's token in the path
      {"https://api.telegram.org/bot123456:ABC-DEF_ghi/getUpdates?offset=5",
       "https://api.telegram.org/bot***/getUpdates?offset=5"},
      {"http://127.0.0.1:1/botSECRET/getMe", "http://127.0.0.1:1/bot***/getMe"},
      {"https:\\/\\/api.telegram.org\\/bot1:X\\/getMe",
       "https:\\/\\/api.telegram.org\\/bot***\\/getMe"},
      {"https://api.telegram.org/bot9:Z", "https://api.telegram.org/bot***"},
      // userinfo
      {"https://user:pa55@proxy.example:8080/x", "https://user:***@proxy.example:8080/x"},
      {"https://host.example/a@b", "https://host.example/a@b"},
      // several in one text
      {"GET https://x/?access_token=A -> error: POST https://x/botB/send",
       "GET https://x/?access_token=*** -> error: POST https://x/bot***/send"},
    }));
    CAPTURE(input);
    CHECK(redact(input, {}) == expected);
    CHECK(redact_patterns(input) == expected);
  }

  SECTION("known secrets, wherever they appear")
  {
    const std::vector<std::string> secrets = {"tok-123:456", "abc", ""};
    CHECK(redact("chat tok-123:456 and abc; abcabc", secrets) == "chat *** and ***; ******");
    CHECK(redact("url?t=tok-123%3A456", secrets) == "url?t=***"); // URL-encoded form too
    CHECK(redact("nothing here", secrets) == "nothing here");
    // The longer secret wins over one it contains.
    CHECK(redact("xx-secret-long", {"secret", "xx-secret-long"}) == "***");
  }
}

namespace {

class FixedTransport final : public Transport
{
public:
  explicit FixedTransport(svc::Result<Response> r, milliseconds* clock)
    : m_result(std::move(r))
    , m_clock(clock)
  {}
  svc::Result<Response> send(const Request&) override
  {
    *m_clock += milliseconds(123);
    return m_result;
  }

private:
  svc::Result<Response> m_result;
  milliseconds* m_clock;
};

} // namespace

TEST_CASE("http::TraceTransport", "[http]")
{
  milliseconds now{1000};
  std::vector<std::string> lines;
  auto log = [&](std::string_view line) { lines.emplace_back(line); };
  auto clock = [&] { return now; };
  const std::vector<std::string> secrets = {"MYSECRET"};

  Request get;
  get.url = "https://api.weibo.com/2/comments/to_me.json?access_token=2.00tok";
  Request post;
  post.method = Method::post;
  post.url = "https://api.telegram.org/bot42:XYZ/sendMessage";
  post.body = R"({"chat_id":1,"text":"my key is MYSECRET"})";
  Response ok;
  ok.status = 200;
  ok.body = R"({"access_token":"2.00new","uid":7})";

  SECTION("-v: one line per request")
  {
    FixedTransport inner(ok, &now);
    TraceTransport trace(inner, 1, log, secrets, clock);
    auto r = trace.send(get);
    REQUIRE(r);
    CHECK(r->body == ok.body); // the caller still gets the real body
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]
          == "GET https://api.weibo.com/2/comments/to_me.json?access_token=*** -> 200 (123 ms)");
  }

  SECTION("-v: a transport failure shows the error")
  {
    svc::Error e;
    e.kind = svc::ErrorKind::temporary;
    e.message =
      "POST https://api.telegram.org/bot42:XYZ/sendMessage: no reply within 300 ms (MYSECRET)";
    FixedTransport inner(e, &now);
    TraceTransport trace(inner, 1, log, secrets, clock);
    REQUIRE_FALSE(trace.send(post));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0]
          == "POST https://api.telegram.org/bot***/sendMessage -> error: POST "
             "https://api.telegram.org/bot***/sendMessage: no reply within 300 ms (***) (123 ms)");
  }

  SECTION("-vv: bodies too, redacted")
  {
    FixedTransport inner(ok, &now);
    TraceTransport trace(inner, 2, log, secrets, clock);
    REQUIRE(trace.send(post));
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "POST https://api.telegram.org/bot***/sendMessage -> 200 (123 ms)");
    CHECK(lines[1] == R"(> {"chat_id":1,"text":"my key is ***"})");
    CHECK(lines[2] == R"(< {"access_token":"***","uid":7})");
  }

  SECTION("-vv: long bodies are cut")
  {
    Response big;
    big.status = 200;
    big.body = std::string(k_trace_body_limit + 10, 'x');
    FixedTransport inner(big, &now);
    TraceTransport trace(inner, 2, log, secrets, clock);
    REQUIRE(trace.send(get));
    REQUIRE(lines.size() == 2);
    CHECK(lines[1].size() < k_trace_body_limit + 40);
    CHECK_THAT(lines[1], Catch::EndsWith("x … (10 more bytes)"));
  }

  SECTION("verbosity 0: silent")
  {
    FixedTransport inner(ok, &now);
    TraceTransport trace(inner, 0, log, secrets, clock);
    REQUIRE(trace.send(get));
    CHECK(lines.empty());
  }

  SECTION("the stack shows each attempt and the retry notes")
  {
    class Flaky final : public Transport
    {
    public:
      svc::Result<Response> send(const Request&) override
      {
        Response r;
        r.status = ++m_calls < 3 ? 503 : 200;
        return r;
      }

    private:
      int m_calls = 0;
    } flaky;
    StackOptions o;
    o.verbosity = 1;
    o.log = log;
    o.secrets = secrets;
    o.hooks.sleep = [](milliseconds) {};
    o.hooks.now = clock;
    o.hooks.seed = 5;
    auto stack = make_http_stack(flaky, o);
    auto r = stack->send(get);
    REQUIRE(r);
    CHECK(r->status == 200);
    REQUIRE(lines.size() == 5); // attempt, note, attempt, note, attempt
    CHECK_THAT(lines[0], Catch::EndsWith("-> 503 (0 ms)"));
    CHECK_THAT(lines[1], Catch::Contains("retrying in") && Catch::Contains("attempt 2 of 5"));
    CHECK_THAT(lines[4], Catch::EndsWith("-> 200 (0 ms)"));
    for (const auto& line : lines) {
      CHECK(line.find("2.00tok") == std::string::npos);
    }
  }
}

TEST_CASE("http::truncate_for_trace", "[http]")
{
  CHECK(truncate_for_trace("short", 10) == "short");
  CHECK(truncate_for_trace("0123456789", 4) == "0123 … (6 more bytes)");
  // "é" is two bytes: a cut inside it backs up to the character's start.
  CHECK(truncate_for_trace("aé", 2) == "a … (2 more bytes)");
}

}  // namespace http_test_redact
