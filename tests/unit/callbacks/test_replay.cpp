// Reading --record lines back and re-signing them for `svc replay`.
#include <catch2/catch.hpp>

#include <svc/callbacks/replay.hpp>
#include <svc/callbacks/signature.hpp>
#include <svc/core/sha1.hpp>

namespace callbacks_test_replay {

using namespace svc;

namespace {

std::string
param(const std::string& url, const std::string& key)
{
  auto q = url.find('?');
  std::string query = q == std::string::npos ? "" : url.substr(q + 1);
  std::string needle = key + "=";
  for (std::size_t start = 0; start < query.size();) {
    auto amp = query.find('&', start);
    std::string part = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (part.rfind(needle, 0) == 0)
      return part.substr(needle.size());
    if (amp == std::string::npos)
      break;
    start = amp + 1;
  }
  return "";
}

} // namespace

TEST_CASE("callbacks::parse_record_line", "[callbacks][replay]")
{
  auto ok = callbacks::parse_record_line(
    R"({"received_at":"2026-11-22T10:00:00Z","account":"wx","platform":"wechat","method":"POST","path":"/hook/wx",)"
    R"("query":"signature=abc&timestamp=1&nonce=2&openid=o1","headers":{"Content-Type":"text/xml",)"
    R"("X-Telegram-Bot-Api-Secret-Token":"***"},"body":"<xml/>","status":200,"stored":1})");
  REQUIRE(ok.has_value());
  CHECK(ok->account == "wx");
  CHECK(ok->body == "<xml/>");
  REQUIRE(ok->headers.size() == 1); // the redacted secret header is not replayed as "***"
  CHECK(ok->headers[0].first == "Content-Type");

  for (const char* bad : {"", "[]", "{}", R"({"account":"a","platform":"x","method":"POST","path":"/","query":"","body":""})",
                          R"({"account":"a","platform":"wechat","method":"PUT","path":"/","query":"","body":""})"}) {
    INFO(bad);
    auto r = callbacks::parse_record_line(bad);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
  }
}

TEST_CASE("callbacks::resign", "[callbacks][replay]")
{
  std::mt19937_64 rng(42);
  callbacks::RecordedCallback r;
  r.method = "POST";
  r.path = "/hook/wx";
  r.body = "<xml/>";

  SECTION("wechat: fresh timestamp in seconds, nonce, signature with the target's token; other params kept")
  {
    r.platform = "wechat";
    r.query = "signature=old&timestamp=1&nonce=2&openid=o1";
    auto req = callbacks::resign(r, "http://127.0.0.1:9000", "tok", 1795000000123, rng);
    REQUIRE(req.has_value());
    CHECK(req->url.rfind("http://127.0.0.1:9000/hook/wx?", 0) == 0);
    CHECK(param(req->url, "timestamp") == "1795000000");
    CHECK(param(req->url, "openid") == "o1");
    CHECK(callbacks::signature_valid("tok", param(req->url, "signature"), param(req->url, "timestamp"),
                                     param(req->url, "nonce")));
    CHECK(req->body == "<xml/>");
  }

  SECTION("weibo signs milliseconds")
  {
    r.platform = "weibo";
    r.query = "signature=old&timestamp=1&nonce=2";
    auto req = callbacks::resign(r, "http://127.0.0.1:9000/", "appsecret", 1795000000123, rng);
    REQUIRE(req.has_value());
    CHECK(param(req->url, "timestamp") == "1795000000123");
    CHECK(callbacks::signature_valid("appsecret", param(req->url, "signature"), param(req->url, "timestamp"),
                                     param(req->url, "nonce")));
  }

  SECTION("telegram gets the secret header; a full target URL is used as it is")
  {
    r.platform = "telegram";
    r.query = "";
    auto req = callbacks::resign(r, "http://127.0.0.1:9000/elsewhere", "whsecret", 0, rng);
    REQUIRE(req.has_value());
    CHECK(req->url == "http://127.0.0.1:9000/elsewhere");
    CHECK(http::header_value(req->headers, callbacks::k_telegram_secret_header) == "whsecret");
  }

  SECTION("no secret, or a target that is not a URL, is a usage error")
  {
    r.platform = "wechat";
    CHECK(callbacks::resign(r, "http://127.0.0.1:9000", "", 0, rng).error().kind == ErrorKind::usage);
    CHECK(callbacks::resign(r, "127.0.0.1:9000", "tok", 0, rng).error().kind == ErrorKind::usage);
  }
}

}  // namespace callbacks_test_replay
