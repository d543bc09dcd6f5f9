// The sandbox's POST /cgi-bin/user/info/batchget (platform-apis.md §2.5): the same user objects as
// user/info in the order asked, unknown openids as unfollowed users, the 100 limit and its errors.
#include "sandbox_fixture.hpp"

namespace sandbox_test_wechat_batchget {

using sandbox_test::Sandbox;
using nlohmann::json;

namespace {

svc::sandbox::Options
world(int size)
{
  svc::sandbox::Options o;
  o.world_size = size;
  o.seed = 12;
  return o;
}

json
user_list(const json& openids)
{
  json list = json::array();
  for (const auto& id : openids)
    list.push_back({{"openid", id}, {"lang", "zh_CN"}});
  return {{"user_list", list}};
}

} // namespace

TEST_CASE("sandbox::wechat user/info/batchget", "[sandbox]")
{
  Sandbox sb(world(60));
  std::string token = sb.wechat_token();
  std::string path = "/cgi-bin/user/info/batchget?access_token=" + token;
  json openids = sb.get("/cgi-bin/user/get?access_token=" + token)["data"]["openid"];
  REQUIRE(openids.size() > 10);
  // n openids: the world's fans first, then unknown ones.
  auto first_n = [&openids](std::size_t n) {
    json list = json::array();
    for (std::size_t i = 0; i < n; ++i)
      list.push_back(i < openids.size() ? openids[i].get<std::string>() : "o_unknown" + std::to_string(i));
    return list;
  };

  SECTION("each user as user/info gives it, in the order asked; an unknown openid is unfollowed")
  {
    json asked = {openids[5], "o_unknown", openids[0]};
    auto got = sb.post_json(path, user_list(asked));
    REQUIRE(got["user_info_list"].size() == 3);
    CHECK(got["user_info_list"][0] == sb.get("/cgi-bin/user/info?lang=zh_CN&access_token=" + token + "&openid=" +
                                             openids[5].get<std::string>()));
    CHECK(got["user_info_list"][2]["openid"] == openids[0]);
    CHECK_FALSE(got["user_info_list"][2]["nickname"].get<std::string>().empty());
    CHECK(got["user_info_list"][1] == json{{"subscribe", 0}, {"openid", "o_unknown"}});
  }
  SECTION("100 openids is the limit: 101 or none is 40032, and nothing is answered")
  {
    auto hundred = sb.post_json(path, user_list(first_n(100)))["user_info_list"];
    REQUIRE(hundred.size() == 100);
    CHECK(hundred[0]["subscribe"] == 1);
    CHECK(hundred[99] == json{{"subscribe", 0}, {"openid", "o_unknown99"}});
    auto refused = sb.post_json(path, user_list(first_n(101)));
    CHECK(refused["errcode"] == 40032);
    CHECK_FALSE(refused.contains("user_info_list"));
    CHECK(sb.post_json(path, user_list(json::array()))["errcode"] == 40032);
  }
  SECTION("a malformed list is 47001; a bad token 40001, none 41001")
  {
    CHECK(sb.post_json(path, {{"user_list", "o1"}})["errcode"] == 47001);
    CHECK(sb.post_json(path, json::object())["errcode"] == 47001);
    CHECK(sb.post_json(path, {{"user_list", {{{"lang", "zh_CN"}}}}})["errcode"] == 47001);
    CHECK(sb.post_json(path, {{"user_list", {{{"openid", 12}}}}})["errcode"] == 47001);
    CHECK(sb.post_json("/cgi-bin/user/info/batchget?access_token=bogus", user_list({openids[0]}))["errcode"] == 40001);
    CHECK(sb.post_json("/cgi-bin/user/info/batchget", user_list({openids[0]}))["errcode"] == 41001);
  }
}

}  // namespace sandbox_test_wechat_batchget
