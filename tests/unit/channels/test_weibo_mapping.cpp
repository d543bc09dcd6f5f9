// Weibo mapping and error tables, on the real payloads in fixtures/platforms/weibo.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <svc/channels/weibo/errors.hpp>
#include <svc/channels/weibo/mapping.hpp>

#include "stub_transport.hpp"

namespace channels_test_weibo_mapping {

using namespace svc;
using namespace svc::channels::weibo;
using nlohmann::json;

TEST_CASE("weibo::parse_time", "[channels]")
{
  SECTION("the platform's format with its +0800 offset")
  {
    CHECK(parse_time("Tue May 31 17:46:55 +0800 2011").value() == 1306835215);
    CHECK(parse_time("Mon Dec 24 02:19:09 +0800 2012").value() == 1356286749);
    CHECK(parse_time("Mon Dec 24 02:19:09 +0000 2012").value() == 1356286749 + 8 * 3600);
    CHECK(parse_time("Mon Dec 24 02:19:09 -0130 2012").value() == 1356286749 + 8 * 3600 + 5400);
  }
  SECTION("garbage is a usage error naming the text")
  {
    for (const char* bad : {"", "2012-12-24T02:19:09Z", "Mon Foo 24 02:19:09 +0800 2012",
                            "Mon Dec 24 2:19:09 +0800 2012", "Mon Dec 24 02:19:09 0800 2012"}) {
      auto r = parse_time(bad);
      REQUIRE_FALSE(r);
      CHECK(r.error().kind == ErrorKind::usage);
    }
  }
}

TEST_CASE("weibo::parse_list", "[channels]")
{
  json body = json::parse(test::fixture("weibo/comments_list_trimmed.json"));

  SECTION("comments_list_trimmed.json: ids, thread, author, reply, CJK, time")
  {
    auto page = parse_list(body, "comments", domain::ChannelKind::comment);
    REQUIRE(page);
    CHECK(page->next_cursor == 3481481697541987);
    REQUIRE(page->messages.size() == 2);
    REQUIRE(page->ids == std::vector<std::int64_t>{3526584588286949, 3485073486004301});

    const auto& first = page->messages[0];
    CHECK(first.platform_message_id == "3526584588286949");
    CHECK(first.thread_key == "3481474642286341");
    CHECK(first.channel == domain::ChannelKind::comment);
    CHECK(first.direction == domain::Direction::in);
    CHECK(first.text == "ddddd");
    CHECK(first.created_at == 1356286749);
    CHECK(first.reply_to.empty());
    CHECK(first.author.id == "1964356285");
    CHECK(first.author.name == "有爱的小艾倫");
    CHECK(first.author.avatar_url == "http://tp2.sinaimg.cn/1964356285/50/40001537637/1");
    CHECK(first.author.gender == "m");
    CHECK(first.author.location == "福建 福州");
    CHECK(first.author.followers == 1485);
    CHECK(first.author.username == "cjn2007");
    CHECK(first.author.description.rfind("网名：小艾倫", 0) == 0);
    CHECK(first.raw.at("source").get<std::string>().find("未通过审核应用") != std::string::npos);

    const auto& second = page->messages[1];
    CHECK(second.platform_message_id == "3485073486004301");
    CHECK(second.reply_to == "3485067101827164");
    CHECK(second.created_at == 1346389731);
    CHECK(second.author.name == "微博开放平台");
    CHECK(second.text.rfind("回复@冰点猫咪:您好！", 0) == 0);
  }
  SECTION("statuses_timeline_trimmed.json as mentions: the status is its own thread")
  {
    json timeline = json::parse(test::fixture("weibo/statuses_timeline_trimmed.json"));
    auto page = parse_list(timeline, "statuses", domain::ChannelKind::mention);
    REQUIRE(page);
    CHECK(page->next_cursor == 0);
    REQUIRE(page->messages.size() == 2);
    CHECK(page->messages[0].platform_message_id == "3436164122209450");
    CHECK(page->messages[0].thread_key == "3436164122209450");
    CHECK(page->messages[0].channel == domain::ChannelKind::mention);
    CHECK(page->messages[0].created_at == 1334728830);
    CHECK(page->messages[0].author.name == "Ark0260");
    CHECK(page->messages[1].author.name == "DMG传播集团");
    CHECK(page->messages[1].text.find("@中国公共关系网17PR") != std::string::npos);
  }
  SECTION("empty_list_page.json: no items, cursor 0")
  {
    json empty = json::parse(test::fixture("weibo/empty_list_page.json"));
    auto page = parse_list(empty, "comments", domain::ChannelKind::comment);
    REQUIRE(page);
    CHECK(page->messages.empty());
    CHECK(page->next_cursor == 0);
  }
  SECTION("without idstr, ids as numbers or strings; missing optional fields; extra fields")
  {
    json c = body["comments"][1];
    c.erase("idstr");
    c["reply_comment"].erase("idstr");
    c["status"].erase("idstr");
    c["status"]["id"] = "3481474642286341";
    c.erase("source");
    c["user"].erase("followers_count");
    c["user"].erase("profile_image_url");
    c["user"]["brand_new_field"] = {{"x", 1}};
    c["future"] = json::array({1, 2});
    json page_body = {{"comments", json::array({c})}, {"next_cursor", "0"}};
    auto page = parse_list(page_body, "comments", domain::ChannelKind::mention);
    REQUIRE(page);
    const auto& m = page->messages.at(0);
    CHECK(m.platform_message_id == "3485073486004301");
    CHECK(m.reply_to == "3485067101827164");
    CHECK(m.thread_key == "3481474642286341");
    CHECK_FALSE(m.author.followers.has_value());
    CHECK(m.author.avatar_url == "http://tp2.sinaimg.cn/1904178193/180/5610154048/0");
    CHECK(m.channel == domain::ChannelKind::mention);
  }
  SECTION("no created_at and no user still map; a bad time is an error, not a throw")
  {
    json c = {{"idstr", "5"}, {"text", "x"}, {"status", {{"id", 7}}}};
    auto page = parse_list(json{{"comments", json::array({c})}}, "comments",
                           domain::ChannelKind::comment);
    REQUIRE(page);
    CHECK(page->messages.at(0).created_at == 0);
    CHECK(page->messages.at(0).thread_key == "7");
    c["created_at"] = "yesterday";
    CHECK_FALSE(parse_list(json{{"comments", json::array({c})}}, "comments",
                           domain::ChannelKind::comment));
  }
  SECTION("wrong shapes are errors")
  {
    CHECK_FALSE(parse_list(json::array(), "comments", domain::ChannelKind::comment));
    CHECK_FALSE(parse_list(json{{"comments", "nope"}}, "comments", domain::ChannelKind::comment));
    CHECK_FALSE(parse_list(json{{"comments", json::array({42})}}, "comments",
                           domain::ChannelKind::comment));
  }
}

TEST_CASE("weibo::map_user", "[channels]")
{
  json user = json::parse(test::fixture("weibo/users_show.json"));
  auto u = map_user(user);
  CHECK(u.id == "1404376560"); // no idstr in this payload: the numeric id
  CHECK(u.name == "zaku");
  CHECK(u.location == "北京 朝阳区");
  CHECK(u.followers == 1204);
  CHECK(u.gender == "m");
  CHECK(u.description == "人生五十年，乃如梦如幻；有生斯有死，壮士复何憾。");
  CHECK(u.avatar_url == "http://tp1.sinaimg.cn/1404376560/50/0/1");
  CHECK(u.extra.at("verified") == false);
}

TEST_CASE("weibo::check_response", "[channels]")
{
  SECTION("code table")
  {
    auto [code, kind] = GENERATE(table<int, ErrorKind>({
      {21327, ErrorKind::auth},      {21332, ErrorKind::auth},      {21301, ErrorKind::auth},
      {21314, ErrorKind::auth},      {21317, ErrorKind::auth},      {21319, ErrorKind::auth},
      {10022, ErrorKind::temporary}, {10023, ErrorKind::temporary}, {10024, ErrorKind::temporary},
      {10001, ErrorKind::temporary}, {10002, ErrorKind::temporary}, {10009, ErrorKind::temporary},
      {20003, ErrorKind::not_found}, {20101, ErrorKind::not_found}, {20201, ErrorKind::not_found},
      {20019, ErrorKind::failed},    {10014, ErrorKind::failed},    {21325, ErrorKind::failed},
    }));
    json env = {{"error", "some text"}, {"error_code", code}, {"request", "/2/comments/to_me.json"}};
    auto r = check_response(test::response(400, env.dump()), false, "shop");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == kind);
    CHECK(r.error().http_status == 400);
    CHECK(r.error().message.find(std::to_string(code)) != std::string::npos);
    CHECK(r.error().message.find("some text") != std::string::npos);
    if (kind == ErrorKind::auth) {
      CHECK(r.error().hint.find("svc account bind weibo shop") != std::string::npos);
    }
    // The same code as a string, and with HTTP 200: still the same error.
    env["error_code"] = std::to_string(code);
    auto s = check_response(test::response(200, env.dump()), false, "shop");
    REQUIRE_FALSE(s);
    CHECK(s.error().kind == kind);
  }
  SECTION("error_20502.json: string code, the platform's text in the message")
  {
    auto r = check_response(test::response(400, test::fixture("weibo/error_20502.json")), false, "a");
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::failed);
    CHECK(r.error().message == "Weibo error 20502: Need you follow uid.");
  }
  SECTION("a body that is not JSON: temporary; outcome_unknown only for a send")
  {
    auto read = check_response(test::response(200, "{\"comments\":[{\"id\":1"), false, "a");
    REQUIRE_FALSE(read);
    CHECK(read.error().kind == ErrorKind::temporary);
    CHECK_FALSE(read.error().outcome_unknown);
    auto sent = check_response(test::response(200, "<html>"), true, "a");
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind == ErrorKind::temporary);
    CHECK(sent.error().outcome_unknown);
  }
  SECTION("HTTP errors without an envelope go by status")
  {
    CHECK(check_response(test::response(503, "busy"), false, "a").error().kind == ErrorKind::temporary);
    CHECK(check_response(test::response(404, "{}"), false, "a").error().kind == ErrorKind::not_found);
  }
  SECTION("a success passes the JSON through")
  {
    auto ok = check_response(test::response(200, test::fixture("weibo/oauth2_get_token_info.json")), false,
                             "a");
    REQUIRE(ok);
    CHECK(ok->at("uid") == 1073880650);
  }
}

TEST_CASE("weibo::classify_response", "[channels]")
{
  auto transient = [](const std::string& body) { return classify_response(test::response(403, body)).transient; };
  CHECK(transient(R"({"error":"User requests out of rate limit!","error_code":10023})"));
  CHECK(transient(R"({"error":"x","error_code":"10022"})"));
  CHECK(transient(R"({"error":"x","error_code":10024})"));
  CHECK(transient(R"({"error":"x","error_code":10001})"));
  CHECK(transient(R"({"error":"x","error_code":10009})"));
  CHECK_FALSE(transient(R"({"error":"x","error_code":21327})"));
  CHECK_FALSE(transient(test::fixture("weibo/error_20502.json")));
  CHECK_FALSE(transient("not json"));
  CHECK_FALSE(transient(test::fixture("weibo/comments_list_trimmed.json")));
}

}  // namespace channels_test_weibo_mapping
