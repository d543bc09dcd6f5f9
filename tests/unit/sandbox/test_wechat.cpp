#include "sandbox_fixture.hpp"

#include <map>
#include <set>

namespace sandbox_test_wechat {

using sandbox_test::k_now;
using sandbox_test::Sandbox;

namespace {

svc::sandbox::Options
world(int size)
{
  svc::sandbox::Options o;
  o.world_size = size;
  o.seed = 11;
  return o;
}

} // namespace

TEST_CASE("sandbox::wechat token", "[sandbox]")
{
  Sandbox sb(world(100));
  SECTION("credentials are checked")
  {
    std::string base = "/cgi-bin/token?grant_type=client_credential&appid=" + sb.account("wechat", "app_id");
    CHECK(sb.get(base + "&secret=wrong")["errcode"] == 40125);
    CHECK(sb.get("/cgi-bin/token?grant_type=client_credential&appid=wx0&secret=x")["errcode"] == 40013);
    auto ok = sb.get(base + "&secret=" + sb.account("wechat", "secret"));
    CHECK(ok["expires_in"] == 7200);
    CHECK(ok["access_token"].get<std::string>().size() >= 100);
  }
  SECTION("a new token invalidates the old one after a grace period; tokens expire after 7200 s")
  {
    std::string old_token = sb.wechat_token();
    std::string new_token = sb.wechat_token();
    CHECK(old_token != new_token);
    CHECK_FALSE(sb.get("/cgi-bin/user/get?access_token=" + old_token).contains("errcode"));
    sb.clock.advance(301);
    CHECK(sb.get("/cgi-bin/user/get?access_token=" + old_token)["errcode"] == 40001);
    CHECK_FALSE(sb.get("/cgi-bin/user/get?access_token=" + new_token).contains("errcode"));
    sb.clock.advance(7200);
    CHECK(sb.get("/cgi-bin/user/get?access_token=" + new_token)["errcode"] == 42001);
    CHECK(sb.get("/cgi-bin/user/get?access_token=bogus")["errcode"] == 40001);
    CHECK(sb.get("/cgi-bin/user/get")["errcode"] == 41001);
  }
  SECTION("expire_token_after=N expires a token after N calls")
  {
    auto o = world(50);
    o.faults.expire_token_after = 3;
    Sandbox faulty(o);
    std::string token = faulty.wechat_token();
    for (int i = 0; i < 3; ++i) {
      CHECK_FALSE(faulty.get("/cgi-bin/tags/get?access_token=" + token).contains("errcode"));
    }
    CHECK(faulty.get("/cgi-bin/tags/get?access_token=" + token)["errcode"] == 42001);
    CHECK_FALSE(faulty.get("/cgi-bin/tags/get?access_token=" + faulty.wechat_token()).contains("errcode"));
  }
}

TEST_CASE("sandbox::wechat getmsglist", "[sandbox]")
{
  Sandbox sb(world(600));
  std::string path = "/customservice/msgrecord/getmsglist?access_token=" + sb.wechat_token();

  SECTION("paging by msgid over 24 h windows returns every inbound record exactly once")
  {
    std::multiset<std::string> got;
    int calls = 0;
    for (svc::UnixTime start = k_now - 4 * 86400; start <= k_now; start += 86400) {
      std::int64_t msgid = 1;
      for (;;) {
        auto r = sb.post_json(path, {{"starttime", start}, {"endtime", start + 86399}, {"msgid", msgid}, {"number", 7}});
        REQUIRE(++calls < 5000);
        std::map<std::pair<std::string, std::int64_t>, int> same_second;
        for (const auto& rec : r["recordlist"]) {
          CHECK(rec["time"].get<std::int64_t>() >= start);
          CHECK(rec["time"].get<std::int64_t>() <= start + 86399);
          CHECK(rec["openid"].get<std::string>().size() == 28);
          CHECK(!rec["worker"].get<std::string>().empty());
          if (rec["opercode"] == 2003) {
            std::string openid = rec["openid"];
            std::int64_t t = rec["time"];
            got.insert(openid + ":" + std::to_string(t));
          }
        }
        if (r["number"].get<int>() < 7) {
          break;
        }
        msgid = r["msgid"];
      }
    }
    std::multiset<std::string> expected;
    for (const auto& m : sb.inbound("wechat")) {
      std::string id = m["platform_message_id"];
      expected.insert(id.substr(0, id.rfind(':')));
      CHECK(id.substr(0, 28) == m["from_id"]);
    }
    REQUIRE(expected.size() > 50);
    CHECK(got == expected);
  }
  SECTION("a period over 24 h is refused with 65417")
  {
    auto r = sb.post_json(path, {{"starttime", k_now - 86401}, {"endtime", k_now}, {"msgid", 1}, {"number", 10}});
    CHECK(r["errcode"] == 65417);
    CHECK(sb.post_json(path, {{"starttime", k_now}, {"endtime", k_now}, {"msgid", 1}, {"number", 10001}})
            ["errcode"] == 65416);
  }
}

TEST_CASE("sandbox::wechat custom send, users and tags", "[sandbox]")
{
  Sandbox sb(world(100));
  std::string token = sb.wechat_token();

  SECTION("custom/send works inside the 48 h window after the user's last message, 45015 outside")
  {
    auto injected = sb.post_json("/_sandbox/inject", {{"platform", "wechat"}, {"channel", "dm"}, {"from", "窗口测试"},
                                                      {"text", "在吗？"}});
    std::string openid = injected["from_id"];
    nlohmann::json msg = {{"touser", openid}, {"msgtype", "text"}, {"text", {{"content", "在的，请讲 😊"}}}};
    auto ok = sb.post_json("/cgi-bin/message/custom/send?access_token=" + token, msg);
    CHECK(ok["errcode"] == 0);
    CHECK(ok["errmsg"] == "ok");
    auto sent = sb.get("/_sandbox/sent");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["platform"] == "wechat");
    CHECK(sent[0]["to"] == openid);
    CHECK(sent[0]["text"] == "在的，请讲 😊");

    sb.clock.advance(48 * 3600 + 1);
    token = sb.wechat_token();
    CHECK(sb.post_json("/cgi-bin/message/custom/send?access_token=" + token, msg)["errcode"] == 45015);
    msg["touser"] = "o_unknown";
    CHECK(sb.post_json("/cgi-bin/message/custom/send?access_token=" + token, msg)["errcode"] == 40003);
    CHECK(sb.get("/_sandbox/sent").size() == 1);
  }
  SECTION("user/get and user/info")
  {
    auto list = sb.get("/cgi-bin/user/get?access_token=" + token);
    REQUIRE(list["count"].get<int>() > 20);
    CHECK(list["total"] == list["count"]);
    std::string openid = list["data"]["openid"][0];
    CHECK(list["next_openid"] == list["data"]["openid"].back());
    auto end = sb.get("/cgi-bin/user/get?access_token=" + token + "&next_openid=" + list["next_openid"].get<std::string>());
    CHECK(end["count"] == 0);
    CHECK_FALSE(end.contains("data"));
    auto info = sb.get("/cgi-bin/user/info?lang=zh_CN&access_token=" + token + "&openid=" + openid);
    CHECK(info["openid"] == openid);
    CHECK(info["subscribe"] == 1);
    CHECK_FALSE(info["nickname"].get<std::string>().empty());
    CHECK(info["tagid_list"].is_array());
    CHECK(sb.get("/cgi-bin/user/info?access_token=" + token + "&openid=nope")["errcode"] == 40003);
  }
  SECTION("tags: create, batch tagging (<= 50), getidlist, untagging")
  {
    auto openids = sb.get("/cgi-bin/user/get?access_token=" + token)["data"]["openid"];
    auto created = sb.post_json("/cgi-bin/tags/create?access_token=" + token, {{"tag", {{"name", "退款中"}}}});
    int tagid = created["tag"]["id"];
    CHECK(created["tag"]["name"] == "退款中");
    CHECK(sb.post_json("/cgi-bin/tags/create?access_token=" + token, {{"tag", {{"name", "退款中"}}}})["errcode"] ==
          45157);
    nlohmann::json two = {openids[0], openids[1]};
    CHECK(sb.post_json("/cgi-bin/tags/members/batchtagging?access_token=" + token,
                       {{"openid_list", two}, {"tagid", tagid}})["errcode"] == 0);
    auto ids = sb.post_json("/cgi-bin/tags/getidlist?access_token=" + token, {{"openid", openids[1]}})["tagid_list"];
    CHECK(std::find(ids.begin(), ids.end(), tagid) != ids.end());
    bool counted = false;
    auto tags = sb.get("/cgi-bin/tags/get?access_token=" + token);
    INFO(tags.dump());
    for (const auto& t : tags["tags"]) {
      if (t["id"] == tagid) {
        counted = t["count"] == 2;
      }
    }
    CHECK(counted);
    nlohmann::json many = nlohmann::json::array();
    for (int i = 0; i < 51; ++i) {
      many.push_back(openids[0]);
    }
    CHECK(sb.post_json("/cgi-bin/tags/members/batchtagging?access_token=" + token,
                       {{"openid_list", many}, {"tagid", tagid}})["errcode"] == 40032);
    CHECK(sb.post_json("/cgi-bin/tags/members/batchtagging?access_token=" + token,
                       {{"openid_list", two}, {"tagid", 9999}})["errcode"] == 45159);
    CHECK(sb.post_json("/cgi-bin/tags/members/batchuntagging?access_token=" + token,
                       {{"openid_list", two}, {"tagid", tagid}})["errcode"] == 0);
    ids = sb.post_json("/cgi-bin/tags/getidlist?access_token=" + token, {{"openid", openids[1]}})["tagid_list"];
    CHECK(std::find(ids.begin(), ids.end(), tagid) == ids.end());
  }
}

}  // namespace sandbox_test_wechat
