// `svc watch add|list|run|remove`, run in-process (cli::run) on a state file that messages are added
// to through the store between runs, as pulls would.
#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/expect_svc.hpp"
#include "support/store_accounts.hpp"

namespace commands_test_watch {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

struct Env : SvcEnv {
  FixedClock clock{1795000000};
  domain::Account wb;
  int next = 0;

  Env()
  {
    wb = bind_account(*open(), "wb", domain::Platform::weibo);
  }
  std::unique_ptr<store::Store> open()
  {
    store::OpenOptions o;
    o.path = state;
    o.clock = &clock;
    auto s = store::open_store(o);
    REQUIRE(s.has_value());
    return std::move(*s);
  }
  // A customer's message (or, with out, an agent's reply in the same thread).
  void add(domain::ChannelKind ch, const std::string& user, const std::string& text,
           domain::Direction dir = domain::Direction::in)
  {
    auto s = open();
    domain::InboundMessage m;
    m.channel = ch;
    m.direction = dir;
    m.platform_message_id = "p" + std::to_string(++next);
    m.thread_key = ch == domain::ChannelKind::dm ? user : "post-1";
    m.author.id = user;
    m.author.name = "name-" + user;
    m.text = text;
    m.created_at = 1794000000 + next;
    REQUIRE(s->messages().ingest(wb, "", {m}, "", store::Via::callback).has_value());
  }
  std::vector<std::string> tags(const std::string& user)
  {
    auto s = open();
    auto c = s->contacts().find("wb", user);
    REQUIRE(c.has_value());
    return c->tags;
  }
};

std::vector<std::string>
texts(const json& rows)
{
  std::vector<std::string> out;
  for (const auto& r : rows)
    out.push_back(r.at("text"));
  return out;
}

using Texts = std::vector<std::string>;

} // namespace

TEST_CASE("svc watch", "[commands][watch]")
{
  Env env;
  auto& svc = env.svc;
  using domain::ChannelKind;
  env.add(ChannelKind::comment, "u1", "什么时候发货？");
  env.add(ChannelKind::dm, "u2", "发货太慢了，我要退款");
  env.add(ChannelKind::dm, "u2", "发货了吗", domain::Direction::out); // a reply: not watched

  SECTION("backfilled on creation, then new matches since the last run, exactly once")
  {
    auto added = ok(svc, {"watch", "add", "shipping", "发货"});
    CHECK(added.err.find("Added watch 'shipping': 2 matches in the history") != std::string::npos);

    auto list = ok(svc, {"--format", "json", "watch", "list"}).json();
    REQUIRE(list.size() == 1);
    CHECK(list[0].at("name") == "shipping");
    CHECK(list[0].at("query") == "发货");
    CHECK(list[0].at("matches") == 2);
    CHECK(list[0].at("new") == 0);
    CHECK(list[0].at("tag").is_null());
    CHECK(list[0].at("last_run_at").is_null());

    // Nothing arrived since the creation.
    CHECK(ok(svc, {"--format", "json", "watch", "run"}).json().empty());

    env.add(ChannelKind::mention, "u3", "@官方 还不发货？");
    env.add(ChannelKind::dm, "u4", "谢谢");
    list = ok(svc, {"--format", "json", "watch", "list"}).json();
    CHECK(list[0].at("matches") == 3);
    CHECK(list[0].at("new") == 1);

    svc.clock.advance(60);
    auto run = ok(svc, {"--format", "json", "watch", "run", "shipping"});
    auto rows = run.json();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].at("watch") == "shipping");
    CHECK(rows[0].at("text") == "@官方 还不发货？");
    CHECK(rows[0].at("snippet") == "@官方 还不**发货**？");
    CHECK(run.err.find("watch 'shipping': 1 new") != std::string::npos);

    // The mark moved: a second run lists nothing; the next message is new again.
    CHECK(ok(svc, {"--format", "json", "watch", "run", "shipping"}).json().empty());
    list = ok(svc, {"--format", "json", "watch", "list"}).json();
    CHECK(list[0].at("new") == 0);
    CHECK(list[0].at("last_run_at") == "2026-11-18T11:07:40Z");
    env.add(ChannelKind::comment, "u5", "发货地址改一下");
    CHECK(texts(ok(svc, {"--format", "json", "watch", "run"}).json()) == Texts{"发货地址改一下"});
  }
  SECTION("--channel limits a watch; --tag tags the senders, the history's too")
  {
    ok(svc, {"watch", "add", "dm-refunds", "退款", "--channel", "dm", "--tag", "refund"});
    CHECK(env.tags("u2") == std::vector<std::string>{"refund"});
    env.add(ChannelKind::comment, "u6", "退款呢");
    env.add(ChannelKind::dm, "u7", "退款到账了吗");
    auto rows = ok(svc, {"--format", "json", "watch", "run"}).json();
    CHECK(texts(rows) == Texts{"退款到账了吗"});
    CHECK(env.tags("u7") == std::vector<std::string>{"refund"});
    CHECK(env.tags("u6").empty());
  }
  SECTION("Latin words, and every watch at once in the table")
  {
    ok(svc, {"watch", "add", "ship", "ship"});
    ok(svc, {"watch", "add", "box", "box"});
    env.add(ChannelKind::dm, "u8", "Free shipping?");
    env.add(ChannelKind::dm, "u8", "Do you ship this box?");
    auto table = ok(svc, {"watch", "run"}).out;
    CHECK(table.find("box  #") != std::string::npos);
    CHECK(table.find("ship  #") != std::string::npos);
    CHECK(table.find("Free shipping") == std::string::npos);
  }
  SECTION("remove, and bad input changes nothing")
  {
    ok(svc, {"watch", "add", "w", "发货"});
    fails(svc, {"watch", "add", "w", "退款"}, 6, "already exists");
    fails(svc, {"watch", "add", "bad name", "退款"}, 2, "bad watch name");
    fails(svc, {"watch", "add", "empty", "\"\""}, 2, "nothing to search for");
    fails(svc, {"watch", "add", "t", "退款", "--tag", "a,b"}, 2, "a,b");
    fails(svc, {"watch", "run", "nope"}, 3, "no watch named 'nope'");
    fails(svc, {"watch", "remove", "nope"}, 3, "no watch named 'nope'");
    auto list = ok(svc, {"--format", "json", "watch", "list"}).json();
    REQUIRE(list.size() == 1);
    CHECK(list[0].at("query") == "发货");
    ok(svc, {"watch", "remove", "w"});
    CHECK(ok(svc, {"--format", "json", "watch", "list"}).json().empty());
  }
}

}  // namespace commands_test_watch
