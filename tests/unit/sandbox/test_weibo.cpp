#include "sandbox_fixture.hpp"

#include <regex>
#include <set>

namespace sandbox_test_weibo {

using sandbox_test::Sandbox;

namespace {

struct Walk {
  std::vector<std::int64_t> ids;
  int pages = 0;
  int short_pages = 0;  // shorter than count although next_cursor != 0
  bool saw_reply_comment = false;
};

// Walks a list endpoint newest to oldest with max_id = next_cursor until next_cursor is 0.
Walk
walk(Sandbox& sb, const std::string& path, const std::string& key, int count, std::int64_t since_id = 0)
{
  Walk w;
  std::int64_t max_id = 0;
  for (;;) {
    std::string url = path + "?access_token=" + sb.weibo_token() + "&count=" + std::to_string(count);
    if (since_id) {
      url += "&since_id=" + std::to_string(since_id);
    }
    if (max_id) {
      url += "&max_id=" + std::to_string(max_id);
    }
    auto page = sb.get(url);
    ++w.pages;
    REQUIRE(w.pages < 10000);
    for (const char* field : {"marks", "hasvisible", "previous_cursor", "next_cursor", "total_number"}) {
      REQUIRE(page.contains(field));
    }
    const auto& items = page[key];
    REQUIRE(items.size() <= static_cast<std::size_t>(count));
    for (const auto& item : items) {
      w.ids.push_back(item["id"].get<std::int64_t>());
      CHECK(item["idstr"] == std::to_string(w.ids.back()));
      w.saw_reply_comment = w.saw_reply_comment || item.contains("reply_comment");
    }
    std::int64_t next = page["next_cursor"];
    if (next == 0) {
      break;
    }
    if (items.size() < static_cast<std::size_t>(count)) {
      ++w.short_pages;
    }
    CHECK(next < w.ids.back());
    max_id = next;
  }
  return w;
}

std::set<std::int64_t>
ids_of(const std::vector<nlohmann::json>& messages)
{
  std::set<std::int64_t> ids;
  for (const auto& m : messages) {
    ids.insert(std::stoll(m["platform_message_id"].get<std::string>()));
  }
  return ids;
}

svc::sandbox::Options
world(int size)
{
  svc::sandbox::Options o;
  o.world_size = size;
  o.seed = 7;
  return o;
}

} // namespace

TEST_CASE("sandbox::weibo paging", "[sandbox]")
{
  Sandbox sb(world(1500));
  SECTION("comments/to_me: every comment exactly once, newest first, short pages do not end it")
  {
    auto w = walk(sb, "/2/comments/to_me.json", "comments", 20);
    auto expected = ids_of(sb.inbound("weibo", "comment"));
    REQUIRE(expected.size() > 100);
    CHECK(std::set<std::int64_t>(w.ids.begin(), w.ids.end()) == expected);
    CHECK(w.ids.size() == expected.size());
    CHECK(std::is_sorted(w.ids.rbegin(), w.ids.rend()));
    CHECK(w.short_pages > 0);
    CHECK(w.saw_reply_comment);
  }
  SECTION("mentions: comments/mentions and statuses/mentions together are the mention messages")
  {
    auto c = walk(sb, "/2/comments/mentions.json", "comments", 50);
    auto s = walk(sb, "/2/statuses/mentions.json", "statuses", 30);
    std::set<std::int64_t> got(c.ids.begin(), c.ids.end());
    got.insert(s.ids.begin(), s.ids.end());
    CHECK(got == ids_of(sb.inbound("weibo", "mention")));
    CHECK(c.ids.size() + s.ids.size() == got.size());
  }
  SECTION("since_id returns only newer items; max_id is inclusive")
  {
    auto all = walk(sb, "/2/comments/to_me.json", "comments", 200);
    std::int64_t since = all.ids[all.ids.size() / 2];
    auto newer = walk(sb, "/2/comments/to_me.json", "comments", 25, since);
    CHECK(newer.ids == std::vector<std::int64_t>(all.ids.begin(), all.ids.begin() + all.ids.size() / 2));
    auto page = sb.get("/2/comments/to_me.json?count=1&max_id=" + std::to_string(since) +
                       "&access_token=" + sb.weibo_token());
    CHECK(page["comments"][0]["id"] == since);
    CHECK(page["total_number"] == all.ids.size());
  }
  SECTION("the page parameter skips (page-1)*count items")
  {
    auto p1 = sb.get("/2/comments/to_me.json?count=10&page=1&access_token=" + sb.weibo_token());
    auto p3 = sb.get("/2/comments/to_me.json?count=10&page=3&access_token=" + sb.weibo_token());
    auto all = walk(sb, "/2/comments/to_me.json", "comments", 200);
    CHECK(p3["comments"][0]["id"] == all.ids[20]);
    CHECK(p1["comments"][0]["id"] == all.ids[0]);
  }
  SECTION("an empty range ends with next_cursor 0")
  {
    auto all = walk(sb, "/2/comments/to_me.json", "comments", 200);
    auto page = sb.get("/2/comments/to_me.json?since_id=" + std::to_string(all.ids.front()) +
                       "&access_token=" + sb.weibo_token());
    CHECK(page["comments"].empty());
    CHECK(page["next_cursor"] == 0);
    CHECK(page["total_number"] == 0);
  }
}

TEST_CASE("sandbox::weibo objects and auth", "[sandbox]")
{
  Sandbox sb(world(200));
  auto page = sb.get("/2/comments/to_me.json?count=50&access_token=" + sb.weibo_token());
  const auto& c = page["comments"][0];

  SECTION("a comment has the real field names")
  {
    for (const char* field : {"created_at", "id", "idstr", "mid", "text", "source", "user", "status"}) {
      CHECK(c.contains(field));
    }
    CHECK(std::regex_match(c["created_at"].get<std::string>(),
                           std::regex(R"([A-Z][a-z]{2} [A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d \+0800 \d{4})")));
    CHECK(c["source"].get<std::string>().rfind("<a href=", 0) == 0);
    CHECK(c["user"]["idstr"] == std::to_string(c["user"]["id"].get<std::int64_t>()));
    CHECK(c["status"]["user"]["id"].dump() == sb.account("weibo", "uid"));
  }
  SECTION("the Authorization header works as well as access_token")
  {
    httplib::Headers h = {{"Authorization", "OAuth2 " + sb.weibo_token()}};
    auto res = sb.client->Get("/2/statuses/mentions.json", h);
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(nlohmann::json::parse(res->body).contains("statuses"));
  }
  SECTION("a bad token gets invalid_access_token")
  {
    auto e = sb.get("/2/comments/mentions.json?access_token=nope", 401);
    CHECK(e["error"] == "invalid_access_token");
    CHECK(e["error_code"] == 21332);
    CHECK(e["request"] == "/2/comments/mentions.json");
    auto info = sb.post_form("/oauth2/get_token_info", {{"access_token", "nope"}}, 401);
    CHECK(info["error_code"] == 21332);
  }
  SECTION("an unknown API path gets 10020")
  {
    CHECK(sb.get("/2/statuses/nothing.json?access_token=" + sb.weibo_token(), 404)["error_code"] == 10020);
  }
  SECTION("get_token_info")
  {
    auto info = sb.post_form("/oauth2/get_token_info", {{"access_token", sb.weibo_token()}});
    CHECK(info["uid"].dump() == sb.account("weibo", "uid"));
    CHECK(info["expire_in"].get<std::int64_t>() > 0);
  }
  SECTION("users/show by uid or screen_name, exactly one")
  {
    std::string uid = c["user"]["idstr"];
    auto u = sb.get("/2/users/show.json?uid=" + uid + "&access_token=" + sb.weibo_token());
    CHECK(u["screen_name"] == c["user"]["screen_name"]);
    auto by_name = sb.client->Get("/2/users/show.json",
                                  httplib::Params{{"screen_name", u["screen_name"].get<std::string>()}, {"access_token", sb.weibo_token()}},
                                  httplib::Headers{});
    REQUIRE(by_name);
    CHECK(nlohmann::json::parse(by_name->body)["id"] == u["id"]);
    CHECK(sb.get("/2/users/show.json?access_token=" + sb.weibo_token(), 400)["error_code"] == 10016);
    CHECK(sb.get("/2/users/show.json?uid=" + uid + "&screen_name=x&access_token=" + sb.weibo_token(), 400)
            ["error_code"] == 10017);
    CHECK(sb.get("/2/users/show.json?uid=42&access_token=" + sb.weibo_token(), 400)["error_code"] == 20003);
  }
  SECTION("comments/reply answers a comment and is logged; errors 20019, 20012, 20201, 20101")
  {
    std::string cid = c["idstr"], id = c["status"]["idstr"];
    auto reply = sb.post_form("/2/comments/reply.json",
                              {{"access_token", sb.weibo_token()}, {"cid", cid}, {"id", id}, {"comment", "已处理 ✅"}});
    CHECK(reply["reply_comment"]["idstr"] == cid);
    CHECK(reply["text"] == "回复@" + c["user"]["screen_name"].get<std::string>() + ":已处理 ✅");
    CHECK(reply["user"]["id"].dump() == sb.account("weibo", "uid"));
    auto sent = sb.get("/_sandbox/sent");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["endpoint"] == "/2/comments/reply.json");
    CHECK(sent[0]["to"] == cid);
    CHECK(sent[0]["text"] == "已处理 ✅");
    CHECK(sent[0]["fields"]["cid"] == cid);
    CHECK(sent[0]["platform_message_id"] == reply["idstr"]);

    auto again = sb.post_form("/2/comments/reply.json",
                              {{"access_token", sb.weibo_token()}, {"cid", cid}, {"id", id}, {"comment", "已处理 ✅"}},
                              400);
    CHECK(again["error_code"] == 20019);
    std::string long_text;
    for (int i = 0; i < 141; ++i) {
      long_text += "长";
    }
    CHECK(sb.post_form("/2/comments/reply.json",
                       {{"access_token", sb.weibo_token()}, {"cid", cid}, {"id", id}, {"comment", long_text}}, 400)
            ["error_code"] == 20012);
    CHECK(sb.post_form("/2/comments/reply.json",
                       {{"access_token", sb.weibo_token()}, {"cid", "1"}, {"id", id}, {"comment", "x"}}, 400)
            ["error_code"] == 20201);
    CHECK(sb.post_form("/2/comments/create.json", {{"access_token", sb.weibo_token()}, {"id", "1"}, {"comment", "x"}},
                       400)["error_code"] == 20101);
    auto created = sb.post_form("/2/comments/create.json",
                                {{"access_token", sb.weibo_token()}, {"id", id}, {"comment", "欢迎大家来店里坐坐"}});
    CHECK(created["status"]["idstr"] == id);
    CHECK_FALSE(created.contains("reply_comment"));
    CHECK(sb.get("/_sandbox/sent").size() == 2);
  }
  SECTION("messages/reply sends a fans-service DM with URL-encoded JSON data")
  {
    std::string uid = c["user"]["idstr"];
    auto r = sb.post_form("/2/messages/reply.json", {{"access_token", sb.weibo_token()},
                                                     {"receiver_id", uid},
                                                     {"type", "text"},
                                                     {"data", R"({"text":"您好，请提供订单号 🙏"})"}});
    CHECK(r["result"] == true);
    CHECK(r["receiver_id"] == uid);
    auto sent = sb.get("/_sandbox/sent");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0]["text"] == "您好，请提供订单号 🙏");
    CHECK(sent[0]["to"] == uid);
    CHECK(sb.post_form("/2/messages/reply.json",
                       {{"access_token", sb.weibo_token()}, {"receiver_id", "42"}, {"type", "text"},
                        {"data", R"({"text":"x"})"}},
                       400)["error_code"] == 20003);
  }
}

}  // namespace sandbox_test_weibo
