#include "sandbox_fixture.hpp"

namespace sandbox_test_control {

using sandbox_test::Sandbox;

namespace {

svc::sandbox::Options
world(int size, std::uint64_t seed)
{
  svc::sandbox::Options o;
  o.world_size = size;
  o.seed = seed;
  return o;
}

} // namespace

TEST_CASE("sandbox::Server", "[sandbox]")
{
  SECTION("the start-up JSON has a loopback url and the three accounts")
  {
    Sandbox sb(world(10, 1));
    CHECK(sb.creds["url"] == "http://127.0.0.1:" + std::to_string(sb.server->port()));
    CHECK(sb.creds["accounts"].size() == 3);
    CHECK(sb.account("weibo", "token").rfind("2.00", 0) == 0);
    CHECK(sb.account("wechat", "app_id").rfind("wx", 0) == 0);
    CHECK(sb.account("telegram", "token").find(':') != std::string::npos);
    CHECK(sb.get("/_sandbox/credentials") == sb.creds);
  }
  SECTION("the same seed gives the same world; another seed another")
  {
    Sandbox a(world(150, 3)), b(world(150, 3)), c(world(150, 4));
    auto ma = a.get("/_sandbox/messages");
    CHECK(ma.size() == 150);
    CHECK(ma == b.get("/_sandbox/messages"));
    CHECK(ma != c.get("/_sandbox/messages"));
    a.creds.erase("url");
    b.creds.erase("url");
    c.creds.erase("url");
    CHECK(a.creds == b.creds);
    CHECK(a.creds != c.creds);
    std::set<std::string> platforms;
    for (const auto& m : ma) {
      platforms.insert(m["platform"].get<std::string>() + "/" + m["channel"].get<std::string>());
      CHECK(m["created_at"].get<std::string>().back() == 'Z');
    }
    CHECK(platforms == std::set<std::string>{"telegram/dm", "wechat/dm", "weibo/comment", "weibo/dm", "weibo/mention"});
  }
  SECTION("a port in use is a temporary error")
  {
    Sandbox sb(world(5, 1));
    svc::sandbox::Options o = world(5, 1);
    o.port = sb.server->port();
    svc::sandbox::Server second(o);
    auto port = second.start();
    REQUIRE_FALSE(port);
    CHECK(port.error().kind == svc::ErrorKind::temporary);
  }
  SECTION("a non-loopback bind is refused")
  {
    svc::sandbox::Options o = world(5, 1);
    o.bind = "0.0.0.0";
    svc::sandbox::Server s(o);
    auto port = s.start();
    REQUIRE_FALSE(port);
    CHECK(port.error().kind == svc::ErrorKind::usage);
  }
}

TEST_CASE("sandbox::inject", "[sandbox]")
{
  Sandbox sb(world(40, 2));
  std::string weibo = "access_token=" + sb.weibo_token();

  SECTION("a weibo comment appears in comments/to_me and in /_sandbox/messages")
  {
    auto r = sb.post_json("/_sandbox/inject",
                          {{"platform", "weibo"}, {"channel", "comment"}, {"from", "测试用户🐼"}, {"text", "有优惠吗？"}});
    auto top = sb.get("/2/comments/to_me.json?count=1&" + weibo)["comments"][0];
    CHECK(top["idstr"] == r["platform_message_id"]);
    CHECK(top["text"] == "有优惠吗？");
    CHECK(top["user"]["screen_name"] == "测试用户🐼");
    CHECK(top["user"]["idstr"] == r["from_id"]);
    auto all = sb.get("/_sandbox/messages");
    CHECK(all.back()["platform_message_id"] == r["platform_message_id"]);
    CHECK(all.back()["from"] == "测试用户🐼");
  }
  SECTION("a weibo mention appears in statuses/mentions; the same name is the same fan")
  {
    auto first = sb.post_json("/_sandbox/inject", {{"platform", "weibo"}, {"channel", "mention"}, {"from", "Zed"}, {"text", "one"}});
    auto second = sb.post_json("/_sandbox/inject", {{"platform", "weibo"}, {"channel", "mention"}, {"from", "Zed"}, {"text", "two"}});
    CHECK(first["from_id"] == second["from_id"]);
    auto top = sb.get("/2/statuses/mentions.json?count=1&" + weibo)["statuses"][0];
    CHECK(top["idstr"] == second["platform_message_id"]);
    CHECK(top["text"].get<std::string>().find("two") != std::string::npos);
  }
  SECTION("a weibo dm is stored although no API lists it")
  {
    auto r = sb.post_json("/_sandbox/inject", {{"platform", "weibo"}, {"channel", "dm"}, {"from", "私信人"}, {"text", "私信内容"}});
    CHECK(r["object"]["type"] == "text");
    CHECK(sb.inbound("weibo", "dm").back()["text"] == "私信内容");
  }
  SECTION("a wechat dm appears in getmsglist, from_id chooses the user")
  {
    std::string token = sb.wechat_token();
    std::string openid = sb.get("/cgi-bin/user/get?access_token=" + token)["data"]["openid"][3];
    auto r = sb.post_json("/_sandbox/inject", {{"platform", "wechat"}, {"channel", "dm"}, {"from", "ignored"},
                                                {"from_id", openid}, {"text", "微信消息"}});
    CHECK(r["from_id"] == openid);
    std::int64_t t = r["object"]["time"];
    auto recs = sb.post_json("/customservice/msgrecord/getmsglist?access_token=" + token,
                             {{"starttime", t}, {"endtime", t}, {"msgid", 1}, {"number", 100}})["recordlist"];
    REQUIRE_FALSE(recs.empty());
    CHECK(recs.back()["openid"] == openid);
    CHECK(recs.back()["text"] == "微信消息");
    CHECK(recs.back()["opercode"] == 2003);
    CHECK(r["platform_message_id"] == openid + ":" + std::to_string(t) + ":0");
  }
  SECTION("a telegram dm becomes an update")
  {
    auto r = sb.post_json("/_sandbox/inject", {{"platform", "telegram"}, {"channel", "dm"}, {"from", "Mario Bros"}, {"text", "ciao"}});
    auto last = sb.get(sb.bot() + "/getUpdates?offset=-1")["result"][0]["message"];
    CHECK(last["text"] == "ciao");
    CHECK(last["from"]["first_name"] == "Mario");
    CHECK(last["from"]["last_name"] == "Bros");
    CHECK(r["platform_message_id"] == last["chat"]["id"].dump() + ":" + last["message_id"].dump());
  }
  SECTION("bad requests are refused and change nothing")
  {
    auto before = sb.get("/_sandbox/messages").size();
    sb.post_json("/_sandbox/inject", {{"platform", "wechat"}, {"channel", "comment"}, {"from", "x"}, {"text", "y"}}, 400);
    sb.post_json("/_sandbox/inject", {{"platform", "weibo"}, {"channel", "comment"}, {"from", "x"}, {"text", ""}}, 400);
    auto res = sb.client->Post("/_sandbox/inject", "not json", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
    CHECK(sb.get("/_sandbox/messages").size() == before);
  }
  SECTION("/_sandbox/messages is the same document as the library's, escapes included")
  {
    sb.post_json("/_sandbox/inject", {{"platform", "weibo"}, {"channel", "comment"}, {"from", "Q \"quote\""},
                                      {"text", "line\none\ttab \\ back \x01 ✓"}});
    auto http = sb.get("/_sandbox/messages");
    CHECK(http == sb.server->messages());
    CHECK(http.back()["text"] == "line\none\ttab \\ back \x01 ✓");
    CHECK(sb.get("/_sandbox/messages?platform=wechat").size() == sb.inbound("wechat").size());
  }
  SECTION("the library API injects too")
  {
    auto r = sb.server->inject({"telegram", "dm", "Lib", "from the library", ""});
    REQUIRE(r);
    CHECK(sb.server->messages().back()["text"] == "from the library");
    CHECK_FALSE(sb.server->inject({"x", "dm", "a", "b", ""}));
  }
}

TEST_CASE("sandbox::traffic", "[sandbox]")
{
  svc::sandbox::Options o = world(20, 9);
  o.rate_per_s = 200;
  Sandbox sb(o);
  // Wait (bounded) for the generator instead of sleeping a fixed time.
  std::size_t n = 0;
  for (int i = 0; i < 500 && n < 30; ++i) {
    n = sb.get("/_sandbox/messages").size();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(n >= 30);
  sb.server->stop();
  auto after = sb.server->messages().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(sb.server->messages().size() == after);
}

}  // namespace sandbox_test_control
