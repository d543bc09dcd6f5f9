// The Weibo fans service push body -> inbound message mapping.
#include <catch2/catch.hpp>

#include <svc/callbacks/weibo_push.hpp>

namespace callbacks_test_weibo_push {

using namespace svc::callbacks;

TEST_CASE("callbacks::map_weibo_push", "[callbacks]")
{
  SECTION("the documented text push")
  {
    auto m = map_weibo_push(R"({"type":"text","receiver_id":1902538057,"sender_id":2489518277,
      "created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"私信内容","data":{}})");
    REQUIRE(m.has_value());
    REQUIRE(m->has_value());
    const auto& msg = **m;
    CHECK(msg.channel == svc::domain::ChannelKind::dm);
    CHECK(msg.direction == svc::domain::Direction::in);
    CHECK(msg.kind == "text");
    CHECK(msg.text == "私信内容");
    CHECK(msg.author.id == "2489518277");
    CHECK(msg.thread_key == "2489518277");
    CHECK(msg.created_at == 1342433360); // 2012-07-16 10:09:20 UTC
    CHECK(msg.platform_message_id == "dm:2489518277:1342433360");
    CHECK(msg.raw.at("receiver_id") == 1902538057);
  }
  SECTION("a string sender_id is the same sender")
  {
    auto m = map_weibo_push(R"({"type":"text","sender_id":"2489518277","created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"x"})");
    REQUIRE(m.has_value());
    REQUIRE(m->has_value());
    CHECK((*m)->platform_message_id == "dm:2489518277:1342433360");
  }
  SECTION("an event is kept as kind event, with its own id")
  {
    auto m = map_weibo_push(R"({"type":"event","receiver_id":1,"sender_id":42,
      "created_at":"Mon Jul 16 18:09:20 +0800 2012","text":"关注事件消息","data":{"subtype":"click","key":"MENU_1"}})");
    REQUIRE(m.has_value());
    REQUIRE(m->has_value());
    CHECK((*m)->kind == "event");
    CHECK((*m)->text == "click MENU_1");
    CHECK((*m)->platform_message_id == "dm:42:1342433360:event:click");
  }
  SECTION("a position without text gets a placeholder and kind location")
  {
    auto m = map_weibo_push(R"({"type":"position","sender_id":42,"created_at":"Mon Jul 16 18:09:20 +0800 2012",
      "data":{"longitude":"116.308586","latitude":"39.982525"}})");
    REQUIRE(m.has_value());
    REQUIRE(m->has_value());
    CHECK((*m)->kind == "location");
    CHECK((*m)->text == "[location]");
  }
  SECTION("an unknown type is ignored, not an error")
  {
    auto m = map_weibo_push(R"({"type":"hologram","sender_id":42,"created_at":"Mon Jul 16 18:09:20 +0800 2012"})");
    REQUIRE(m.has_value());
    CHECK_FALSE(m->has_value());
  }
  SECTION("malformed bodies are usage errors")
  {
    for (const char* body : {"", "not json", "[]", "{}", R"({"type":1})",
                             R"({"type":"text","created_at":"Mon Jul 16 18:09:20 +0800 2012"})",
                             R"({"type":"text","sender_id":42})",
                             R"({"type":"text","sender_id":42,"created_at":"yesterday"})",
                             R"({"type":"text","sender_id":{},"created_at":"Mon Jul 16 18:09:20 +0800 2012"})"}) {
      INFO(body);
      auto m = map_weibo_push(body);
      REQUIRE_FALSE(m.has_value());
      CHECK(m.error().kind == svc::ErrorKind::usage);
    }
  }
}

}  // namespace callbacks_test_weibo_push
