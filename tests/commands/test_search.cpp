// `svc search`, run in-process (cli::run) on a state file seeded through the store.
#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/expect_svc.hpp"
#include "support/store_accounts.hpp"

namespace commands_test_search {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env : SvcEnv {
  // Two accounts with a few customers' messages, written the way a pull writes them.
  Env()
  {
    FixedClock clock(1795000000);
    store::OpenOptions o;
    o.path = state;
    o.clock = &clock;
    auto s = store::open_store(o);
    REQUIRE(s.has_value());
    auto bind = [&](const std::string& name, domain::Platform p) { return bind_account(**s, name, p); };
    auto wb = bind("wb", domain::Platform::weibo);
    auto tg = bind("tg", domain::Platform::telegram);
    auto add = [&](const domain::Account& a, const std::string& id, domain::ChannelKind ch, const std::string& user,
                   const std::string& name, const std::string& text, UnixTime at) {
      domain::InboundMessage m;
      m.channel = ch;
      m.platform_message_id = id;
      m.thread_key = ch == domain::ChannelKind::dm ? user : "post-1";
      m.author.id = user;
      m.author.name = name;
      m.text = text;
      m.created_at = at;
      REQUIRE((*s)->messages().ingest(a, "", {m}, "", store::Via::callback).has_value());
    };
    add(wb, "w1", domain::ChannelKind::comment, "u1", "陈默", "请问什么时候发货？", 1794900000);
    add(wb, "w2", domain::ChannelKind::mention, "u2", "小李", "@星河咖啡官方 发货太慢了，我要退款", 1794990000);
    add(tg, "t1", domain::ChannelKind::dm, "u3", "Anna", "Do you ship to Singapore?", 1794995000);
  }
};

} // namespace

TEST_CASE("svc search", "[commands][search]")
{
  Env env;
  auto& svc = env.svc;

  SECTION("json: the message fields, conversation, account, contact and a snippet")
  {
    auto out = ok(svc, {"--format", "json", "search", "退款"}).json();
    REQUIRE(out.size() == 1);
    const auto& m = out[0];
    CHECK(m.at("text") == "@星河咖啡官方 发货太慢了，我要退款");
    CHECK(m.at("account") == "wb");
    CHECK(m.at("platform") == "weibo");
    CHECK(m.at("channel") == "mention");
    CHECK(m.at("direction") == "in");
    CHECK(m.at("author") == "小李");
    CHECK(m.at("platform_message_id") == "w2");
    CHECK(m.at("created_at") == "2026-11-18T08:20:00Z");
    CHECK(m.at("contact").at("name") == "小李");
    CHECK(m.at("contact").at("platform_user_id") == "u2");
    CHECK(m.at("conversation_id").is_number_integer());
    CHECK(m.at("id").is_number_integer());
    CHECK(m.at("reply_to").is_null());
    CHECK(m.at("matched") == "text");
    CHECK(m.at("snippet") == "@星河咖啡官方 发货太慢了，我要**退款**");
  }
  SECTION("filters")
  {
    CHECK(ok(svc, {"--format", "json", "search", "发货"}).json().size() == 2);
    CHECK(ok(svc, {"--format", "json", "search", "发货", "--account", "tg"}).json().empty());
    CHECK(ok(svc, {"--format", "json", "search", "发货", "--limit", "1"}).json().size() == 1);
    auto since = ok(svc, {"--format", "json", "search", "发货", "--since", "2026-11-18"}).json();
    REQUIRE(since.size() == 1);
    CHECK(since[0].at("platform_message_id") == "w2");
    auto comments = ok(svc, {"--format", "json", "search", "发货", "--channel", "comment"}).json();
    REQUIRE(comments.size() == 1);
    CHECK(comments[0].at("platform_message_id") == "w1");
  }
  SECTION("table: one line per match and the snippet; no colour off a terminal")
  {
    auto o = ok(svc, {"search", "ship"});
    CHECK(o.out.find("tg dm  from Anna") != std::string::npos);
    CHECK(o.out.find("    Do you ship to Singapore?\n") != std::string::npos);
    CHECK(o.out.find('\033') == std::string::npos);
    auto none = ok(svc, {"search", "shipping"});
    CHECK(none.out.empty());
    CHECK(none.err.find("no message matches 'shipping'") != std::string::npos);
  }
  SECTION("csv has the listed columns")
  {
    auto o = ok(svc, {"--format", "csv", "search", "Singapore"});
    CHECK(o.out.rfind("id,created_at,account,channel,direction,author,conversation_id,matched,snippet\r\n", 0) == 0);
    CHECK(o.out.find("Do you ship to **Singapore**?") != std::string::npos);
  }
  SECTION("hostile query text is searched for, never an error")
  {
    for (const char* q : {"\"发货", "ship OR x", "-退款", "*", "NEAR(a", "a:b", "发货*"})
      ok(svc, {"--format", "json", "search", "--", q}); // -- : a query may start with '-'
    auto minus = ok(svc, {"--format", "json", "search", "--", "-退款"}).json();
    CHECK(minus.empty()); // "-" is text, not NOT: nothing has "-退款"
    CHECK(ok(svc, {"--format", "json", "search", "ship OR Singapore"}).json().empty()); // OR is a term
  }
  SECTION("bad input: exit codes and one-line errors")
  {
    fails(svc, {"search", "\"\""}, 2, "nothing to search for");
    fails(svc, {"search", "x", "--since", "yesterday"}, 2, "yesterday");
    fails(svc, {"search", "x", "--account", "nope"}, 3, "nope");
    auto o = svc.run({"search", "x", "--limit", "0"});
    CHECK(o.code == 2);
    o = svc.run({"search", "x", "--channel", "email"});
    CHECK(o.code == 2);
  }
}

}  // namespace commands_test_search
