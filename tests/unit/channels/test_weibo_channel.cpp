// WeiboChannel flows against a scripted transport: the paging walk and its crash-safe cursor,
// request shapes of every send, auth and transport errors.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <svc/channels/channel.hpp>
#include <svc/channels/weibo/paging.hpp>

#include "stub_transport.hpp"

namespace channels_test_weibo_channel {

using namespace svc;
using nlohmann::json;

namespace {

json
comment(std::int64_t id, std::int64_t status = 900)
{
  return {{"created_at", "Tue May 31 17:46:55 +0800 2011"},
          {"id", id},
          {"idstr", std::to_string(id)},
          {"text", "评论 " + std::to_string(id)},
          {"user", {{"id", 77}, {"idstr", "77"}, {"screen_name", "粉丝"}}},
          {"status", {{"id", status}, {"idstr", std::to_string(status)}}}};
}

std::string
page(std::vector<std::int64_t> ids, std::int64_t next_cursor)
{
  json list = json::array();
  for (auto id : ids) {
    list.push_back(comment(id));
  }
  return json{{"comments", list}, {"marks", json::array()}, {"hasvisible", false},
              {"previous_cursor", 0}, {"next_cursor", next_cursor}, {"total_number", 99}}
    .dump();
}

std::vector<std::string>
ids_of(const channels::Page& p)
{
  std::vector<std::string> out;
  for (const auto& m : p.messages) {
    out.push_back(m.platform_message_id);
  }
  return out;
}

struct Fixture : test::ChannelFixture {
  Fixture() : ChannelFixture(domain::Platform::weibo, "shop", "http://127.0.0.1:9/", {"TOK", "", ""}, 1700000000) {}
};

const channels::Stream k_to_me{"comments_to_me", domain::ChannelKind::comment};

} // namespace

TEST_CASE("weibo::WeiboChannel::fetch", "[channels]")
{
  Fixture f;

  SECTION("a walk over three pages, one of them short, ends in {since: highest}")
  {
    f.transport.reply(200, page({10, 9, 8}, 7)).reply(200, page({7, 5}, 4)).reply(200, page({4, 3}, 0));
    auto ch = f.channel();
    auto p1 = ch->fetch(k_to_me, "", 3);
    REQUIRE(p1);
    CHECK(ids_of(*p1) == std::vector<std::string>{"10", "9", "8"});
    CHECK_FALSE(p1->done);
    CHECK(json::parse(p1->cursor) == json{{"since", 0}, {"max", 7}, {"high", 10}});
    auto p2 = ch->fetch(k_to_me, p1->cursor, 3);
    REQUIRE(p2);
    CHECK(ids_of(*p2) == std::vector<std::string>{"7", "5"});
    CHECK_FALSE(p2->done); // short page, but next_cursor != 0
    auto p3 = ch->fetch(k_to_me, p2->cursor, 3);
    REQUIRE(p3);
    CHECK(ids_of(*p3) == std::vector<std::string>{"4", "3"});
    CHECK(p3->done);
    CHECK(json::parse(p3->cursor) == json{{"since", 10}});

    REQUIRE(f.transport.requests.size() == 3);
    const auto& r1 = f.transport.requests[0];
    CHECK(r1.method == http::Method::get);
    CHECK(test::path_of(r1.url) == "/2/comments/to_me.json");
    CHECK(r1.url.rfind("http://127.0.0.1:9/2/", 0) == 0); // trailing slash of base_url dropped
    CHECK(test::query_of(r1.url) == "access_token=TOK&since_id=0&count=3");
    CHECK(test::query_of(f.transport.requests[1].url) == "access_token=TOK&since_id=0&max_id=7&count=3");
    CHECK(test::query_of(f.transport.requests[2].url) == "access_token=TOK&since_id=0&max_id=4&count=3");
  }
  SECTION("crash after page 1: a new channel resumes from page 1's cursor without repeats or loss")
  {
    f.transport.reply(200, page({10, 9, 8}, 7));
    std::string stored;
    {
      auto ch = f.channel();
      auto p1 = ch->fetch(k_to_me, "", 3);
      REQUIRE(p1);
      stored = p1->cursor;
    }
    // New items 11, 12 arrived meanwhile; the resumed walk still owes only (0, 7].
    f.transport.reply(200, page({7, 6}, 0)).reply(200, page({12, 11}, 0));
    auto fresh = f.channel();
    auto p2 = fresh->fetch(k_to_me, stored, 3);
    REQUIRE(p2);
    CHECK(ids_of(*p2) == std::vector<std::string>{"7", "6"});
    CHECK(p2->done);
    CHECK(json::parse(p2->cursor) == json{{"since", 10}});
    auto p3 = fresh->fetch(k_to_me, p2->cursor, 3);
    REQUIRE(p3);
    CHECK(ids_of(*p3) == std::vector<std::string>{"12", "11"});
    CHECK(json::parse(p3->cursor) == json{{"since", 12}});
    CHECK(test::query_of(f.transport.requests[1].url) == "access_token=TOK&since_id=0&max_id=7&count=3");
    CHECK(test::query_of(f.transport.requests[2].url) == "access_token=TOK&since_id=10&count=3");
  }
  SECTION("the next pull asks since the highest id and drops anything not newer")
  {
    f.transport.reply(200, page({12, 10, 9}, 8));
    auto ch = f.channel();
    auto p = ch->fetch(k_to_me, R"({"since":10})", 50);
    REQUIRE(p);
    CHECK(ids_of(*p) == std::vector<std::string>{"12"});
    CHECK(p->done); // reached ids <= since: the walk is over even though next_cursor != 0
    CHECK(json::parse(p->cursor) == json{{"since", 12}});
  }
  SECTION("an empty page keeps since; empty_list_page.json ends the walk")
  {
    f.transport.reply(200, test::fixture("weibo/empty_list_page.json"));
    auto ch = f.channel();
    auto p = ch->fetch(k_to_me, R"({"since":10,"max":7,"high":15})", 50);
    REQUIRE(p);
    CHECK(p->messages.empty());
    CHECK(p->done);
    CHECK(json::parse(p->cursor) == json{{"since", 15}});
  }
  SECTION("statuses_mentions uses statuses/mentions.json and maps statuses")
  {
    f.transport.reply(200, test::fixture("weibo/statuses_timeline_trimmed.json"));
    auto ch = f.channel();
    auto p = ch->fetch({"statuses_mentions", domain::ChannelKind::mention}, "", 20);
    REQUIRE(p);
    CHECK(test::path_of(f.transport.requests[0].url) == "/2/statuses/mentions.json");
    CHECK(ids_of(*p) == std::vector<std::string>{"3436164122209450", "3436164122209401"});
    CHECK(json::parse(p->cursor) == json{{"since", 3436164122209450}});
  }
  SECTION("expired token: auth with the re-bind hint")
  {
    f.transport.reply(400, R"({"error":"expired_token","error_code":21327,"request":"/2/comments/to_me.json"})");
    auto ch = f.channel();
    auto p = ch->fetch(k_to_me, "", 20);
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == ErrorKind::auth);
    CHECK(p.error().hint.find("svc account bind weibo shop") != std::string::npos);
  }
  SECTION("a truncated body is temporary; a bad cursor is usage; an unknown stream is usage")
  {
    f.transport.reply(200, page({3}, 0).substr(0, 40));
    auto ch = f.channel();
    auto p = ch->fetch(k_to_me, "", 20);
    REQUIRE_FALSE(p);
    CHECK(p.error().kind == ErrorKind::temporary);
    CHECK(ch->fetch(k_to_me, "garbage", 20).error().kind == ErrorKind::usage);
    CHECK(ch->fetch({"timeline", domain::ChannelKind::comment}, "", 20).error().kind
          == ErrorKind::usage);
  }
}

TEST_CASE("weibo::advance", "[channels]")
{
  using channels::weibo::advance;
  using channels::weibo::Cursor;
  SECTION("a platform that repeats next_cursor cannot hold the walk in place")
  {
    Cursor c;
    c.since = 0;
    c.max = 7;
    c.high = 10;
    auto step = advance(c, {7, 6}, 7);
    REQUIRE(step.next.max);
    CHECK(*step.next.max == 5);
  }
}

TEST_CASE("weibo::WeiboChannel::send", "[channels]")
{
  Fixture f;
  std::string created = json::parse(test::fixture("weibo/comments_list_trimmed.json"))["comments"][1].dump();

  SECTION("reply to a comment: comments/reply.json with cid, id, comment")
  {
    f.transport.reply(200, created);
    auto ch = f.channel();
    domain::Outgoing out;
    out.channel = domain::ChannelKind::comment;
    out.thread_key = "3481474642286341";
    out.reply_to = "3485067101827164";
    out.text = "您好 & 谢谢";
    auto r = ch->send(out);
    REQUIRE(r);
    CHECK(r->platform_message_id == "3485073486004301");
    const auto& req = f.transport.requests.at(0);
    CHECK(req.method == http::Method::post);
    CHECK(req.url == "http://127.0.0.1:9/2/comments/reply.json");
    CHECK_FALSE(req.idempotent);
    CHECK(http::header_value(req.headers, "content-type") == "application/x-www-form-urlencoded");
    CHECK(req.body == "access_token=TOK&cid=3485067101827164&id=3481474642286341&comment="
                      "%E6%82%A8%E5%A5%BD%20%26%20%E8%B0%A2%E8%B0%A2");
  }
  SECTION("a status mention (reply_to == thread or empty): comments/create.json")
  {
    f.transport.reply(200, created).reply(200, created);
    auto ch = f.channel();
    domain::Outgoing out;
    out.channel = domain::ChannelKind::mention;
    out.thread_key = "3436164122209450";
    out.reply_to = "3436164122209450";
    out.text = "hi";
    REQUIRE(ch->send(out));
    out.reply_to.clear();
    REQUIRE(ch->send(out));
    for (const auto& req : f.transport.requests) {
      CHECK(req.url == "http://127.0.0.1:9/2/comments/create.json");
      CHECK(req.body == "access_token=TOK&id=3436164122209450&comment=hi");
      CHECK_FALSE(req.idempotent);
    }
  }
  SECTION("a private message: messages/reply.json with receiver_id, type, URL-encoded JSON data")
  {
    f.transport.reply(200, R"({"result":true,"sender_id":"1","receiver_id":"77","type":"text"})");
    auto ch = f.channel();
    domain::Outgoing out;
    out.channel = domain::ChannelKind::dm;
    out.thread_key = "77";
    out.to_user = "77";
    out.text = "纯文本回复";
    auto r = ch->send(out);
    REQUIRE(r);
    CHECK(r->platform_message_id.empty());
    const auto& req = f.transport.requests.at(0);
    CHECK(req.url == "http://127.0.0.1:9/2/messages/reply.json"); // custom base: same host
    CHECK(req.body == "access_token=TOK&receiver_id=77&type=text&data="
                      "%7B%22text%22%3A%22%E7%BA%AF%E6%96%87%E6%9C%AC%E5%9B%9E%E5%A4%8D%22%7D");
    CHECK_FALSE(req.idempotent);
  }
  SECTION("production hosts: comments on api.weibo.com, private messages on m.api.weibo.com")
  {
    f.account.base_url.clear();
    f.transport.reply(200, created).reply(200, R"({"result":true})");
    auto ch = f.channel();
    domain::Outgoing out;
    out.channel = domain::ChannelKind::comment;
    out.thread_key = "1";
    out.text = "x";
    REQUIRE(ch->send(out));
    out.channel = domain::ChannelKind::dm;
    out.to_user = "2";
    REQUIRE(ch->send(out));
    CHECK(f.transport.requests[0].url == "https://api.weibo.com/2/comments/create.json");
    CHECK(f.transport.requests[1].url == "https://m.api.weibo.com/2/messages/reply.json");
  }
  SECTION("a transport error after the body went out keeps outcome_unknown")
  {
    Error timeout = make_error(ErrorKind::temporary, "timed out");
    timeout.outcome_unknown = true;
    f.transport.fail(timeout);
    auto ch = f.channel();
    domain::Outgoing out;
    out.channel = domain::ChannelKind::comment;
    out.thread_key = "1";
    out.reply_to = "2";
    out.text = "x";
    auto r = ch->send(out);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind == ErrorKind::temporary);
    CHECK(r.error().outcome_unknown);
    CHECK(r.error().message == "timed out");
  }
  SECTION("a truncated reply to a send is outcome_unknown; a refusal is not")
  {
    f.transport.reply(200, created.substr(0, 30))
      .reply(403, R"({"error":"User requests out of rate limit!","error_code":10023})");
    auto ch = f.channel();
    domain::Outgoing out;
    out.channel = domain::ChannelKind::comment;
    out.thread_key = "1";
    out.text = "x";
    auto unknown = ch->send(out);
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().outcome_unknown);
    auto refused = ch->send(out);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == ErrorKind::temporary);
    CHECK_FALSE(refused.error().outcome_unknown);
  }
}

TEST_CASE("weibo::WeiboChannel::verify and lookup_user", "[channels]")
{
  Fixture f;
  SECTION("verify: token info, then the account's own profile")
  {
    f.transport.reply(200, test::fixture("weibo/oauth2_get_token_info.json"))
      .reply(200, test::fixture("weibo/users_show.json"));
    auto ch = f.channel();
    auto me = ch->verify();
    REQUIRE(me);
    CHECK(me->name == "zaku");
    CHECK(f.transport.requests[0].url == "http://127.0.0.1:9/oauth2/get_token_info");
    CHECK(f.transport.requests[0].body == "access_token=TOK");
    CHECK(test::query_of(f.transport.requests[1].url) == "access_token=TOK&uid=1073880650");
  }
  SECTION("verify with a revoked token: auth")
  {
    f.transport.reply(401, R"({"error":"invalid_access_token","error_code":21332,"request":"/oauth2/get_token_info"})");
    auto ch = f.channel();
    CHECK(ch->verify().error().kind == ErrorKind::auth);
  }
  SECTION("lookup by screen name is URL-encoded; an unknown user is not_found")
  {
    f.transport.reply(200, test::fixture("weibo/users_show.json"))
      .reply(400, R"({"error":"User does not exists!","error_code":20003,"request":"/2/users/show.json"})");
    auto ch = f.channel();
    auto u = ch->lookup_user("微博 开放", true);
    REQUIRE(u);
    CHECK(u->id == "1404376560");
    CHECK(test::query_of(f.transport.requests[0].url)
          == "access_token=TOK&screen_name=%E5%BE%AE%E5%8D%9A%20%E5%BC%80%E6%94%BE");
    CHECK(ch->lookup_user("123", false).error().kind == ErrorKind::not_found);
    CHECK(test::query_of(f.transport.requests[1].url) == "access_token=TOK&uid=123");
  }
  SECTION("raw_call: GET with the token in the query, errors mapped")
  {
    f.transport.reply(200, R"({"ok":1})").reply(400, R"({"error":"x","error_code":21327})");
    auto ch = f.channel();
    auto body = ch->raw_call("get", "/2/account/rate_limit_status.json", {{"a", "1"}}, "");
    REQUIRE(body);
    CHECK(*body == R"({"ok":1})");
    CHECK(f.transport.requests[0].url
          == "http://127.0.0.1:9/2/account/rate_limit_status.json?access_token=TOK&a=1");
    CHECK(ch->raw_call("POST", "2/x.json", {}, "").error().kind == ErrorKind::auth);
    CHECK(f.transport.requests[1].url == "http://127.0.0.1:9/2/x.json");
    CHECK(ch->raw_call("DELETE", "/2/x.json", {}, "").error().kind == ErrorKind::usage);
  }
}

}  // namespace channels_test_weibo_channel
