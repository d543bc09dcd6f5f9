// Contact profiles refreshed from the platforms' own payloads (../shared/fixtures/platforms), through the
// adapters' mapping and the store: every field the issue lists is kept with when it was last seen, and a
// later payload updates what it brings while fields it omits keep their value and seen time.
#include <catch2/catch.hpp>

#include <svc/channels/wechat/mapping.hpp>
#include <svc/channels/weibo/mapping.hpp>

#include "contacts_fixture.hpp"

namespace contacts_test_profile {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

json
fixture(const std::string& name)
{
  return json::parse(read_file(std::filesystem::path(SVC_FIXTURES_DIR) / name));
}

// {value, seen_at} of one profile field; REQUIREs it to be there.
std::pair<json, UnixTime>
field(const store::ContactRow& c, const std::string& key)
{
  INFO("profile: " << c.profile.dump() << " field " << key);
  REQUIRE(c.profile.contains(key));
  return {c.profile.at(key).at("value"), c.profile.at(key).at("seen_at").get<UnixTime>()};
}

} // namespace

TEST_CASE("store::contacts profile from a Weibo comments page, refreshed by a later page", "[contacts]")
{
  ContactsFixture f;
  const UnixTime t1 = f.clock.now();
  auto body = fixture("weibo/comments_list_trimmed.json");
  auto page = channels::weibo::parse_list(body, "comments", domain::ChannelKind::comment);
  REQUIRE(page.has_value());
  REQUIRE(f.store->messages().ingest(f.wb, "comments_to_me", page->messages, "1", store::Via::pull).has_value());

  auto first = f.store->contacts().find("wb", "1964356285");
  REQUIRE(first.has_value());
  const std::map<std::string, json> expected = {
    {"name", "有爱的小艾倫"},
    {"username", "cjn2007"},
    {"avatar_url", "http://tp2.sinaimg.cn/1964356285/50/40001537637/1"},
    {"gender", "m"},
    {"location", "福建 福州"},
    {"followers", 1485},
    {"description", body["comments"][0]["user"]["description"]},
    {"language", "zh-cn"},
    {"remark", ""}, // the platform said: no remark
  };
  for (const auto& [key, value] : expected) {
    auto [v, seen] = field(*first, key);
    CHECK(v == value);
    CHECK(seen == t1);
  }
  CHECK(first->name == "有爱的小艾倫");
  CHECK(first->followers == 1485);
  CHECK(first->location == "福建 福州");
  CHECK(first->first_seen_at == t1);

  // An hour later the same user comments again: more followers, and the payload has no description.
  f.clock.advance(3600);
  const UnixTime t2 = f.clock.now();
  json later = fixture("weibo/comments_list_trimmed.json");
  later["comments"].erase(1); // the other commenter does not appear again
  auto& comment = later["comments"][0];
  comment["id"] = 3526584588286999;
  comment["idstr"] = "3526584588286999";
  comment["user"]["followers_count"] = 1500;
  comment["user"].erase("description");
  auto page2 = channels::weibo::parse_list(later, "comments", domain::ChannelKind::comment);
  REQUIRE(page2.has_value());
  REQUIRE(f.store->messages().ingest(f.wb, "comments_to_me", page2->messages, "2", store::Via::pull).has_value());

  auto second = f.store->contacts().find("wb", "1964356285");
  REQUIRE(second.has_value());
  CHECK(second->id == first->id);
  CHECK(field(*second, "followers") == std::pair<json, UnixTime>(1500, t2));       // changed
  CHECK(field(*second, "name") == std::pair<json, UnixTime>("有爱的小艾倫", t2));  // seen again
  CHECK(field(*second, "description") == field(*first, "description"));           // not in the payload
  CHECK(second->description == first->description);
  CHECK(second->followers == 1500);
  CHECK(second->first_seen_at == t1);
  CHECK(second->last_seen_at == t2);

  // The other commenter was not in the later page: untouched.
  auto other = f.store->contacts().find("wb", "1904178193");
  REQUIRE(other.has_value());
  CHECK(field(*other, "followers") == std::pair<json, UnixTime>(61286, t1));
  CHECK(other->last_seen_at == t1);
}

TEST_CASE("store::contacts profile from WeChat user/info: remark, language, subscribe time, tag ids", "[contacts]")
{
  ContactsFixture f;
  const UnixTime t1 = f.clock.now();
  auto info = fixture("wechat/user_info_response.json");
  const std::string openid = info["openid"];
  // The customer wrote first (a chat record names only the openid); the lookup then fills the profile in.
  auto written = f.write(f.wx, ContactsFixture::user(openid, ""), "r1", "在吗", t1 - 60);
  auto id = f.store->contacts().refresh(f.wx, channels::wechat::map_user_info(info), "alice");
  REQUIRE(id.has_value());
  CHECK(*id == written);

  auto c = f.store->contacts().get(*id);
  REQUIRE(c.has_value());
  const std::map<std::string, json> expected = {
    {"name", "Band"},          {"nickname", "Band"},
    {"remark", ""},            {"gender", "m"},
    {"location", "中国 广东 广州"}, {"language", "zh_CN"},
    {"subscribe_time", 1382694957}, {"tagid_list", json::array({128, 2})},
    {"avatar_url", info["headimgurl"]},
  };
  for (const auto& [key, value] : expected) {
    auto [v, seen] = field(*c, key);
    CHECK(v == value);
    CHECK(seen == t1);
  }
  CHECK(c->last_inbound_at == t1 - 60); // the message's time survives the refresh
  CHECK(f.count("SELECT count(*) FROM audit_log WHERE action = 'looked_up' AND agent = 'alice' AND contact_id = "
                + std::to_string(*id))
        == 1);

  // The account gives them a remark and moves them to one tag: the remark becomes the name, and the
  // customer's own nickname is still there.
  f.clock.advance(60);
  info["remark"] = "VIP Band";
  info["tagid_list"] = json::array({2});
  REQUIRE(f.store->contacts().refresh(f.wx, channels::wechat::map_user_info(info), "alice").has_value());
  auto after = f.store->contacts().get(*id);
  REQUIRE(after.has_value());
  CHECK(after->name == "VIP Band");
  CHECK(field(*after, "nickname") == std::pair<json, UnixTime>("Band", t1 + 60));
  CHECK(field(*after, "remark") == std::pair<json, UnixTime>("VIP Band", t1 + 60));
  CHECK(field(*after, "tagid_list") == std::pair<json, UnixTime>(json::array({2}), t1 + 60));
  CHECK(f.count("SELECT count(*) FROM contacts") == 1);
}

TEST_CASE("store::contact_profile", "[contacts]")
{
  domain::PlatformUser u;
  u.id = "1";
  u.name = "Ann";
  u.followers = 0;
  u.extra = {{"remark", ""}, {"verified", false}, {"name", "from extra"}};
  auto p = store::contact_profile(u, 100);
  CHECK(p.at("name") == json({{"value", "Ann"}, {"seen_at", 100}})); // the typed field wins
  CHECK(p.at("followers").at("value") == 0);                         // zero followers is a value
  CHECK(p.at("remark").at("value") == "");                            // an extra "" is a value
  CHECK(p.at("verified").at("value") == false);
  CHECK_FALSE(p.contains("location"));                                 // typed and empty: not given
  CHECK_FALSE(p.contains("username"));
}

}  // namespace contacts_test_profile
