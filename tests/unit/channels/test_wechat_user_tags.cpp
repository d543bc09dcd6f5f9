// WeChat user tags: the mapping of the reference's payloads (fixtures/wechat/tags_*, user_info's
// tagid_list), request bodies, and the calls through the channel (paths, member paging, the 50-openid
// batch limit, tag errcodes and their exit codes).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <svc/channels/channel.hpp>
#include <svc/channels/user_tags.hpp>
#include <svc/channels/wechat/user_tags.hpp>

#include "stub_transport.hpp"

namespace channels_test_wechat_user_tags {

using namespace svc;
using namespace svc::channels::wechat;
using nlohmann::json;

namespace {

constexpr UnixTime k_now = test::WeChatFixture::k_now;

struct Fixture : test::WeChatFixture {
  Fixture() : WeChatFixture(true) {}
};

std::vector<std::string>
openids(std::size_t n, const std::string& prefix = "o")
{
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(prefix + std::to_string(i));
  return out;
}

} // namespace

TEST_CASE("wechat::parse_tags", "[channels]")
{
  SECTION("tags_get_response.json: ids as text, counts, 0/1/2 are system tags")
  {
    auto tags = parse_tags(json::parse(test::fixture("wechat/tags_get_response.json")));
    REQUIRE(tags.size() == 3);
    CHECK(tags[0].id == "1");
    CHECK(tags[0].name == "每天一罐可乐星人");
    CHECK(tags[0].system);
    CHECK(tags[1].id == "2");
    CHECK(tags[1].system);
    CHECK(tags[2].id == "127");
    CHECK(tags[2].name == "广东");
    CHECK(tags[2].count == 5);
    CHECK_FALSE(tags[2].system);
  }
  SECTION("ids as strings are read; entries without an id and non-arrays are skipped")
  {
    auto tags = parse_tags(json{{"tags", json::array({{{"id", "130"}, {"name", "a"}}, {{"name", "no id"}}})}});
    REQUIRE(tags.size() == 1);
    CHECK(tags[0].id == "130");
    CHECK(tags[0].count == 0);
    CHECK(parse_tags(json{{"tags", "x"}}).empty());
    CHECK(parse_tags(json::array()).empty());
  }
}

TEST_CASE("wechat::parse_created_tag and parse_tagid_list", "[channels]")
{
  auto created = parse_created_tag(json::parse(test::fixture("wechat/tags_create_response.json")));
  REQUIRE(created);
  CHECK(created->id == "134");
  CHECK(created->name == "广东");
  CHECK_FALSE(created->system);
  auto missing = parse_created_tag(json{{"tag", {{"name", "广东"}}}});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == ErrorKind::failed);

  CHECK(parse_tagid_list(json::parse(test::fixture("wechat/tags_getidlist_response.json")))
        == std::vector<std::string>{"134", "2"});
  // user/info carries the same list.
  CHECK(parse_tagid_list(json::parse(test::fixture("wechat/user_info_response.json")))
        == std::vector<std::string>{"128", "2"});
  CHECK(parse_tagid_list(json{{"tagid_list", json::array({"7", 8, "x", nullptr})}}) == std::vector<std::string>{"7", "8"});
  CHECK(parse_tagid_list(json::object()).empty());
}

TEST_CASE("wechat::parse_member_page", "[channels]")
{
  auto page = parse_member_page(
    json{{"count", 2}, {"data", {{"openid", {"ocYxcuAEy30bX0NXmGn4ypqx3tI0", "ocYxcuBt0mRugKZ7tGAHPnUaOW7Y"}}}},
         {"next_openid", "ocYxcuBt0mRugKZ7tGAHPnUaOW7Y"}});
  CHECK(page.openids == std::vector<std::string>{"ocYxcuAEy30bX0NXmGn4ypqx3tI0", "ocYxcuBt0mRugKZ7tGAHPnUaOW7Y"});
  CHECK(page.next_openid == "ocYxcuBt0mRugKZ7tGAHPnUaOW7Y");
  // The end: count 0 and no "data".
  auto end = parse_member_page(json{{"count", 0}, {"next_openid", ""}});
  CHECK(end.openids.empty());
  CHECK(end.next_openid.empty());
}

TEST_CASE("wechat user tag request bodies match the reference's", "[channels]")
{
  CHECK(json::parse(build_create_tag("广东")) == json::parse(test::fixture("wechat/tags_create_request.json")));
  CHECK(build_create_tag("广东") == R"({"tag":{"name":"广东"}})"); // UTF-8 kept raw
  CHECK(json::parse(build_batch(134, {"ocYxcuAEy30bX0NXmGn4ypqx3tI0", "ocYxcuBt0mRugKZ7tGAHPnUaOW7Y"}))
        == json::parse(test::fixture("wechat/tags_members_batchtagging_request.json")));
  CHECK(build_member_page(134, "") == R"({"tagid":134,"next_openid":""})");
}

TEST_CASE("wechat::WeChatUserTags through the channel", "[channels]")
{
  Fixture f;
  auto ch = f.channel();
  channels::UserTagApi* api = ch->user_tags();
  REQUIRE(api != nullptr);
  CHECK(api->limits().max_batch == 50);
  CHECK(api->limits().max_tags == 100);

  SECTION("tags/get")
  {
    f.transport.reply(200, test::fixture("wechat/tags_get_response.json"));
    auto tags = api->list_tags();
    REQUIRE(tags);
    CHECK(tags->size() == 3);
    REQUIRE(f.transport.requests.size() == 1);
    CHECK(f.transport.requests[0].method == http::Method::get);
    CHECK(test::path_of(f.transport.requests[0].url) == "/cgi-bin/tags/get");
    CHECK(test::query_of(f.transport.requests[0].url) == "access_token=T");
  }
  SECTION("tags/create posts the name; a taken name is a conflict (exit 6)")
  {
    f.transport.reply(200, test::fixture("wechat/tags_create_response.json"));
    auto made = api->create_tag("广东");
    REQUIRE(made);
    CHECK(made->id == "134");
    CHECK(test::path_of(f.transport.requests[0].url) == "/cgi-bin/tags/create");
    CHECK(json::parse(f.transport.requests[0].body) == json{{"tag", {{"name", "广东"}}}});

    f.transport.reply(200, R"({"errcode":45157,"errmsg":"invalid tag name rid: 1"})");
    auto taken = api->create_tag("广东");
    REQUIRE_FALSE(taken);
    CHECK(taken.error().kind == ErrorKind::conflict);
    CHECK_FALSE(taken.error().hint.empty());
  }
  SECTION("a name over 30 bytes is refused before any request")
  {
    auto long_name = api->create_tag(std::string(11, 'x') + "一二三四五六七"); // 11 + 21 bytes
    REQUIRE_FALSE(long_name);
    CHECK(long_name.error().kind == ErrorKind::usage);
    CHECK(f.transport.requests.empty());
  }
  SECTION("user/tag/get pages on next_openid until a short page")
  {
    auto first = openids(k_member_page, "a");
    f.transport.reply(200, json{{"count", first.size()}, {"data", {{"openid", first}}}, {"next_openid", first.back()}}.dump())
      .reply(200, json{{"count", 2}, {"data", {{"openid", {"b1", "b2"}}}}, {"next_openid", "b2"}}.dump());
    auto members = api->members("134");
    REQUIRE(members);
    CHECK(members->size() == k_member_page + 2);
    CHECK(members->back() == "b2");
    REQUIRE(f.transport.requests.size() == 2);
    CHECK(test::path_of(f.transport.requests[0].url) == "/cgi-bin/user/tag/get");
    CHECK(json::parse(f.transport.requests[0].body) == json{{"tagid", 134}, {"next_openid", ""}});
    CHECK(json::parse(f.transport.requests[1].body) == json{{"tagid", 134}, {"next_openid", first.back()}});
  }
  SECTION("user/tag/get: an empty tag is one request; an unknown tag is not_found (exit 3)")
  {
    f.transport.reply(200, R"({"count":0,"next_openid":""})");
    auto none = api->members("7");
    REQUIRE(none);
    CHECK(none->empty());
    f.transport.reply(200, R"({"errcode":45159,"errmsg":"invalid tag id"})");
    auto unknown = api->members("9999");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().kind == ErrorKind::not_found);
  }
  SECTION("tags/getidlist")
  {
    f.transport.reply(200, test::fixture("wechat/tags_getidlist_response.json"));
    auto ids = api->tags_of("ocYxcuBt0mRugKZ7tGAHPnUaOW7Y");
    REQUIRE(ids);
    CHECK(*ids == std::vector<std::string>{"134", "2"});
    CHECK(json::parse(f.transport.requests[0].body) == json::parse(test::fixture("wechat/tags_getidlist_request.json")));
  }
  SECTION("batchtagging and batchuntagging take at most 50 openids")
  {
    f.transport.reply(200, R"({"errcode":0,"errmsg":"ok"})").reply(200, R"({"errcode":0,"errmsg":"ok"})");
    REQUIRE(api->tag_users("134", openids(50)));
    REQUIRE(api->untag_users("134", {"o1"}));
    CHECK(test::path_of(f.transport.requests[0].url) == "/cgi-bin/tags/members/batchtagging");
    CHECK(json::parse(f.transport.requests[0].body)["openid_list"].size() == 50);
    CHECK(json::parse(f.transport.requests[0].body)["tagid"] == 134);
    CHECK(test::path_of(f.transport.requests[1].url) == "/cgi-bin/tags/members/batchuntagging");

    auto too_many = api->tag_users("134", openids(51));
    REQUIRE_FALSE(too_many);
    CHECK(too_many.error().kind == ErrorKind::usage);
    auto not_a_tag = api->tag_users("vip", {"o1"});
    REQUIRE_FALSE(not_a_tag);
    CHECK(not_a_tag.error().kind == ErrorKind::usage);
    CHECK(f.transport.requests.size() == 2); // neither went out
  }
  SECTION("the tag errcodes map to exit codes")
  {
    struct Case {
      int errcode;
      ErrorKind kind;
    };
    for (auto c : {Case{45059, ErrorKind::conflict}, Case{45058, ErrorKind::conflict}, Case{45056, ErrorKind::conflict},
                   Case{45159, ErrorKind::not_found}, Case{49003, ErrorKind::not_found}, Case{40032, ErrorKind::failed}}) {
      f.transport.reply(200, json{{"errcode", c.errcode}, {"errmsg", "x"}}.dump());
      auto r = api->tag_users("2", {"o1"});
      INFO(c.errcode);
      REQUIRE_FALSE(r);
      CHECK(r.error().kind == c.kind);
    }
  }
}

TEST_CASE("channels without user tags return none", "[channels]")
{
  test::ChannelFixture f(domain::Platform::telegram, "bot", "http://127.0.0.1:9", {"123:ABC", "", ""}, k_now);
  CHECK(f.channel()->user_tags() == nullptr);
}

}  // namespace channels_test_wechat_user_tags
