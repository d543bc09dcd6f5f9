// WeChat customer-service windows and quotas in the sandbox (platform-apis.md §2.3): a user's message
// allows 5 messages for 48 h, a follow or a menu click 3 for one minute, an unfollow closes them;
// outside a window 45015, past a quota 45047. A fan who never wrote nor followed cannot be written to.
#include <catch2/catch.hpp>

#include <mutex>

#include "sandbox_fixture.hpp"

namespace sandbox_test_wechat_windows {

using sandbox_test::Receiver;
using sandbox_test::Sandbox;

namespace {

// Pushes a WeChat event from the fan called `from`; returns the fan's openid.
std::string
event(Sandbox& sb, Receiver& receiver, const std::string& name, const std::string& from)
{
  sb.post_json("/_sandbox/trigger",
               {{"platform", "wechat"}, {"event", name}, {"to", receiver.url("/hook/wx")}, {"set", {{"from", from}}}});
  std::lock_guard lock(receiver.mutex);
  REQUIRE_FALSE(receiver.requests.empty());
  return receiver.requests.back().get_param_value("openid");
}

int
send(Sandbox& sb, const std::string& openid, const std::string& text)
{
  nlohmann::json msg = {{"touser", openid}, {"msgtype", "text"}, {"text", {{"content", text}}}};
  return sb.post_json("/cgi-bin/message/custom/send?access_token=" + sb.wechat_token(), msg)["errcode"];
}

} // namespace

TEST_CASE("sandbox::wechat custom/send windows and quotas", "[sandbox]")
{
  Sandbox sb;
  Receiver receiver;

  SECTION("a user's message: 5 messages, then 45047 until the user writes again")
  {
    auto injected = sb.post_json("/_sandbox/inject", {{"platform", "wechat"}, {"channel", "dm"}, {"from", "配额测试"},
                                                      {"text", "在吗"}});
    std::string openid = injected["from_id"];
    for (int i = 1; i <= 5; ++i)
      CHECK(send(sb, openid, "reply " + std::to_string(i)) == 0);
    CHECK(send(sb, openid, "reply 6") == 45047);
    sb.clock.advance(3600);
    sb.post_json("/_sandbox/inject", {{"platform", "wechat"}, {"channel", "dm"}, {"from", "配额测试"},
                                      {"text", "还在吗"}});
    CHECK(send(sb, openid, "again") == 0);
    auto sent = sb.get("/_sandbox/sent");
    CHECK(sent.size() == 6); // refused sends are not delivered
  }

  SECTION("a fan who never wrote or followed: 45015")
  {
    std::string openid = event(sb, receiver, "unsubscribe", "路人甲"); // creates the fan, opens nothing
    CHECK(send(sb, openid, "hello") == 45015);
  }

  SECTION("a follow or a menu click: 3 messages within one minute")
  {
    std::string openid = event(sb, receiver, "subscribe", "新粉丝");
    for (int i = 1; i <= 3; ++i)
      CHECK(send(sb, openid, "welcome " + std::to_string(i)) == 0);
    CHECK(send(sb, openid, "welcome 4") == 45047);
    sb.clock.advance(61);
    CHECK(send(sb, openid, "too late") == 45015);
    event(sb, receiver, "click", "新粉丝");
    CHECK(send(sb, openid, "menu answer") == 0);
  }

  SECTION("an unfollow closes the 48 h window")
  {
    auto injected = sb.post_json("/_sandbox/inject", {{"platform", "wechat"}, {"channel", "dm"}, {"from", "要走的人"},
                                                      {"text", "再见"}});
    std::string openid = injected["from_id"];
    CHECK(send(sb, openid, "before") == 0);
    CHECK(event(sb, receiver, "unsubscribe", "要走的人") == openid);
    CHECK(send(sb, openid, "after") == 45015);
  }
}

}  // namespace sandbox_test_wechat_windows
