// /_sandbox/trigger pushes callbacks signed as each platform signs them, to a receiver on loopback.
#include <catch2/catch.hpp>


#include <svc/core/sha1.hpp>

#include "sandbox_fixture.hpp"

namespace sandbox_test_trigger {

using namespace sandbox_test;

namespace {

nlohmann::json
trigger(Sandbox& sb, const nlohmann::json& body, int expect = 200)
{
  auto res = sb.client->Post("/_sandbox/trigger", body.dump(), "application/json");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == expect);
  return nlohmann::json::parse(res->body);
}

} // namespace

TEST_CASE("sandbox::trigger", "[sandbox][trigger]")
{
  Sandbox sb;
  Receiver receiver;

  SECTION("wechat text: signed with the callback token, XML with the text, and kept in the world")
  {
    auto answer = trigger(sb, {{"platform", "wechat"}, {"event", "text"}, {"to", receiver.url("/hook/wx")},
                               {"set", {{"text", "到货了吗？]]> <b>"}}}});
    CHECK(answer["status"] == 200);
    CHECK(answer["body"] == "success");
    REQUIRE(receiver.requests.size() == 1);
    const auto& req = receiver.requests[0];
    CHECK(req.path == "/hook/wx");
    std::string expected = svc::sorted_sha1_signature(
      {sb.account("wechat", "callback_token"), req.get_param_value("timestamp"), req.get_param_value("nonce")});
    CHECK(req.get_param_value("signature") == expected);
    CHECK(req.body.find("<MsgType><![CDATA[text]]></MsgType>") != std::string::npos);
    CHECK(req.body.find("到货了吗？]]]]><![CDATA[> <b>") != std::string::npos); // CDATA split, not broken
    CHECK(req.body.find("<MsgId>" + answer["platform_message_id"].get<std::string>() + "</MsgId>") != std::string::npos);
    auto messages = sb.get("/_sandbox/messages?platform=wechat");
    CHECK(messages.back()["text"] == "到货了吗？]]> <b>");
  }

  SECTION("wechat click event carries its key and is not a message")
  {
    auto before = sb.get("/_sandbox/messages").size();
    trigger(sb, {{"platform", "wechat"}, {"event", "click"}, {"to", receiver.url("/hook/wx")},
                 {"set", {{"event_key", "MENU_1"}}}});
    REQUIRE(receiver.requests.size() == 1);
    CHECK(receiver.requests[0].body.find("<Event><![CDATA[CLICK]]></Event>") != std::string::npos);
    CHECK(receiver.requests[0].body.find("<EventKey><![CDATA[MENU_1]]></EventKey>") != std::string::npos);
    CHECK(sb.get("/_sandbox/messages").size() == before);
  }

  SECTION("weibo text: fans-service JSON signed with the app secret and a millisecond timestamp")
  {
    trigger(sb, {{"platform", "weibo"}, {"event", "text"}, {"to", receiver.url("/hook/wb")}});
    REQUIRE(receiver.requests.size() == 1);
    const auto& req = receiver.requests[0];
    std::string timestamp = req.get_param_value("timestamp");
    CHECK(timestamp.size() == 13);
    CHECK(req.get_param_value("signature")
          == svc::sorted_sha1_signature({sb.account("weibo", "app_secret"), timestamp, req.get_param_value("nonce")}));
    auto body = nlohmann::json::parse(req.body);
    CHECK(body["type"] == "text");
    CHECK(body["receiver_id"].dump() == sb.account("weibo", "uid"));
  }

  SECTION("telegram message: an Update with the webhook secret header, also queued for getUpdates")
  {
    auto answer = trigger(sb, {{"platform", "telegram"}, {"event", "message"}, {"to", receiver.url("/hook/tg")},
                               {"set", {{"text", "webhook hello"}}}});
    REQUIRE(receiver.requests.size() == 1);
    const auto& req = receiver.requests[0];
    CHECK(req.get_header_value("X-Telegram-Bot-Api-Secret-Token") == sb.account("telegram", "webhook_secret"));
    auto update = nlohmann::json::parse(req.body);
    CHECK(update["message"]["text"] == "webhook hello");
    auto polled = sb.get(sb.bot() + "/getUpdates?offset=-1");
    CHECK(polled["result"][0]["update_id"] == update["update_id"]);
  }

  SECTION("refusals: a target off this machine, an unknown event")
  {
    trigger(sb, {{"platform", "wechat"}, {"event", "text"}, {"to", "http://192.0.2.1/hook/wx"}}, 400);
    trigger(sb, {{"platform", "wechat"}, {"event", "dance"}, {"to", receiver.url("/hook/wx")}}, 400);
    CHECK(receiver.requests.empty());
  }
}

}  // namespace sandbox_test_trigger
