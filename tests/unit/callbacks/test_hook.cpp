// decide(): the answer to one callback, for each platform, on real fixture payloads, and on truncated
// and corrupted variants of every fixture (it must answer, never crash or throw).
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <random>

#include <svc/callbacks/hook.hpp>
#include <svc/core/sha1.hpp>

#include "support/temp_dir.hpp"

namespace callbacks_test_hook {

using namespace svc::callbacks;
using svc::domain::Platform;

namespace {

const std::filesystem::path k_fixtures = SVC_FIXTURES_DIR;

Hook
hook_for(Platform p, std::optional<std::string> secret)
{
  Hook h;
  h.account.name = "acct";
  h.account.platform = p;
  h.secret = std::move(secret);
  return h;
}

// A request signed the way WeChat and Weibo sign (secret, timestamp, nonce).
HookRequest
signed_request(const std::string& secret, const std::string& method, const std::string& body)
{
  HookRequest r;
  r.method = method;
  r.path = "/hook/acct";
  r.params = {{"timestamp", "1409304348"}, {"nonce", "xxxxxx"},
              {"signature", svc::sorted_sha1_signature({secret, "1409304348", "xxxxxx"})}};
  r.body = body;
  return r;
}

HookRequest
telegram_request(const std::string& secret, const std::string& body)
{
  HookRequest r;
  r.method = "POST";
  r.path = "/hook/acct";
  r.headers = {{"Content-Type", "application/json"}, {"x-telegram-bot-api-secret-token", secret}};
  r.body = body;
  return r;
}

std::string
fixture(const std::string& name)
{
  return svc::test::read_file(k_fixtures / name);
}

} // namespace

TEST_CASE("callbacks::decide wechat", "[callbacks]")
{
  auto hook = hook_for(Platform::wechat, "token");
  SECTION("the GET handshake echoes echostr")
  {
    auto r = signed_request("token", "GET", "");
    r.params["echostr"] = "dnPdpTZz85";
    auto d = decide(hook, r);
    CHECK(d.status == 200);
    CHECK(d.body == "dnPdpTZz85");
    CHECK(d.messages.empty());
  }
  SECTION("a handshake with a bad signature is refused")
  {
    auto r = signed_request("other", "GET", "");
    r.params["echostr"] = "dnPdpTZz85";
    auto d = decide(hook, r);
    CHECK(d.status == 403);
    CHECK(d.body != "dnPdpTZz85");
  }
  SECTION("a signed text message is answered success and carries the message")
  {
    auto d = decide(hook, signed_request("token", "POST", fixture("wechat/callback_msg_text.xml")));
    CHECK(d.status == 200);
    CHECK(d.body == "success");
    REQUIRE(d.messages.size() == 1);
    CHECK(d.messages[0].kind == "text");
    CHECK_FALSE(d.messages[0].platform_message_id.empty());
  }
  SECTION("events: subscribe and menu click")
  {
    for (const char* name : {"wechat/callback_event_subscribe.xml", "wechat/callback_event_click.xml"}) {
      auto d = decide(hook, signed_request("token", "POST", fixture(name)));
      CHECK(d.status == 200);
      REQUIRE(d.messages.size() == 1);
      CHECK(d.messages[0].kind == "event");
    }
  }
  SECTION("a bad signature on a message is refused before parsing")
  {
    auto r = signed_request("token", "POST", fixture("wechat/callback_msg_text.xml"));
    r.params["signature"][0] = r.params["signature"][0] == 'a' ? 'b' : 'a';
    auto d = decide(hook, r);
    CHECK(d.status == 403);
    CHECK(d.messages.empty());
  }
  SECTION("missing signature parameters are refused")
  {
    auto r = signed_request("token", "POST", fixture("wechat/callback_msg_text.xml"));
    r.params.erase("nonce");
    CHECK(decide(hook, r).status == 403);
  }
  SECTION("malformed XML is a 400 with nothing to store")
  {
    auto d = decide(hook, signed_request("token", "POST", "<xml><FromUserName>"));
    CHECK(d.status == 400);
    CHECK(d.messages.empty());
  }
  SECTION("encrypted mode is refused as unreadable")
  {
    auto r = signed_request("token", "POST", "<xml><ToUserName>x</ToUserName><Encrypt>abc</Encrypt></xml>");
    r.params["encrypt_type"] = "aes";
    CHECK(decide(hook, r).status == 400);
  }
  SECTION("an account without a callback token refuses even a correct-looking request")
  {
    auto d = decide(hook_for(Platform::wechat, std::nullopt),
                    signed_request("", "POST", fixture("wechat/callback_msg_text.xml")));
    CHECK(d.status == 403);
    CHECK(d.note.find("callback token") != std::string::npos);
  }
}

TEST_CASE("callbacks::decide weibo", "[callbacks]")
{
  auto hook = hook_for(Platform::weibo, "xyz123xyz");
  SECTION("the documented handshake")
  {
    HookRequest r;
    r.method = "GET";
    r.params = {{"nonce", "57155157"}, {"timestamp", "1397022061823"}, {"echostr", "dnPdpTZz85"},
                {"signature", "90e4c22c90a58f26526c2dd5b6c56c8822edeaa1"}};
    auto d = decide(hook, r);
    CHECK(d.status == 200);
    CHECK(d.body == "dnPdpTZz85");
  }
  SECTION("a text push is acked with an empty body")
  {
    auto d = decide(hook, signed_request("xyz123xyz", "POST",
                                         R"({"type":"text","receiver_id":1,"sender_id":2,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"hi"})"));
    CHECK(d.status == 200);
    CHECK(d.body.empty());
    REQUIRE(d.messages.size() == 1);
    CHECK(d.messages[0].text == "hi");
  }
  SECTION("an unknown type is acked and stores nothing")
  {
    auto d = decide(hook, signed_request("xyz123xyz", "POST",
                                         R"({"type":"new_thing","sender_id":2,"created_at":"Mon Jul 16 18:09:20 +0800 2012"})"));
    CHECK(d.status == 200);
    CHECK(d.messages.empty());
  }
  SECTION("signed with the wrong secret")
  {
    CHECK(decide(hook, signed_request("xyz", "POST", "{}")).status == 403);
  }
  SECTION("malformed JSON")
  {
    CHECK(decide(hook, signed_request("xyz123xyz", "POST", "{\"type\":")).status == 400);
  }
}

TEST_CASE("callbacks::decide telegram", "[callbacks]")
{
  auto hook = hook_for(Platform::telegram, "hook-secret");
  SECTION("an update with the right secret header carries the message as pull keys it")
  {
    auto d = decide(hook, telegram_request("hook-secret", fixture("telegram/update_message_private_text.json")));
    CHECK(d.status == 200);
    REQUIRE(d.messages.size() == 1);
    CHECK(d.messages[0].platform_message_id == "12345678:123456");
  }
  SECTION("a wrong or missing secret header")
  {
    CHECK(decide(hook, telegram_request("hook-secreT", fixture("telegram/update_message_private_text.json"))).status == 403);
    auto r = telegram_request("hook-secret", fixture("telegram/update_message_private_text.json"));
    r.headers.pop_back();
    CHECK(decide(hook, r).status == 403);
  }
  SECTION("an update without a message is acked with nothing to store")
  {
    auto d = decide(hook, telegram_request("hook-secret", R"({"update_id":5,"callback_query":{"id":"1"}})"));
    CHECK(d.status == 200);
    CHECK(d.messages.empty());
  }
  SECTION("not an update")
  {
    CHECK(decide(hook, telegram_request("hook-secret", "[1,2]")).status == 400);
    CHECK(decide(hook, telegram_request("hook-secret", R"({"message":{}})")).status == 400);
    CHECK(decide(hook, telegram_request("hook-secret", "{")).status == 400);
  }
  SECTION("GET is not a webhook")
  {
    auto r = telegram_request("hook-secret", "");
    r.method = "GET";
    CHECK(decide(hook, r).status == 405);
  }
}

TEST_CASE("callbacks::decide survives truncated and corrupted fixtures", "[callbacks]")
{
  std::vector<std::string> bodies;
  for (const auto& dir : {"wechat", "telegram", "weibo"}) {
    for (const auto& entry : std::filesystem::directory_iterator(k_fixtures / dir)) {
      bodies.push_back(svc::test::read_file(entry.path()));
    }
  }
  bodies.push_back(R"({"type":"text","receiver_id":1,"sender_id":2,"created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"hi","data":{}})");
  REQUIRE(bodies.size() > 20);

  std::vector<std::string> variants;
  std::mt19937 rng(20261122);
  for (const auto& body : bodies) {
    variants.push_back(body);
    for (std::size_t cut = 0; cut < body.size(); cut += 7) {
      variants.push_back(body.substr(0, cut));
    }
    for (int i = 0; i < 20 && !body.empty(); ++i) {
      std::string flipped = body;
      for (int k = 0; k < 3; ++k) {
        flipped[rng() % flipped.size()] = static_cast<char>(rng() % 256);
      }
      variants.push_back(std::move(flipped));
    }
  }

  std::map<Platform, int> accepted;
  for (auto p : {Platform::wechat, Platform::weibo, Platform::telegram}) {
    auto hook = hook_for(p, "token");
    for (const auto& body : variants) {
      auto r = p == Platform::telegram ? telegram_request("token", body) : signed_request("token", "POST", body);
      HookDecision d;
      REQUIRE_NOTHROW(d = decide(hook, r));
      CHECK((d.status == 200 || d.status == 400));
      if (d.status == 400) {
        CHECK(d.messages.empty());
      } else {
        ++accepted[p];
      }
    }
  }
  // The intact fixtures of each platform are among the accepted ones.
  CHECK(accepted[Platform::wechat] >= 4);
  CHECK(accepted[Platform::telegram] >= 4);
  CHECK(accepted[Platform::weibo] >= 1);
}

}  // namespace callbacks_test_hook
