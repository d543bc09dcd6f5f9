// Telegram: update/message mapping on the fixtures, the error envelope, and channel flows (offset
// handling, 429 retry_after, 401, sendMessage shape).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <svc/channels/channel.hpp>
#include <svc/channels/classify.hpp>
#include <svc/channels/telegram/errors.hpp>
#include <svc/channels/telegram/mapping.hpp>

#include "stub_transport.hpp"

namespace channels_test_telegram {

using namespace svc;
using namespace svc::channels::telegram;
using nlohmann::json;

namespace {

json
ok(json result)
{
  return json{{"ok", true}, {"result", std::move(result)}};
}

json
update(const std::string& file)
{
  return json::parse(test::fixture("telegram/" + file));
}

struct Fixture : test::ChannelFixture {
  Fixture() : ChannelFixture(domain::Platform::telegram, "bot", "http://127.0.0.1:9", {"123:ABC", "", ""}, 1700000000) {}
};

const channels::Stream k_updates{"updates", domain::ChannelKind::dm};

} // namespace

TEST_CASE("telegram::parse_updates", "[channels]")
{
  SECTION("update_message_private_text.json")
  {
    auto b = parse_updates(json::array({update("update_message_private_text.json")}));
    REQUIRE(b);
    CHECK(b->next_offset == 123456790);
    const auto& m = b->messages.at(0);
    CHECK(m.platform_message_id == "12345678:123456");
    CHECK(m.thread_key == "12345678");
    CHECK(m.author.id == "12345678");
    CHECK(m.author.name == "Mario Bros");
    CHECK(m.author.username == "MarioLovesPeach");
    CHECK(m.author.language == "it");
    CHECK(m.text == "aaaaaaaaaa");
    CHECK(m.created_at == 1631818904);
    CHECK(m.reply_to.empty());
    CHECK(m.kind == "text");
  }
  SECTION("update_message_command.json")
  {
    auto b = parse_updates(json::array({update("update_message_command.json")}));
    REQUIRE(b);
    CHECK(b->messages.at(0).text == "/test");
    CHECK(b->messages.at(0).author.name == "Luca Patera");
    CHECK(b->messages.at(0).platform_message_id == "10081232:428640");
  }
  SECTION("update_message_supergroup_reply.json: negative chat id, reply_to")
  {
    auto b = parse_updates(json::array({update("update_message_supergroup_reply.json")}));
    REQUIRE(b);
    const auto& m = b->messages.at(0);
    CHECK(m.thread_key == "-1001234567489");
    CHECK(m.platform_message_id == "-1001234567489:68");
    CHECK(m.reply_to == "-1001234567489:66");
    CHECK(m.author.id == "123456");
    CHECK(m.text == "bbbb");
  }
  SECTION("update_edited_message.json: its own id, the original kept apart")
  {
    auto b = parse_updates(json::array({update("update_edited_message.json")}));
    REQUIRE(b);
    const auto& m = b->messages.at(0);
    CHECK(m.platform_message_id == "999999999:23762:edit:1584985245");
    CHECK(m.kind == "edit");
    CHECK(m.created_at == 1584985245);
    CHECK(m.text == "Editing this message");
    CHECK(m.author.name == "Mario"); // no last_name
    CHECK(m.reply_to == "999999999:23758");
    CHECK(message_id_of(m.platform_message_id) == 23762);
  }
  SECTION("updates without a message are skipped but advance the offset; media and captions")
  {
    json photo = update("update_message_private_text.json")["message"];
    photo.erase("text");
    photo["photo"] = json::array({{{"file_id", "x"}}});
    json captioned = photo;
    captioned["caption"] = "看这个 🎉";
    captioned["message_id"] = 2;
    json list = json::array({{{"update_id", 5}, {"callback_query", {{"id", "q"}}}},
                             {{"update_id", 6}, {"message", photo}},
                             {{"update_id", "7"}, {"message", captioned}, {"extra", 1}}});
    auto b = parse_updates(list);
    REQUIRE(b);
    CHECK(b->updates == 3);
    CHECK(b->next_offset == 8);
    REQUIRE(b->messages.size() == 2);
    CHECK(b->messages[0].kind == "photo");
    CHECK(b->messages[0].text == "[photo]");
    CHECK(b->messages[1].text == "看这个 🎉");
  }
  SECTION("bad shapes are errors, not throws")
  {
    CHECK_FALSE(parse_updates(json::object()));
    CHECK_FALSE(parse_updates(json::array({{{"message", {{"text", "x"}}}}})));
    CHECK_FALSE(parse_updates(json::array({{{"update_id", 1}, {"message", {{"text", "x"}}}}})));
  }
}

TEST_CASE("telegram::check_response", "[channels]")
{
  SECTION("error_429_too_many_requests.json: temporary with retry_after")
  {
    auto r = check_response(test::response(429, test::fixture("telegram/error_429_too_many_requests.json")), false, "bot");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().retry_after_s == 14.0);
    auto advice = classify_response(test::response(429, test::fixture("telegram/error_429_too_many_requests.json")));
    CHECK(advice.transient);
    CHECK(advice.retry_after_s == 14.0);
  }
  SECTION("a 429 without parameters: retry after N from the description")
  {
    std::string body = R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 37"})";
    CHECK(check_response(test::response(429, body), false, "bot").error().retry_after_s == 37.0);
    CHECK(classify_response(test::response(429, body)).retry_after_s == 37.0);
  }
  SECTION("error_403_user_deactivated.json and error_400_message_too_long.json: failed with the text")
  {
    auto r403 = check_response(test::response(403, test::fixture("telegram/error_403_user_deactivated.json")), true, "bot");
    REQUIRE_FALSE(r403);
    CHECK(r403.error().kind == ErrorKind::failed);
    CHECK(r403.error().message.find("Forbidden: user is deactivated") != std::string::npos);
    CHECK_FALSE(r403.error().outcome_unknown);
    auto r400 = check_response(test::response(400, test::fixture("telegram/error_400_message_too_long.json")), true, "bot");
    CHECK(r400.error().kind == ErrorKind::failed);
    CHECK(r400.error().message.find("message is too long") != std::string::npos);
    CHECK_FALSE(classify_response(test::response(403, test::fixture("telegram/error_403_user_deactivated.json"))).transient);
  }
  SECTION("401: auth with the re-bind hint")
  {
    auto r = check_response(test::response(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})"), false, "bot");
    CHECK(r.error().kind == ErrorKind::auth);
    CHECK(r.error().hint.find("svc account bind telegram bot") != std::string::npos);
  }
  SECTION("unreadable replies")
  {
    CHECK(check_response(test::response(200, "{\"ok\":tr"), false, "bot").error().kind == ErrorKind::temporary);
    CHECK(check_response(test::response(200, "{\"ok\":tr"), true, "bot").error().outcome_unknown);
    CHECK(check_response(test::response(502, "<html>bad gateway</html>"), false, "bot").error().kind == ErrorKind::temporary);
  }
}

TEST_CASE("telegram::TelegramChannel::fetch", "[channels]")
{
  Fixture f;
  SECTION("no cursor: no offset; the next offset is the highest update_id + 1")
  {
    f.transport.reply(200, ok(json::array({update("update_message_private_text.json"),
                                           update("update_message_command.json")})).dump());
    auto ch = f.channel();
    auto p = ch->fetch(k_updates, "", 2);
    REQUIRE(p);
    CHECK(p->messages.size() == 2);
    CHECK(p->cursor == "144064962");
    CHECK_FALSE(p->done); // a full page: there may be more
    CHECK(f.transport.requests[0].url == "http://127.0.0.1:9/bot123:ABC/getUpdates?limit=2&timeout=0");
  }
  SECTION("with a cursor: offset sent; an empty reply keeps the cursor and is done")
  {
    f.transport.reply(200, ok(json::array()).dump());
    auto ch = f.channel();
    auto p = ch->fetch(k_updates, "144064962", 100);
    REQUIRE(p);
    CHECK(p->messages.empty());
    CHECK(p->done);
    CHECK(p->cursor == "144064962");
    CHECK(test::query_of(f.transport.requests[0].url) == "offset=144064962&limit=100&timeout=0");
  }
  SECTION("a skipped update still advances the offset")
  {
    f.transport.reply(200, ok(json::array({{{"update_id", 41}, {"my_chat_member", json::object()}}})).dump());
    auto ch = f.channel();
    auto p = ch->fetch(k_updates, "40", 100);
    REQUIRE(p);
    CHECK(p->messages.empty());
    CHECK(p->cursor == "42");
    CHECK(p->done);
  }
  SECTION("429: temporary with retry_after_s; 401: auth")
  {
    f.transport.reply(429, test::fixture("telegram/error_429_too_many_requests.json"))
      .reply(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})");
    auto ch = f.channel();
    auto limited = ch->fetch(k_updates, "", 100);
    REQUIRE_FALSE(limited);
    CHECK(limited.error().kind == ErrorKind::temporary);
    CHECK(limited.error().retry_after_s == 14.0);
    CHECK(ch->fetch(k_updates, "", 100).error().kind == ErrorKind::auth);
  }
  SECTION("a bad cursor is usage")
  {
    auto ch = f.channel();
    CHECK(ch->fetch(k_updates, "abc", 100).error().kind == ErrorKind::usage);
  }
}

TEST_CASE("telegram::TelegramChannel::send", "[channels]")
{
  Fixture f;
  json sent = {{"message_id", 69}, {"chat", {{"id", -1001234567489}, {"type", "supergroup"}}},
               {"date", 1714837890}, {"text", "回复 ✅"}};
  SECTION("a reply: chat_id as a number, reply_parameters with the message id")
  {
    f.transport.reply(200, ok(sent).dump());
    auto ch = f.channel();
    domain::Outgoing out;
    out.thread_key = "-1001234567489";
    out.reply_to = "-1001234567489:68";
    out.text = "回复 ✅";
    auto r = ch->send(out);
    REQUIRE(r);
    CHECK(r->platform_message_id == "-1001234567489:69");
    const auto& req = f.transport.requests.at(0);
    CHECK(req.method == http::Method::post);
    CHECK(req.url == "http://127.0.0.1:9/bot123:ABC/sendMessage");
    CHECK_FALSE(req.idempotent);
    CHECK(req.body == R"({"chat_id":-1001234567489,"text":"回复 ✅","reply_parameters":{"message_id":68,"allow_sending_without_reply":true}})");
  }
  SECTION("without reply_to: no reply_parameters")
  {
    f.transport.reply(200, ok(sent).dump());
    auto ch = f.channel();
    domain::Outgoing out;
    out.thread_key = "12345678";
    out.text = "hi";
    REQUIRE(ch->send(out));
    CHECK(f.transport.requests.at(0).body == R"({"chat_id":12345678,"text":"hi"})");
  }
  SECTION("a transport error keeps outcome_unknown; a block is failed")
  {
    Error reset = make_error(ErrorKind::temporary, "connection reset");
    reset.outcome_unknown = true;
    f.transport.fail(reset).reply(403, R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})");
    auto ch = f.channel();
    domain::Outgoing out;
    out.thread_key = "1";
    out.text = "x";
    auto r = ch->send(out);
    REQUIRE_FALSE(r);
    CHECK(r.error().outcome_unknown);
    auto blocked = ch->send(out);
    REQUIRE_FALSE(blocked);
    CHECK(blocked.error().kind == ErrorKind::failed);
    CHECK(blocked.error().message.find("bot was blocked by the user") != std::string::npos);
  }
}

TEST_CASE("telegram::TelegramChannel verify, lookup_user, raw_call", "[channels]")
{
  Fixture f;
  f.transport.reply(200, ok({{"id", 4242}, {"is_bot", true}, {"first_name", "Shop Bot"}, {"username", "shop_bot"}}).dump())
    .reply(200, ok(true).dump());
  auto ch = f.channel();
  auto me = ch->verify();
  REQUIRE(me);
  CHECK(me->id == "4242");
  CHECK(me->username == "shop_bot");
  CHECK(f.transport.requests[0].url == "http://127.0.0.1:9/bot123:ABC/getMe");
  auto look = ch->lookup_user("1", false);
  REQUIRE_FALSE(look);
  CHECK(look.error().kind == ErrorKind::usage);
  CHECK(look.error().message == "Telegram bots cannot look users up");
  auto raw = ch->raw_call("POST", "/deleteWebhook", {{"drop_pending_updates", "true"}}, "");
  REQUIRE(raw);
  CHECK(json::parse(*raw)["result"] == true);
  CHECK(f.transport.requests[1].body == "drop_pending_updates=true");
}

}  // namespace channels_test_telegram
