// svc search over a real state file: the FTS5 tables of migration v5, their triggers and backfill, and
// what lib/svc/history makes of the candidates.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sqlite3.h>

#include <svc/history/search.hpp>
#include <svc/history/search_watch.hpp>
#include <svc/store/migrations.hpp>
#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace history_test_search_index {

using namespace svc;
using nlohmann::json;

namespace {

using Ids = std::vector<std::int64_t>;

struct Fixture {
  test::TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;

  Fixture() { open(); }
  void open()
  {
    store.reset();
    store::OpenOptions o;
    o.path = dir / "state.db";
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
  }
  domain::Account bind(const std::string& name, domain::Platform platform)
  {
    return svc::test::bind_account(*store, name, platform);
  }
  void add(const domain::Account& account, const std::string& id, domain::ChannelKind channel,
           const std::string& user_id, const std::string& user_name, const std::string& text, UnixTime at,
           domain::Direction direction = domain::Direction::in)
  {
    domain::InboundMessage m;
    m.channel = channel;
    m.direction = direction;
    m.platform_message_id = id;
    m.thread_key = channel == domain::ChannelKind::dm ? user_id : "post-1";
    m.author.id = user_id;
    m.author.name = user_name;
    m.text = text;
    m.created_at = at;
    auto r = store->messages().ingest(account, "", {m}, "", store::Via::callback);
    REQUIRE(r.has_value());
  }
  std::vector<std::int64_t> ids(const std::string& query, store::SearchFilter filter = {}, int limit = 50)
  {
    auto parsed = history::parse_query(query);
    REQUIRE(parsed.has_value());
    auto found = history::search(*store, *parsed, filter, limit);
    REQUIRE(found.has_value());
    std::vector<std::int64_t> out;
    for (const auto& m : *found)
      out.push_back(m.hit.id);
    return out;
  }
  // What the index yields for `terms`, oldest first, before lib/svc/history checks words.
  Ids candidates(const std::vector<std::string>& terms)
  {
    Ids out;
    auto r = store::search_index(*store)->messages(terms, {}, store::SearchOrder::oldest,
                                                   [&](const store::SearchHit& h) {
                                                     out.push_back(h.id);
                                                     return true;
                                                   });
    REQUIRE(r.has_value());
    return out;
  }
  std::int64_t message_id(const std::string& platform_id)
  {
    std::int64_t id = 0;
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir / "state.db").c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT id FROM messages WHERE platform_message_id = ?1", -1, &s, nullptr);
    sqlite3_bind_text(s, 1, platform_id.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW)
      id = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    REQUIRE(id != 0);
    return id;
  }
};


// The Weibo comments fixture: real Chinese text as the platform returns it.
json
weibo_comments()
{
  std::ifstream in(std::filesystem::path(SVC_FIXTURES_DIR) / "weibo" / "comments_list_trimmed.json");
  REQUIRE(in);
  return json::parse(in).at("comments");
}

} // namespace

TEST_CASE("history::search", "[history][search]")
{
  Fixture f;
  auto wb = f.bind("wb", domain::Platform::weibo);
  auto tg = f.bind("tg", domain::Platform::telegram);
  using domain::ChannelKind;
  int n = 0;
  for (const auto& c : weibo_comments()) {
    ++n;
    f.add(wb, "c" + std::to_string(n), ChannelKind::comment, c.at("user").at("idstr").get<std::string>(),
          c.at("user").at("screen_name").get<std::string>(), c.at("text").get<std::string>(), 1794000000 + n);
  }
  f.add(wb, "m1", ChannelKind::mention, "u1", "陈默", "@星河咖啡官方 请问什么时候发货？", 1794990000);
  f.add(wb, "m2", ChannelKind::dm, "u2", "Sophie", "Do you ship to Singapore? 发货要多久", 1794991000);
  f.add(tg, "t1", ChannelKind::dm, "u3", "Anna K.", "Free shipping for orders over 100?", 1794992000);
  f.add(tg, "t2", ChannelKind::dm, "u3", "Anna K.", "The box arrived broken; I want a refund", 1794993000);
  f.add(tg, "t3", ChannelKind::dm, "u4", "发货小王", "hello", 1794994000);
  auto c1 = f.message_id("c1"), c2 = f.message_id("c2"), m1 = f.message_id("m1"), m2 = f.message_id("m2");
  auto t1 = f.message_id("t1"), t2 = f.message_id("t2"), t3 = f.message_id("t3");

  SECTION("CJK text by substring, from the fixture")
  {
    CHECK(f.ids("授权有效期") == Ids{c2});
    CHECK(f.ids("重新打开授权页") == Ids{c2});
    CHECK(f.ids("新浪微博的支持") == Ids{c2});
  }
  SECTION("1- and 2-character CJK queries (below the trigram size)")
  {
    auto two = f.ids("发货");
    std::sort(two.begin(), two.end());
    CHECK(two == Ids{m1, m2, t3}); // t3 by its sender's name
    CHECK(f.ids("授权") == Ids{c2});
    CHECK(f.ids("谢") == Ids{c2});
    CHECK(f.ids("狗") == Ids{});
    CHECK(f.ids("默") == Ids{m1}); // the name 陈默
    CHECK(f.ids("您") == Ids{c2});
  }
  SECTION("Latin text by word")
  {
    CHECK(f.ids("ship") == Ids{m2});
    CHECK(f.ids("shipping") == Ids{t1});
    CHECK(f.ids("ship*").size() == 2);
    CHECK(f.ids("SINGAPORE") == Ids{m2});
    CHECK(f.ids("ox") == Ids{}); // inside "box": not a word
    CHECK(f.ids("box refund") == Ids{t2});
    CHECK(f.ids("box shipping") == Ids{});
    CHECK(f.ids("ddddd") == Ids{c1});
  }
  SECTION("a long term with short ones: every term must be there")
  {
    // The short terms are checked on the FTS table's copy of the text (instr() for CJK, LIKE for Latin).
    f.add(tg, "x1", ChannelKind::dm, "u7", "Bo", "Refund please, OK?", 1794995100);
    auto x1 = f.message_id("x1");
    CHECK(f.ids("什么时候 发货") == Ids{m1});
    CHECK(f.ids("Singapore 发货") == Ids{m2});
    CHECK(f.ids("什么时候 到账") == Ids{});
    CHECK(f.ids("refund ok") == Ids{x1}); // "ok" in any case; t2's "broken" has it inside a word only
    CHECK(f.ids("REFUND Ok") == Ids{x1});
    CHECK(f.ids("refund 发货") == Ids{});
    CHECK(f.ids("ok") == Ids{x1}); // a short Latin term alone: a scan, the same checks
  }
  SECTION("a long CJK term with a short one: the index narrows by a trigram, the text decides")
  {
    // With a short term the long CJK one is asked of the index by its first trigram only (杯子碎) and
    // checked whole on the text: y1 has the trigram but not the term, y2 both terms, y3 the term at
    // the very end of its text, y4 the term without the short one.
    f.add(tg, "y1", ChannelKind::dm, "u8", "Li", "杯子碎裂了，包装也破了", 1794995200);
    f.add(tg, "y2", ChannelKind::dm, "u8", "Li", "杯子碎了，包装也破了", 1794995300);
    f.add(tg, "y3", ChannelKind::dm, "u8", "Li", "包装好好的，杯子碎了", 1794995400);
    f.add(tg, "y4", ChannelKind::dm, "u8", "Li", "杯子碎了", 1794995500);
    auto y2 = f.message_id("y2"), y3 = f.message_id("y3"), y4 = f.message_id("y4");
    auto both = f.ids("杯子碎了 包装");
    std::sort(both.begin(), both.end());
    CHECK(both == Ids{y2, y3});
    // The index's own answer, before history's word check (which would hide a missing text check).
    CHECK(f.candidates({"杯子碎了", "包装"}) == Ids{y2, y3});
    CHECK(f.ids("包装 杯子碎了1") == Ids{});
    auto alone = f.ids("杯子碎了");
    std::sort(alone.begin(), alone.end());
    CHECK(alone == Ids{y2, y3, y4});
    // Letters the index folds (Cyrillic here) keep the FTS phrase: the index's candidates are what
    // the trigrams find, any case (history's word check then compares bytes: see "Latin text by word").
    f.add(tg, "y5", ChannelKind::dm, "u8", "Li", "ПРИВЕТ 你好", 1794995600);
    CHECK(f.candidates({"привет", "你"}) == Ids{f.message_id("y5")});
  }
  SECTION("contact names: the sender's messages")
  {
    auto anna = f.ids("Anna");
    std::sort(anna.begin(), anna.end());
    CHECK(anna == Ids{t1, t2});
    auto parsed = history::parse_query("小王");
    auto found = history::search(*f.store, *parsed, {}, 10);
    REQUIRE(found->size() == 1);
    CHECK(found->at(0).by_contact);
    CHECK(history::match_json(found->at(0)).at("matched") == "contact");
  }
  SECTION("hostile query syntax never fails")
  {
    for (const char* hostile : {"\"", "\"\"\"", "*", "-", "OR", "AND NOT", "NEAR(a b)", "a OR b", "-refund",
                                "ship*)", "col:text", "^box", "'; DROP TABLE messages; --", "%", "_", "\\",
                                "{text}:ship", "发货\"", "100%", "a_b"}) {
      INFO(hostile);
      auto parsed = history::parse_query(hostile);
      if (!parsed)
        continue; // nothing to search for: a usage error, checked elsewhere
      auto found = history::search(*f.store, *parsed, {}, 10);
      CHECK(found.has_value());
    }
    CHECK(f.ids("-refund") == Ids{}); // "-" is text, not NOT
    CHECK(f.ids("100%") == Ids{});    // % is not a LIKE wildcard
    CHECK(f.ids("100") == Ids{t1});
  }
  SECTION("ranked by bm25: the message where the term weighs more comes first")
  {
    f.add(tg, "r1", ChannelKind::dm, "u5", "Li", "refund refund refund", 1794995000);
    auto ranked = f.ids("refund");
    REQUIRE(ranked.size() == 2);
    CHECK(ranked[0] == f.message_id("r1"));
    CHECK(ranked[1] == t2);
  }
  SECTION("filters: account, since, channel, limit")
  {
    store::SearchFilter only_tg;
    only_tg.account_id = tg.id;
    CHECK(f.ids("ship*", only_tg) == Ids{t1});
    store::SearchFilter recent;
    recent.since = 1794991500;
    CHECK(f.ids("发货", recent) == Ids{t3});
    store::SearchFilter mentions;
    mentions.channels = {"mention"};
    CHECK(f.ids("发货", mentions) == Ids{m1});
    CHECK(f.ids("发货", {}, 2).size() == 2);
  }
  SECTION("kept in sync: insert, update, delete, contact rename, purge")
  {
    f.add(wb, "m3", ChannelKind::dm, "u6", "王五", "退款什么时候到账", 1794996000);
    auto m3 = f.message_id("m3");
    CHECK(f.ids("到账") == Ids{m3});
    CHECK(f.ids("退款什么") == Ids{m3});
    {
      sqlite3* db = nullptr;
      REQUIRE(sqlite3_open((f.dir / "state.db").c_str(), &db) == SQLITE_OK);
      std::string sql = "UPDATE messages SET text = '已经收到了 thanks' WHERE id = " + std::to_string(m3);
      REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
      sql = "DELETE FROM messages WHERE id = " + std::to_string(m1);
      REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
      sqlite3_close(db);
    }
    CHECK(f.ids("退款什么") == Ids{});
    CHECK(f.ids("已经收到") == Ids{m3});
    CHECK(f.ids("thanks") == Ids{m3});
    CHECK(f.ids("请问什么") == Ids{});

    // A contact renamed by a later pull is found by the new name only.
    f.add(tg, "t9", ChannelKind::dm, "u3", "Anna Karenina", "ok", 1794997000);
    CHECK(f.ids("Karenina").size() == 3);

    REQUIRE(f.store->accounts().unbind("tg", true).has_value());
    CHECK(f.ids("ship*") == Ids{m2});
    CHECK(f.ids("Anna") == Ids{});
    CHECK(f.ids("hello") == Ids{});
  }
}

TEST_CASE("store migration v5 indexes the existing history", "[history][search]")
{
  test::TempDir dir;
  auto path = dir / "v4.db";
  {
    // A file as svc with schema 4 left it: one message, one contact.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string sql = "PRAGMA application_id = " + std::to_string(store::k_application_id) + ";";
    for (int i = 0; i < 4; ++i)
      sql += std::string(store::migrations()[static_cast<std::size_t>(i)]);
    sql += "PRAGMA user_version = 4;"
           "INSERT INTO accounts (id, name, platform, created_at) VALUES (1, 'old', 'weibo', 1);"
           "INSERT INTO contacts (id, account_id, platform_user_id, name, first_seen_at, last_seen_at)"
           " VALUES (1, 1, 'u1', '老客户张三', 1, 1);"
           "INSERT INTO conversations (id, account_id, channel, thread_key, contact_id, created_at, updated_at)"
           " VALUES (1, 1, 'dm', 'u1', 1, 1, 1);"
           "INSERT INTO messages (id, account_id, conversation_id, contact_id, platform_message_id, direction,"
           " channel, text, created_at, stored_at) VALUES (7, 1, 1, 1, 'p1', 'in', 'dm', '快递一直没有更新', 1, 1);";
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    INFO((err ? err : ""));
    sqlite3_free(err);
    REQUIRE(rc == SQLITE_OK);
    sqlite3_close(db);
  }
  FixedClock clock(1795000000);
  store::OpenOptions o;
  o.path = path;
  o.clock = &clock;
  auto opened = store::open_store(o);
  REQUIRE(opened.has_value());
  for (const char* text : {"没有更新", "快递", "张三"}) {
    auto found = history::search(**opened, *history::parse_query(text), {}, 5);
    REQUIRE(found.has_value());
    REQUIRE(found->size() == 1);
    CHECK(found->at(0).hit.id == 7);
  }
}

TEST_CASE("history::print_match", "[history][search]")
{
  history::Match m;
  m.hit.id = 12;
  m.hit.conversation_id = 3;
  m.hit.account = "wb";
  m.hit.channel = "comment";
  m.hit.direction = "in";
  m.hit.author = "陈默";
  m.hit.created_at = 1795000000;
  m.hit.text = "请问什么时候发货？";
  m.snippet = history::snippet(m.hit.text, *history::parse_query("发货"));
  std::istringstream in;
  std::ostringstream out, err;
  io::Streams io{in, out, err};
  SECTION("plain off a terminal")
  {
    history::print_match(io, m);
    CHECK(out.str() == "#12  2026-11-18T11:06:40Z  wb comment  from 陈默  conversation #3\n"
                       "    请问什么时候发货？\n");
  }
  SECTION("the match in colour on a terminal")
  {
    io.color = true;
    history::print_match(io, m, "w");
    CHECK(out.str().find("    请问什么时候\033[1;31m发货\033[0m？\n") != std::string::npos);
    CHECK(out.str().rfind("\033[1mw\033[0m  ", 0) == 0);
  }
}

}  // namespace history_test_search_index
