// The sandbox's WeChat user tags against the reference (platform-apis.md §2.6): a tag's members page by
// page (user/tag/get), rename and delete, the limits (30 bytes, 100 tags, 20 tags a fan, 50 openids a
// batch), system tags 0/1/2, all-or-nothing batches, and GET /_sandbox/wechat/tags agreeing with tags/get.
#include <catch2/catch.hpp>

#include <algorithm>

#include "sandbox_fixture.hpp"

namespace sandbox_test_wechat_tags {

using sandbox_test::Sandbox;
using nlohmann::json;

namespace {

svc::sandbox::Options
world(int size)
{
  svc::sandbox::Options o;
  o.world_size = size;
  return o;
}

// /_sandbox/wechat/tags entry of one tag (null when there is none).
json
tag_state(Sandbox& sb, int id)
{
  for (const auto& t : sb.get("/_sandbox/wechat/tags"))
    if (t["id"] == id)
      return t;
  return nullptr;
}

} // namespace

TEST_CASE("sandbox::wechat tags/get and user/tag/get", "[sandbox]")
{
  Sandbox sb(world(200));
  std::string token = sb.wechat_token();
  auto tags = sb.get("/cgi-bin/tags/get?access_token=" + token)["tags"];
  auto state = sb.get("/_sandbox/wechat/tags");
  REQUIRE(tags.size() == state.size());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    CHECK(tags[i]["id"] == state[i]["id"]);
    CHECK(tags[i]["count"] == state[i]["members"].size());
  }
  auto vip = tag_state(sb, 100);
  REQUIRE(vip["members"].size() > 0); // the seeded world tags some fans

  SECTION("the members of a tag, then the end (count 0, no data)")
  {
    auto page = sb.post_json("/cgi-bin/user/tag/get?access_token=" + token, {{"tagid", 100}, {"next_openid", ""}});
    CHECK(page["count"] == vip["members"].size());
    CHECK(page["data"]["openid"] == vip["members"]);
    CHECK(page["next_openid"] == vip["members"].back());
    auto end = sb.post_json("/cgi-bin/user/tag/get?access_token=" + token,
                            {{"tagid", 100}, {"next_openid", page["next_openid"]}});
    CHECK(end["count"] == 0);
    CHECK_FALSE(end.contains("data"));
    CHECK(end["next_openid"] == "");
  }
  SECTION("errors: unknown tag 45159, unknown next_openid 40003, no token 41001")
  {
    CHECK(sb.post_json("/cgi-bin/user/tag/get?access_token=" + token, {{"tagid", 9999}})["errcode"] == 45159);
    CHECK(sb.post_json("/cgi-bin/user/tag/get?access_token=" + token, {{"tagid", 100}, {"next_openid", "nope"}})
            ["errcode"] == 40003);
    CHECK(sb.post_json("/cgi-bin/user/tag/get", {{"tagid", 100}})["errcode"] == 41001);
  }
}

TEST_CASE("sandbox::wechat tags/create, update, delete", "[sandbox]")
{
  Sandbox sb(world(50));
  std::string token = sb.wechat_token();
  auto post = [&](const std::string& path, const json& body) { return sb.post_json(path + "?access_token=" + token, body); };

  SECTION("names: 30 bytes at most (45158), unique (45157)")
  {
    CHECK(post("/cgi-bin/tags/create", {{"tag", {{"name", "一二三四五六七八九十"}}}})["tag"]["id"].is_number()); // 30 bytes
    CHECK(post("/cgi-bin/tags/create", {{"tag", {{"name", "一二三四五六七八九十x"}}}})["errcode"] == 45158);
    CHECK(post("/cgi-bin/tags/create", {{"tag", {{"name", "VIP客户"}}}})["errcode"] == 45157);
    CHECK(post("/cgi-bin/tags/create", {{"tag", {{"name", ""}}}})["errcode"] == 45157);
  }
  SECTION("100 tags per account, system tags included (45056)")
  {
    std::size_t have = sb.get("/cgi-bin/tags/get?access_token=" + token)["tags"].size();
    for (std::size_t i = have; i < 100; ++i)
      REQUIRE(post("/cgi-bin/tags/create", {{"tag", {{"name", "t" + std::to_string(i)}}}}).contains("tag"));
    CHECK(post("/cgi-bin/tags/create", {{"tag", {{"name", "one too many"}}}})["errcode"] == 45056);
    CHECK(sb.get("/cgi-bin/tags/get?access_token=" + token)["tags"].size() == 100);
  }
  SECTION("rename; system tags are read-only (45058)")
  {
    CHECK(post("/cgi-bin/tags/update", {{"tag", {{"id", 101}, {"name", "广东人"}}}})["errcode"] == 0);
    CHECK(tag_state(sb, 101)["name"] == "广东人");
    CHECK(post("/cgi-bin/tags/update", {{"tag", {{"id", 101}, {"name", "VIP客户"}}}})["errcode"] == 45157);
    CHECK(post("/cgi-bin/tags/update", {{"tag", {{"id", 2}, {"name", "x"}}}})["errcode"] == 45058);
    CHECK(post("/cgi-bin/tags/update", {{"tag", {{"id", 9999}, {"name", "x"}}}})["errcode"] == 45159);
  }
  SECTION("delete takes the tag off every fan")
  {
    REQUIRE(tag_state(sb, 100)["members"].size() > 0);
    CHECK(post("/cgi-bin/tags/delete", {{"tag", {{"id", 100}}}})["errcode"] == 0);
    CHECK(tag_state(sb, 100).is_null());
    for (const auto& p : sb.get("/_sandbox/people")) {
      auto ids = post("/cgi-bin/tags/getidlist", {{"openid", p["openid"]}})["tagid_list"];
      CHECK(std::find(ids.begin(), ids.end(), 100) == ids.end());
    }
    CHECK(post("/cgi-bin/tags/delete", {{"tag", {{"id", 100}}}})["errcode"] == 45159);
    CHECK(post("/cgi-bin/tags/delete", {{"tag", {{"id", 1}}}})["errcode"] == 45058);
  }
}

TEST_CASE("sandbox::wechat batch tagging limits", "[sandbox]")
{
  Sandbox sb(world(50));
  std::string token = sb.wechat_token();
  auto post = [&](const std::string& path, const json& body) { return sb.post_json(path + "?access_token=" + token, body); };
  auto people = sb.get("/_sandbox/people");
  std::string a = people[0]["openid"], b = people[1]["openid"];
  int tag = post("/cgi-bin/tags/create", {{"tag", {{"name", "批量"}}}})["tag"]["id"];

  SECTION("an openid of no fan (49003) refuses the whole batch")
  {
    CHECK(post("/cgi-bin/tags/members/batchtagging", {{"openid_list", {a, "o_stranger"}}, {"tagid", tag}})["errcode"]
          == 49003);
    CHECK(tag_state(sb, tag)["members"].empty());
  }
  SECTION("a fan carries at most 20 tags (45059); untagging frees a place")
  {
    auto carried = post("/cgi-bin/tags/getidlist", {{"openid", a}})["tagid_list"].size();
    std::vector<int> made;
    for (std::size_t i = carried; i < 20; ++i) {
      int id = post("/cgi-bin/tags/create", {{"tag", {{"name", "满" + std::to_string(i)}}}})["tag"]["id"];
      REQUIRE(post("/cgi-bin/tags/members/batchtagging", {{"openid_list", {a}}, {"tagid", id}})["errcode"] == 0);
      made.push_back(id);
    }
    REQUIRE(post("/cgi-bin/tags/getidlist", {{"openid", a}})["tagid_list"].size() == 20);
    CHECK(post("/cgi-bin/tags/members/batchtagging", {{"openid_list", {b, a}}, {"tagid", tag}})["errcode"] == 45059);
    CHECK(tag_state(sb, tag)["members"].empty()); // b was not tagged either
    REQUIRE(post("/cgi-bin/tags/members/batchuntagging", {{"openid_list", {a}}, {"tagid", made.back()}})["errcode"] == 0);
    CHECK(post("/cgi-bin/tags/members/batchtagging", {{"openid_list", {b, a}}, {"tagid", tag}})["errcode"] == 0);
    CHECK(tag_state(sb, tag)["members"].size() == 2);
  }
}

}  // namespace sandbox_test_wechat_tags
