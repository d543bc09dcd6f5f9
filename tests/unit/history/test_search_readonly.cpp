// svc search on a state file it cannot write (a copy or an archive with mode 0400, a read-only
// filesystem) while messages wait to be indexed (schema v8): the index answers up to its mark, the
// messages above it are scanned in place (lib/svc/store/search_index.cpp), and the file is untouched.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <sqlite3.h>

#include <svc/history/search.hpp>
#include <svc/store/search_backlog.hpp>
#include <svc/store/sqlite_store.hpp>
#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace history_test_search_readonly {

using namespace svc;

namespace {

using Ids = std::vector<std::string>; // platform message ids

struct Fixture {
  test::TempDir dir;
  FixedClock clock{1795000000};
  std::filesystem::path path = dir / "state.db";
  std::unique_ptr<store::Store> store;
  domain::Account wb, tg;

  Fixture()
  {
    open();
    wb = bind("wb", domain::Platform::weibo);
    tg = bind("tg", domain::Platform::telegram);
  }
  void open()
  {
    store.reset();
    store::OpenOptions o;
    o.path = path;
    o.clock = &clock;
    auto opened = store::open_store(o);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
  }
  // The file through a connection that cannot write, whoever runs the test (root ignores file modes):
  // what SQLite gives a user who may only read the file.
  void open_read_only()
  {
    store.reset();
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_extended_result_codes(raw, 1);
    store = std::make_unique<store::SqliteStore>(store::Db(raw), path, clock, store::known_schema_version());
  }
  domain::Account bind(const std::string& name, domain::Platform platform)
  {
    return svc::test::bind_account(*store, name, platform);
  }
  void add(const domain::Account& account, const std::string& id, domain::ChannelKind channel,
           const std::string& text, UnixTime at)
  {
    domain::InboundMessage m;
    m.channel = channel;
    m.direction = domain::Direction::in;
    m.platform_message_id = id;
    m.thread_key = channel == domain::ChannelKind::dm ? "u-" + id : "post-1";
    m.author.id = "u-" + id;
    m.author.name = "客户" + id;
    m.text = text;
    m.created_at = at;
    REQUIRE(store->messages().ingest(account, "", {m}, "", store::Via::callback).has_value());
  }
  std::vector<history::Match> search(const std::string& query, store::SearchFilter filter = {}, int limit = 50)
  {
    auto parsed = history::parse_query(query);
    REQUIRE(parsed.has_value());
    auto found = history::search(*store, *parsed, filter, limit);
    REQUIRE(found.has_value());
    return *found;
  }
  Ids ids(const std::string& query, store::SearchFilter filter = {}, int limit = 50)
  {
    Ids out;
    for (const auto& m : search(query, filter, limit))
      if (!m.by_contact)
        out.push_back(m.hit.platform_message_id);
    return out;
  }
  Ids oldest_first(const std::string& query, store::SearchFilter filter = {})
  {
    auto parsed = history::parse_query(query);
    REQUIRE(parsed.has_value());
    auto found = history::text_matches(*store, *parsed, filter);
    REQUIRE(found.has_value());
    Ids out;
    for (const auto& m : *found)
      out.push_back(m.hit.platform_message_id);
    return out;
  }
  std::int64_t pending()
  {
    auto n = store::search_backlog(*store)->pending();
    REQUIRE(n.has_value());
    return *n;
  }
  std::string bytes() const
  {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
};

Ids
sorted(Ids ids)
{
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Half the history indexed (a search ran after the first pull), half waiting (a second pull), the
// file closed: every term below has hits on both sides of the mark.
void
fill(Fixture& f)
{
  using domain::ChannelKind;
  f.add(f.wb, "i1", ChannelKind::comment, "请问什么时候发货？快递到上海要几天", 1794000001);
  f.add(f.tg, "i2", ChannelKind::dm, "The box arrived broken; I want a refund", 1794000002);
  f.add(f.tg, "i3", ChannelKind::dm, "Refunds take how long?", 1794000003);
  f.add(f.wb, "i4", ChannelKind::dm, "发货了吗", 1794000004);
  REQUIRE(f.ids("发货").size() == 2); // catches the index up
  REQUIRE(f.pending() == 0);
  f.add(f.wb, "b1", ChannelKind::comment, "还没发货，快递单号是多少", 1794000101);
  f.add(f.tg, "b2", ChannelKind::dm, "Still no REFUND for my order", 1794000102);
  f.add(f.tg, "b3", ChannelKind::dm, "refunded? not yet", 1794000103);
  f.add(f.wb, "b4", ChannelKind::mention, "@星河咖啡 快递到上海了吗 refund", 1794000104);
  f.add(f.tg, "b5", ChannelKind::dm, "", 1794000105); // no text
  REQUIRE(f.pending() == 5);
  f.store.reset(); // the last connection checkpoints the WAL into the file
}

} // namespace

TEST_CASE("history::search on a read-only state file scans what is not indexed yet", "[history][search]")
{
  Fixture f;
  fill(f);
  std::string before = f.bytes();
  f.open_read_only();

  SECTION("hits above and below the mark, with the same term semantics as the index")
  {
    CHECK(sorted(f.ids("发货")) == Ids{"b1", "i1", "i4"});          // 2 characters: a substring
    CHECK(sorted(f.ids("快递到上海")) == Ids{"b4", "i1"});          // 3+: the trigram index, or a scan
    CHECK(sorted(f.ids("refund")) == Ids{"b2", "b4", "i2"});        // a word, any ASCII case
    CHECK(sorted(f.ids("refund*")) == Ids{"b2", "b3", "b4", "i2", "i3"});
    CHECK(sorted(f.ids("refund 快递")) == Ids{"b4"});               // every term
    CHECK(f.ids("退款").empty());
  }
  SECTION("the filters apply to both")
  {
    store::SearchFilter telegram;
    telegram.account_id = f.tg.id;
    CHECK(sorted(f.ids("refund", telegram)) == Ids{"b2", "i2"});
    store::SearchFilter mentions;
    mentions.channels = {"mention"};
    CHECK(f.ids("refund", mentions) == Ids{"b4"});
    store::SearchFilter since;
    since.since = 1794000100;
    CHECK(sorted(f.ids("发货", since)) == Ids{"b1"});
  }
  SECTION("the order: ranked hits, then the backlog newest first; oldest first, the index then the backlog")
  {
    CHECK(f.ids("refund") == Ids{"i2", "b4", "b2"});
    CHECK(f.ids("发货") == Ids{"b1", "i4", "i1"}); // short terms only: newest first
    CHECK(f.ids("发货", {}, 1) == Ids{"b1"});
    CHECK(f.oldest_first("refund*") == Ids{"i2", "i3", "b2", "b3", "b4"});
  }
  CHECK(f.pending() == 5); // nothing indexed
  f.store.reset();
  CHECK(f.bytes() == before);
}

TEST_CASE("history::search on a read-only state file finds what it finds after catching up", "[history][search]")
{
  Fixture f;
  fill(f);
  f.open_read_only();
  std::vector<std::string> queries = {"发货",    "快递到上海", "refund", "refund*",
                                      "REFUND 快递", "not yet",    "上海 吗"};
  std::vector<Ids> read_only;
  for (const auto& q : queries)
    read_only.push_back(f.oldest_first(q));
  f.open();
  REQUIRE(f.ids("发货").size() == 3); // catches up
  REQUIRE(f.pending() == 0);
  for (std::size_t i = 0; i < queries.size(); ++i) {
    INFO(queries[i]);
    CHECK(!read_only[i].empty());
    CHECK(f.oldest_first(queries[i]) == read_only[i]);
  }
}

TEST_CASE("history::search on a state file of mode 0400", "[history][search]")
{
  // Root reads and writes any file whatever its mode: the case above covers it through a read-only
  // connection. Anyone else gets what SQLite does with a file it may only read (open_store asks for
  // read-write; SQLite falls back to reading).
  if (geteuid() == 0)
    return;
  Fixture f;
  fill(f);
  std::string before = f.bytes();
  REQUIRE(chmod(f.path.c_str(), 0400) == 0);
  f.open();
  CHECK(sorted(f.ids("refund")) == Ids{"b2", "b4", "i2"});
  CHECK(sorted(f.ids("发货")) == Ids{"b1", "i1", "i4"});
  CHECK(f.pending() == 5);
  f.store.reset();
  chmod(f.path.c_str(), 0600);
  CHECK(f.bytes() == before);
}

TEST_CASE("history::search on a read-only state file with nothing to index", "[history][search]")
{
  Fixture f;
  fill(f);
  f.open();
  Ids ranked = f.ids("refund"); // catches up
  REQUIRE(ranked.size() == 3);
  f.store.reset();
  std::string before = f.bytes();
  f.open_read_only();
  CHECK(f.ids("refund") == ranked);
  f.store.reset();
  CHECK(f.bytes() == before);
}

}  // namespace history_test_search_readonly
