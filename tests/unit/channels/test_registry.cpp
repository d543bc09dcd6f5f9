// make_channel's platform table, default base URLs, missing credentials, and the classifiers.
#include <catch2/catch.hpp>

#include <svc/channels/channel.hpp>
#include <svc/channels/classify.hpp>

#include "stub_transport.hpp"

namespace channels_test_registry {

using namespace svc;

TEST_CASE("channels::default_base_url", "[channels]")
{
  CHECK(channels::default_base_url(domain::Platform::weibo) == "https://api.weibo.com");
  CHECK(channels::default_base_url(domain::Platform::wechat) == "https://api.weixin.qq.com");
  CHECK(channels::default_base_url(domain::Platform::telegram) == "https://api.telegram.org");
}

TEST_CASE("channels::make_channel", "[channels]")
{
  test::ScriptedTransport transport;
  test::MemoryTokenCache tokens;
  FixedClock clock(1700000000);
  domain::Account account;
  account.name = "acct";

  SECTION("streams and capabilities per platform")
  {
    channels::Credentials creds{"TOKEN", "APP", "SECRET"};
    account.platform = domain::Platform::weibo;
    auto weibo = channels::make_channel(account, creds, transport, tokens, clock);
    REQUIRE(weibo);
    auto ws = (*weibo)->streams();
    REQUIRE(ws.size() == 3);
    CHECK(ws[0].name == "comments_to_me");
    CHECK(ws[0].channel == domain::ChannelKind::comment);
    CHECK(ws[1].name == "comments_mentions");
    CHECK(ws[2].name == "statuses_mentions");
    // Weibo serves a page again from the stored cursor (since_id): its pages commit unsynced.
    for (const auto& stream : ws)
      CHECK_FALSE(stream.next_fetch_confirms);
    CHECK((*weibo)->capabilities().can_lookup_by_name);

    account.platform = domain::Platform::wechat;
    auto wechat = channels::make_channel(account, creds, transport, tokens, clock);
    REQUIRE(wechat);
    CHECK((*wechat)->streams().at(0).name == "msgrecord");
    CHECK_FALSE((*wechat)->streams().at(0).next_fetch_confirms); // msgrecord is re-read by time range
    CHECK_FALSE((*wechat)->capabilities().can_lookup_by_name);

    account.platform = domain::Platform::telegram;
    auto tg = channels::make_channel(account, creds, transport, tokens, clock);
    REQUIRE(tg);
    CHECK((*tg)->streams().at(0).name == "updates");
    CHECK((*tg)->streams().at(0).next_fetch_confirms); // getUpdates' offset confirms the previous page
  }
  SECTION("production base URL when the account has none")
  {
    account.platform = domain::Platform::telegram;
    transport.reply(200, R"({"ok":true,"result":{"id":1,"first_name":"b"}})");
    auto tg = channels::make_channel(account, {"T", "", ""}, transport, tokens, clock);
    REQUIRE(tg);
    REQUIRE((*tg)->verify());
    CHECK(transport.requests.at(0).url == "https://api.telegram.org/botT/getMe");
  }
  SECTION("missing credentials are usage errors with a bind hint")
  {
    account.platform = domain::Platform::weibo;
    auto w = channels::make_channel(account, {}, transport, tokens, clock);
    REQUIRE_FALSE(w);
    CHECK(w.error().kind == ErrorKind::usage);
    CHECK(w.error().hint.find("svc account bind weibo acct") != std::string::npos);
    account.platform = domain::Platform::wechat;
    CHECK_FALSE(channels::make_channel(account, {"", "APP", ""}, transport, tokens, clock));
    account.app_id = "APP";
    CHECK(channels::make_channel(account, {"", "", "SECRET"}, transport, tokens, clock));
  }
}

TEST_CASE("channels::response_classifier", "[channels]")
{
  auto r = [](int status, const char* body) {
    http::Response x;
    x.status = status;
    x.body = body;
    return x;
  };
  auto weibo = channels::response_classifier(domain::Platform::weibo);
  auto wechat = channels::response_classifier(domain::Platform::wechat);
  auto tg = channels::response_classifier(domain::Platform::telegram);
  CHECK(weibo(r(403, R"({"error":"x","error_code":10023})")).transient);
  CHECK_FALSE(weibo(r(400, R"({"error":"x","error_code":20019})")).transient);
  CHECK(wechat(r(200, R"({"errcode":45011,"errmsg":"x"})")).transient);
  CHECK(wechat(r(200, R"({"errcode":-1,"errmsg":"system error"})")).transient);
  CHECK_FALSE(wechat(r(200, R"({"errcode":45009,"errmsg":"daily"})")).transient);
  CHECK_FALSE(wechat(r(200, R"({"errcode":0,"errmsg":"ok"})")).transient);
  auto advice = tg(r(429, R"({"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":3}})"));
  CHECK(advice.transient);
  CHECK(advice.retry_after_s == 3.0);
  CHECK_FALSE(tg(r(400, R"({"ok":false,"error_code":400,"description":"Bad Request"})")).transient);
}

}  // namespace channels_test_registry
