// WeChat: record/user mapping, callback XML, error table, and client flows (token cache, token
// refresh on 42001, getmsglist paging and 24 h windows, send shape).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <svc/channels/channel.hpp>
#include <svc/channels/wechat/callback.hpp>
#include <svc/channels/wechat/errors.hpp>
#include <svc/channels/wechat/mapping.hpp>

#include "stub_transport.hpp"

namespace channels_test_wechat {

using namespace svc;
using namespace svc::channels::wechat;
using nlohmann::json;

namespace {

constexpr UnixTime k_now = test::WeChatFixture::k_now;

struct Fixture : test::WeChatFixture {
  Fixture() : WeChatFixture(false) {}
};

const channels::Stream k_records{"msgrecord", domain::ChannelKind::dm};

std::string
records(int n, std::int64_t msgid, std::int64_t first_time = 1400563710)
{
  json list = json::array();
  for (int i = 0; i < n; ++i) {
    list.push_back({{"openid", "oUSER"}, {"opercode", 2003}, {"text", "消息" + std::to_string(i)},
                    {"time", first_time + i}, {"worker", "kf@x"}});
  }
  return json{{"recordlist", list}, {"number", n}, {"msgid", msgid}}.dump();
}

} // namespace

TEST_CASE("wechat::parse_records", "[channels]")
{
  SECTION("customservice_msgrecord_getmsglist_response.json")
  {
    auto page = parse_records(json::parse(test::fixture("wechat/customservice_msgrecord_getmsglist_response.json")));
    REQUIRE(page);
    CHECK(page->number == 2);
    CHECK(page->msgid == 20165267);
    REQUIRE(page->messages.size() == 2);
    const auto& out = page->messages[0];
    CHECK(out.direction == domain::Direction::out);
    CHECK(out.agent == "test1@test");
    CHECK(out.text == " 您好，客服test1为您服务。");
    CHECK(out.created_at == 1400563710);
    CHECK(out.thread_key == "oDF3iY9WMaswOPWjCIp_f3Bnpljk");
    const auto& in = page->messages[1];
    CHECK(in.direction == domain::Direction::in);
    CHECK(in.agent.empty());
    CHECK(in.author.id == "oDF3iY9WMaswOPWjCIp_f3Bnpljk");
    CHECK(in.text == "你好，有什么事情？");
    CHECK(in.platform_message_id.rfind("oDF3iY9WMaswOPWjCIp_f3Bnpljk:1400563731:2003:", 0) == 0);
    CHECK(in.platform_message_id.size() == std::string("oDF3iY9WMaswOPWjCIp_f3Bnpljk:1400563731:2003:").size() + 16);
    // Stable: the same record maps to the same id; a different text to another.
    CHECK(in.platform_message_id == record_message_id("oDF3iY9WMaswOPWjCIp_f3Bnpljk", 1400563731, 2003, "你好，有什么事情？"));
    CHECK(in.platform_message_id != record_message_id("oDF3iY9WMaswOPWjCIp_f3Bnpljk", 1400563731, 2003, "你好"));
  }
  SECTION("session events are skipped, media placeholders set kind, strings as numbers")
  {
    json body = {{"recordlist",
                  json::array({{{"openid", "o1"}, {"opercode", 1000}, {"text", ""}, {"time", 1}},
                               {{"openid", "o1"}, {"opercode", "2003"}, {"text", "[image]"}, {"time", "2"}}})},
                 {"number", 2},
                 {"msgid", "5"}};
    auto page = parse_records(body);
    REQUIRE(page);
    REQUIRE(page->messages.size() == 1);
    CHECK(page->messages[0].kind == "image");
    CHECK(page->messages[0].created_at == 2);
    CHECK(page->records == 2);
    CHECK(page->msgid == 5);
  }
  SECTION("the empty reply")
  {
    auto page = parse_records(json::parse(R"({"recordlist":[],"number":0,"msgid":0})"));
    REQUIRE(page);
    CHECK(page->messages.empty());
  }
}

TEST_CASE("wechat::map_user_info", "[channels]")
{
  json info = json::parse(test::fixture("wechat/user_info_response.json"));
  SECTION("user_info_response.json: nickname when no remark")
  {
    auto u = map_user_info(info);
    CHECK(u.id == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M");
    CHECK(u.name == "Band");
    CHECK(u.gender == "m");
    CHECK(u.location == "中国 广东 广州");
    CHECK(u.language == "zh_CN");
    CHECK(u.extra.at("subscribe_time") == 1382694957);
    CHECK(u.extra.at("tagid_list") == json::array({128, 2}));
    CHECK(u.extra.at("remark") == "");
  }
  SECTION("remark wins; without nickname (post-2021) the openid is the name")
  {
    info["remark"] = "老客户";
    CHECK(map_user_info(info).name == "老客户");
    info["remark"] = "";
    info.erase("nickname");
    info.erase("sex");
    auto u = map_user_info(info);
    CHECK(u.name == "o6_bmjrPTlm6_2sgVt7hMZOPfL2M");
    CHECK(u.gender.empty());
  }
}

TEST_CASE("wechat::parse_callback", "[channels]")
{
  SECTION("callback_msg_text.xml")
  {
    auto m = parse_callback(test::fixture("wechat/callback_msg_text.xml"));
    REQUIRE(m);
    CHECK(m->kind == "text");
    CHECK(m->text == "this is a test");
    CHECK(m->platform_message_id == "1234567890123456");
    CHECK(m->thread_key == "fromUser");
    CHECK(m->author.id == "fromUser");
    CHECK(m->created_at == 1348831860);
    CHECK(m->raw.at("BusinessId") == "1");
  }
  SECTION("callback_msg_image.xml")
  {
    auto m = parse_callback(test::fixture("wechat/callback_msg_image.xml"));
    REQUIRE(m);
    CHECK(m->kind == "image");
    CHECK(m->text == "[image]");
    CHECK(m->raw.at("PicUrl") == "this is a url");
    CHECK(m->raw.at("MediaId") == "media_id");
  }
  SECTION("callback_event_subscribe.xml and callback_event_click.xml")
  {
    auto sub = parse_callback(test::fixture("wechat/callback_event_subscribe.xml"));
    REQUIRE(sub);
    CHECK(sub->kind == "event");
    CHECK(sub->text == "subscribe");
    CHECK(sub->platform_message_id == "FromUser:123456789:subscribe");
    auto click = parse_callback(test::fixture("wechat/callback_event_click.xml"));
    REQUIRE(click);
    CHECK(click->text == "CLICK EVENTKEY");
    CHECK(click->platform_message_id == "FromUser:123456789:CLICK");
  }
  SECTION("malformed XML and missing fields are usage errors")
  {
    for (const char* bad : {"", "<xml><FromUserName>a</FromUserName>", "<notxml/>",
                            "<xml><FromUserName>a</FromUserName><MsgType>text</MsgType></xml>",
                            "<xml><FromUserName>a</FromUserName><CreateTime>1</CreateTime>"
                            "<MsgType>text</MsgType></xml>"}) {
      auto m = parse_callback(bad);
      REQUIRE_FALSE(m);
      CHECK(m.error().kind == ErrorKind::usage);
    }
  }
}

TEST_CASE("wechat::build_text_reply", "[channels]")
{
  std::string xml = build_text_reply("toUser", "fromUser", 12345678, "你好");
  // Same elements and values as reply_text.xml.
  auto strip = [](std::string s) {
    std::string out;
    for (char c : s) {
      if (c != ' ' && c != '\n') {
        out += c;
      }
    }
    return out;
  };
  CHECK(strip(xml) == strip(test::fixture("wechat/reply_text.xml")));
  // Content with "]]>" and markup survives a parse round trip.
  // (A reply with a MsgId added parses as a callback, which joins split CDATA sections.)
  std::string tricky = build_text_reply("o", "gh", 1, "a]]>b<c>&");
  tricky.insert(tricky.find("</xml>"), "<MsgId>9</MsgId>");
  auto back = parse_callback(tricky);
  REQUIRE(back);
  CHECK(back->text == "a]]>b<c>&");
  CHECK(back->thread_key == "gh"); // the reply comes from the account
  CHECK(back->raw.at("ToUserName") == "o");
}

TEST_CASE("wechat::check_response", "[channels]")
{
  auto [code, kind] = GENERATE(table<int, ErrorKind>({
    {40001, ErrorKind::auth},      {40014, ErrorKind::auth},      {42001, ErrorKind::auth},
    {40013, ErrorKind::auth},      {40125, ErrorKind::auth},      {41001, ErrorKind::auth},
    {40164, ErrorKind::auth},      {45009, ErrorKind::temporary}, {45011, ErrorKind::temporary},
    {-1, ErrorKind::temporary},    {45015, ErrorKind::failed},    {65417, ErrorKind::failed},
    {40003, ErrorKind::not_found}, {48001, ErrorKind::failed},
  }));
  json env = {{"errcode", code}, {"errmsg", "text rid: 654df33c-64386a2f-29857782"}};
  auto r = check_response(test::response(200, env.dump()), false, "oa");
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == kind);
  CHECK(r.error().message.find(std::to_string(code)) != std::string::npos);
  if (code == 45015) {
    CHECK(r.error().message.find("outside WeChat's 48-hour customer-service window") != std::string::npos);
  }
  env["errcode"] = std::to_string(code);
  CHECK(check_response(test::response(200, env.dump()), false, "oa").error().kind == kind);
  CHECK(classify_response(test::response(200, env.dump())).transient == (code == 45011 || code == -1));
}

TEST_CASE("wechat::check_response success shapes", "[channels]")
{
  CHECK(check_response(test::response(200, test::fixture("wechat/message_custom_send_response.json")), true, "a"));
  CHECK(check_response(test::response(200, test::fixture("wechat/token.json")), false, "a"));
  auto cut = check_response(test::response(200, "{\"errcode\":0,"), true, "a");
  REQUIRE_FALSE(cut);
  CHECK(cut.error().outcome_unknown);
  CHECK_FALSE(classify_response(test::response(200, test::fixture("wechat/token.json"))).transient);
}

TEST_CASE("wechat::WeChatChannel token", "[channels]")
{
  Fixture f;
  SECTION("fetched once, cached with its expiry, reused")
  {
    f.transport.reply(200, test::fixture("wechat/token.json"))
      .reply(200, R"({"recordlist":[],"number":0,"msgid":0})")
      .reply(200, R"({"recordlist":[],"number":0,"msgid":0})");
    auto ch = f.channel();
    REQUIRE(ch->fetch(k_records, json{{"start", k_now - 100}, {"msgid", 1}}.dump(), 10));
    REQUIRE(ch->fetch(k_records, json{{"start", k_now - 100}, {"msgid", 1}}.dump(), 10));
    REQUIRE(f.transport.requests.size() == 3);
    CHECK(f.transport.requests[0].url
          == "http://127.0.0.1:9/cgi-bin/token?grant_type=client_credential&appid=wxAPP&secret=S3C");
    CHECK(f.tokens.value == std::make_pair(std::string("1234567890"), k_now + 7200));
    CHECK(test::query_of(f.transport.requests[1].url) == "access_token=1234567890");
    CHECK(test::query_of(f.transport.requests[2].url) == "access_token=1234567890");
  }
  SECTION("a cached token with under 60 s left is refreshed")
  {
    f.tokens.value = std::make_pair(std::string("OLD"), k_now + 59);
    f.transport.reply(200, R"({"access_token":"NEW","expires_in":7200})")
      .reply(200, R"({"recordlist":[],"number":0,"msgid":0})");
    auto ch = f.channel();
    REQUIRE(ch->fetch(k_records, "", 10));
    CHECK(test::query_of(f.transport.requests[1].url) == "access_token=NEW");
  }
  SECTION("42001 on a send: refetch the token and retry once")
  {
    f.tokens.value = std::make_pair(std::string("STALE"), k_now + 3000);
    f.transport.reply(200, R"({"errcode":42001,"errmsg":"access_token expired rid: 1"})")
      .reply(200, R"({"access_token":"FRESH","expires_in":7200})")
      .reply(200, R"({"errcode":0,"errmsg":"ok"})");
    auto ch = f.channel();
    domain::Outgoing out;
    out.thread_key = "oUSER";
    out.to_user = "oUSER";
    out.text = "您好 \"quoted\"";
    auto r = ch->send(out);
    REQUIRE(r);
    CHECK(r->platform_message_id.empty());
    CHECK(f.tokens.clears == 1);
    CHECK(f.tokens.value->first == "FRESH");
    REQUIRE(f.transport.requests.size() == 3);
    CHECK(f.transport.requests[0].url == "http://127.0.0.1:9/cgi-bin/message/custom/send?access_token=STALE");
    CHECK(f.transport.requests[2].url == "http://127.0.0.1:9/cgi-bin/message/custom/send?access_token=FRESH");
    CHECK(f.transport.requests[2].body
          == R"({"touser":"oUSER","msgtype":"text","text":{"content":"您好 \"quoted\""}})");
    CHECK_FALSE(f.transport.requests[2].idempotent);
    CHECK(http::header_value(f.transport.requests[2].headers, "Content-Type") == "application/json");
  }
  SECTION("40001 twice: auth")
  {
    f.tokens.value = std::make_pair(std::string("STALE"), k_now + 3000);
    f.transport.reply(200, R"({"errcode":40001,"errmsg":"invalid credential"})")
      .reply(200, R"({"access_token":"FRESH","expires_in":7200})")
      .reply(200, R"({"errcode":40001,"errmsg":"invalid credential"})");
    auto ch = f.channel();
    auto r = ch->lookup_user("oUSER", false);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::auth);
    CHECK(r.error().hint.find("svc account bind wechat oa") != std::string::npos);
  }
  SECTION("a bad secret at the token endpoint: auth; verify returns the app id")
  {
    f.transport.reply(200, R"({"errcode":40125,"errmsg":"invalid appsecret"})")
      .reply(200, test::fixture("wechat/token.json"));
    auto ch = f.channel();
    CHECK(ch->verify().error().kind == ErrorKind::auth);
    auto me = ch->verify();
    REQUIRE(me);
    CHECK(me->id == "wxAPP");
  }
  SECTION("45015 on a send: failed, not outcome_unknown")
  {
    f.tokens.value = std::make_pair(std::string("T"), k_now + 3000);
    f.transport.reply(200, R"({"errcode":45015,"errmsg":"response out of time limit or subscription is canceled"})");
    auto ch = f.channel();
    domain::Outgoing out;
    out.to_user = "oUSER";
    out.text = "x";
    auto r = ch->send(out);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::failed);
    CHECK_FALSE(r.error().outcome_unknown);
  }
  SECTION("a transport timeout on a send keeps outcome_unknown and does not retry")
  {
    f.tokens.value = std::make_pair(std::string("T"), k_now + 3000);
    Error timeout = make_error(ErrorKind::temporary, "timed out");
    timeout.outcome_unknown = true;
    f.transport.fail(timeout);
    auto ch = f.channel();
    domain::Outgoing out;
    out.to_user = "oUSER";
    out.text = "x";
    auto r = ch->send(out);
    REQUIRE_FALSE(r);
    CHECK(r.error().outcome_unknown);
    CHECK(f.transport.requests.size() == 1);
  }
}

TEST_CASE("wechat::WeChatChannel::fetch", "[channels]")
{
  Fixture f;
  f.tokens.value = std::make_pair(std::string("T"), k_now + 7000);

  SECTION("first pull: 7 days back, windows of at most 24 h, msgid paging inside a window")
  {
    f.transport.reply(200, records(2, 30)).reply(200, records(1, 31)).reply(200, records(0, 0));
    auto ch = f.channel();
    auto p1 = ch->fetch(k_records, "", 2);
    REQUIRE(p1);
    CHECK(p1->messages.size() == 2);
    CHECK_FALSE(p1->done);
    json req1 = json::parse(f.transport.requests[0].body);
    CHECK(req1 == json{{"starttime", k_now - 7 * 86400}, {"endtime", k_now - 6 * 86400 - 1},
                       {"msgid", 1}, {"number", 2}});
    CHECK(test::path_of(f.transport.requests[0].url) == "/customservice/msgrecord/getmsglist");
    CHECK(json::parse(p1->cursor) == json{{"start", k_now - 7 * 86400}, {"msgid", 30}});

    auto p2 = ch->fetch(k_records, p1->cursor, 2); // short page: the window is done
    REQUIRE(p2);
    CHECK(json::parse(f.transport.requests[1].body)["msgid"] == 30);
    CHECK(json::parse(p2->cursor) == json{{"start", k_now - 6 * 86400}, {"msgid", 1}});
    CHECK_FALSE(p2->done);

    auto p3 = ch->fetch(k_records, p2->cursor, 2);
    REQUIRE(p3);
    json req3 = json::parse(f.transport.requests[2].body);
    CHECK(req3["starttime"] == k_now - 6 * 86400);
    CHECK(req3["endtime"] == k_now - 5 * 86400 - 1);
    CHECK(req3["endtime"].get<std::int64_t>() - req3["starttime"].get<std::int64_t>() < 86400);
  }
  SECTION("the window that reaches now ends the pull; the next starts a minute back")
  {
    f.transport.reply(200, records(1, 9));
    auto ch = f.channel();
    auto p = ch->fetch(k_records, json{{"start", k_now - 3600}, {"msgid", 1}}.dump(), 50);
    REQUIRE(p);
    CHECK(p->done);
    CHECK(json::parse(f.transport.requests[0].body)["endtime"] == k_now);
    CHECK(json::parse(p->cursor) == json{{"start", k_now - 60}, {"msgid", 1}});
  }
  SECTION("a full page whose msgid does not advance cannot loop")
  {
    f.transport.reply(200, records(2, 1));
    auto ch = f.channel();
    auto p = ch->fetch(k_records, json{{"start", k_now - 3600}, {"msgid", 1}}.dump(), 2);
    REQUIRE(p);
    CHECK(p->done);
  }
  SECTION("65417 (window too long) is failed; a bad cursor is usage")
  {
    f.transport.reply(200, R"({"errcode":65417,"errmsg":"query period exceeds limit"})");
    auto ch = f.channel();
    CHECK(ch->fetch(k_records, "", 10).error().kind == ErrorKind::failed);
    CHECK(ch->fetch(k_records, "[1]", 10).error().kind == ErrorKind::usage);
  }
}

TEST_CASE("wechat::WeChatChannel::lookup_user", "[channels]")
{
  Fixture f;
  f.tokens.value = std::make_pair(std::string("T"), k_now + 7000);
  f.transport.reply(200, test::fixture("wechat/user_info_response.json"));
  auto ch = f.channel();
  auto u = ch->lookup_user("o6_bmjrPTlm6_2sgVt7hMZOPfL2M", false);
  REQUIRE(u);
  CHECK(u->name == "Band");
  CHECK(test::query_of(f.transport.requests[0].url)
        == "access_token=T&openid=o6_bmjrPTlm6_2sgVt7hMZOPfL2M&lang=zh_CN");
  CHECK(ch->lookup_user("Band", true).error().kind == ErrorKind::usage);
}

}  // namespace channels_test_wechat
