// Deferred indexing of message text (schema v8, lib/svc/store/search_backlog.hpp): whatever happened to
// the messages since the last catch-up (stored, edited, deleted, purged with their account, a rowid
// reused), a search finds exactly the messages whose current text holds the term, and the index holds
// exactly the current texts, whether or not the index was caught up in between. Two processes, one
// storing and one searching, never index a message twice or miss one.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <svc/store/migrations.hpp>
#include <svc/store/search_backlog.hpp>
#include <svc/store/search_index.hpp>

#include "store_test_util.hpp"

namespace store_test_search_backlog {

using namespace svc;
using namespace svc::test;

namespace {

using Ids = std::set<std::int64_t>;

domain::Account
account(const std::string& name, domain::Platform platform = domain::Platform::telegram)
{
  domain::Account a;
  a.name = name;
  a.platform = platform;
  a.token = {domain::SecretRef::Source::env, "T"};
  return a;
}

domain::InboundMessage
message(const std::string& id, const std::string& text)
{
  domain::InboundMessage m;
  m.platform_message_id = id;
  m.thread_key = "t" + id.substr(0, 1);
  m.author.id = "u" + id.substr(0, 1);
  m.author.name = "Customer";
  m.text = text;
  m.created_at = 1794999000;
  return m;
}

// The words the texts are made of: each text holds some of them, so a search for one has a known answer.
const std::vector<std::string> k_words = {"发货了吗", "refund", "快递单号", "invoice", "退款申请", "tracking"};

struct Fixture {
  TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<RawDb> raw_db;
  std::map<std::string, domain::Account> accounts;
  int next_id = 0;

  Fixture()
  {
    open();
    for (const char* name : {"a", "b"}) {
      auto bound = store->accounts().bind(account(name), false);
      REQUIRE(bound.has_value());
      accounts[name] = *bound;
    }
  }
  void open()
  {
    auto opened = open_at(dir / "state.db", clock);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    raw_db = std::make_unique<RawDb>(dir / "state.db");
  }
  // No connection may cross a fork (SQLite's locks are per process): closed before, opened after.
  void close()
  {
    store.reset();
    raw_db.reset();
  }
  RawDb& raw() { return *raw_db; }

  void ingest(const std::string& acct, const std::vector<std::string>& texts)
  {
    std::vector<domain::InboundMessage> page;
    for (const auto& t : texts) {
      ++next_id;
      page.push_back(message(std::to_string(next_id % 7) + "-" + std::to_string(next_id), t));
    }
    auto r = store->messages().ingest(accounts.at(acct), "updates", page, "c", store::Via::pull);
    REQUIRE(r.has_value());
    REQUIRE(r->stored == static_cast<int>(texts.size()));
  }

  std::int64_t catch_up()
  {
    auto n = store::search_backlog(*store)->catch_up();
    REQUIRE(n.has_value());
    return *n;
  }

  Ids search(const std::string& term)
  {
    Ids found;
    auto r = store::search_index(*store)->messages({term}, {}, store::SearchOrder::oldest,
                                                   [&](const store::SearchHit& h) {
                                                     found.insert(h.id);
                                                     return true;
                                                   });
    REQUIRE(r.has_value());
    return found;
  }

  // The answer, from the messages table itself.
  Ids truth(const std::string& term)
  {
    Ids ids;
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw().handle(), "SELECT id FROM messages WHERE instr(lower(text), lower(?1)) > 0", -1,
                               &s, nullptr) == SQLITE_OK);
    sqlite3_bind_text(s, 1, term.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(s) == SQLITE_ROW)
      ids.insert(sqlite3_column_int64(s, 0));
    sqlite3_finalize(s);
    return ids;
  }

  // Right after a catch-up, the index holds exactly the non-empty current texts, once each.
  void check_index_exact()
  {
    CHECK(raw().integer("SELECT count(*) FROM message_fts") == raw().integer("SELECT count(*) FROM messages WHERE text <> ''"));
    CHECK(raw().integer("SELECT count(*) FROM messages m JOIN message_fts f ON f.rowid = m.id AND f.text = m.text") ==
          raw().integer("SELECT count(*) FROM messages WHERE text <> ''"));
    CHECK(raw().text("SELECT (SELECT indexed_through FROM message_fts_state) >= coalesce(max(id), 0) FROM messages") ==
          "1");
  }

  void check_every_word()
  {
    for (const auto& w : k_words) {
      INFO("term " << w);
      CHECK(search(w) == truth(w)); // search() catches up first
    }
    check_index_exact();
  }
};

} // namespace

TEST_CASE("store::search_backlog a new file's index starts current and stays so", "[store][search]")
{
  Fixture f;
  auto backlog = store::search_backlog(*f.store);
  CHECK(*backlog->pending() == 0);
  CHECK(f.catch_up() == 0);
  f.ingest("a", {"请问发货了吗", "", "refund please"});
  CHECK(*backlog->pending() == 3);
  CHECK(f.raw().integer("SELECT count(*) FROM message_fts") == 0); // storing indexes nothing
  CHECK(f.catch_up() == 2);                                      // the empty text is not indexed
  CHECK(*backlog->pending() == 0);
  CHECK(f.catch_up() == 0); // idempotent
  f.check_every_word();
}

TEST_CASE("store::search_backlog search finds exactly the current texts", "[store][search]")
{
  Fixture f;
  f.ingest("a", {"请问发货了吗 refund", "快递单号是多少", "invoice needed"});
  f.ingest("b", {"退款申请 tracking", "hello"});
  bool caught_up = GENERATE(false, true); // a catch-up between the changes, or only the search's own
  auto maybe_catch_up = [&] {
    if (caught_up)
      f.catch_up();
  };
  maybe_catch_up();

  SECTION("edits, above and below the mark")
  {
    f.raw().exec("UPDATE messages SET text = 'invoice and tracking' WHERE id = 1");
    maybe_catch_up();
    f.ingest("a", {"refund again"});
    f.raw().exec("UPDATE messages SET text = '' WHERE id = 2");
    f.raw().exec("UPDATE messages SET text = '新的快递单号' WHERE id = 6");
    f.check_every_word();
    f.raw().exec("UPDATE messages SET text = 'refund' WHERE id = 2");
    f.check_every_word();
  }
  SECTION("deletes, above and below the mark")
  {
    f.ingest("b", {"tracking 退款申请"});
    f.raw().exec("DELETE FROM messages WHERE id IN (1, 6)");
    f.check_every_word();
  }
  SECTION("a purged account, then new messages reusing the freed ids")
  {
    REQUIRE(f.store->accounts().unbind("b", true).has_value()); // ids 4 and 5: the newest
    maybe_catch_up();
    CHECK(f.search("tracking").empty());
    f.ingest("a", {"invoice 发货了吗", "tracking now"}); // SQLite gives them ids 4 and 5 again
    CHECK(f.raw().integer("SELECT max(id) FROM messages") == 5);
    f.check_every_word();
    CHECK(f.search("tracking") == Ids{5});
  }
  SECTION("a message stored with an explicit id below the mark")
  {
    f.catch_up();
    f.raw().exec("DELETE FROM messages WHERE id = 2");
    f.raw().exec("INSERT INTO messages (id, account_id, conversation_id, platform_message_id, direction, channel,"
               " text, created_at, stored_at) SELECT 2, account_id, conversation_id, 'x', 'in', 'dm',"
               " 'refund by hand', 1, 1 FROM messages WHERE id = 1");
    CHECK(f.search("refund") == Ids{1, 2});
    f.check_every_word();
  }
}

TEST_CASE("store::search_backlog random changes with random catch-ups", "[store][search]")
{
  Fixture f;
  std::mt19937 rng(GENERATE(1u, 2u, 3u));
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  auto text = [&] {
    std::string t;
    for (std::size_t i = 0, n = pick(3); i < n; ++i)
      t += k_words[pick(k_words.size())] + " ";
    return t;
  };
  for (int step = 0; step < 60; ++step) {
    auto max_id = f.raw().integer("SELECT coalesce(max(id), 0) FROM messages");
    switch (pick(6)) {
    case 0:
    case 1: {
      std::vector<std::string> page;
      for (std::size_t i = 0, n = 1 + pick(4); i < n; ++i)
        page.push_back(text());
      f.ingest(pick(2) ? "a" : "b", page);
      break;
    }
    case 2:
      if (max_id > 0)
        f.raw().exec("UPDATE messages SET text = '" + text() + "' WHERE id = " + std::to_string(1 + pick(max_id)));
      break;
    case 3:
      if (max_id > 0) // the newest ones too: their ids are reused
        f.raw().exec("DELETE FROM messages WHERE id >= " + std::to_string(max_id - pick(3)));
      break;
    case 4:
      f.catch_up();
      break;
    case 5: {
      const auto& w = k_words[pick(k_words.size())];
      INFO("step " << step << " term " << w);
      CHECK(f.search(w) == f.truth(w));
      break;
    }
    }
  }
  f.check_every_word();
}

TEST_CASE("store::search_backlog one process storing while another searches", "[store][search][concurrency]")
{
  Fixture f;
  const int pages = 40, per_page = 25;
  int start[2];
  REQUIRE(pipe(start) == 0);
  f.close();
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    // The child stores pages, as a pull does, on a connection of its own.
    close(start[1]);
    char go = 0;
    if (read(start[0], &go, 1) < 0)
      _exit(10);
    FixedClock clock(1795000000);
    auto opened = open_at(f.dir / "state.db", clock, false, std::chrono::milliseconds(30000));
    if (!opened)
      _exit(11);
    auto acct = (*opened)->accounts().get("a");
    if (!acct)
      _exit(12);
    for (int p = 0; p < pages; ++p) {
      std::vector<domain::InboundMessage> page;
      for (int i = 0; i < per_page; ++i)
        page.push_back(message("c" + std::to_string(p * per_page + i), k_words[static_cast<std::size_t>(i) % 2]));
      auto r = (*opened)->messages().ingest(*acct, "updates", page, "c", store::Via::pull);
      if (!r) {
        fprintf(stderr, "child: ingest: %s\n", r.error().message.c_str());
        _exit(13);
      }
    }
    opened->reset();
    _exit(0);
  }
  f.open();
  close(start[0]);
  close(start[1]); // go
  // The parent searches (each search catches up) until the child is done: every hit is a message that
  // holds the term, and the hits only grow.
  std::size_t last = 0;
  int status = 0, searches = 0;
  for (;;) {
    bool done = waitpid(pid, &status, WNOHANG) == pid;
    Ids found = f.search(k_words[0]);
    ++searches;
    CHECK(found.size() >= last);
    last = found.size();
    Ids truth = f.truth(k_words[0]);
    CHECK(std::includes(truth.begin(), truth.end(), found.begin(), found.end()));
    if (done)
      break;
  }
  INFO("child exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status)) << " after " << searches
                            << " searches");
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(f.truth(k_words[0]).size() == static_cast<std::size_t>(pages * (per_page + 1) / 2)); // even i of each page
  CHECK(f.search(k_words[0]) == f.truth(k_words[0]));
  f.check_every_word();
}

TEST_CASE("store::search_backlog two processes catching up at once index each message once", "[store][search][concurrency]")
{
  Fixture f;
  std::vector<std::string> texts;
  for (int i = 0; i < 500; ++i)
    texts.push_back(k_words[static_cast<std::size_t>(i) % k_words.size()] + " " + std::to_string(i));
  f.ingest("a", texts);
  int start[2];
  REQUIRE(pipe(start) == 0);
  f.close();
  std::vector<pid_t> pids;
  for (int c = 0; c < 2; ++c) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(start[1]);
      char go = 0;
      if (read(start[0], &go, 1) < 0)
        _exit(10);
      FixedClock clock(1795000000);
      auto opened = open_at(f.dir / "state.db", clock, false, std::chrono::milliseconds(30000));
      if (!opened)
        _exit(11);
      auto n = store::search_backlog(**opened)->catch_up();
      opened->reset();
      _exit(n ? (*n == 500 ? 0 : *n == 0 ? 1 : 12) : 13); // 0: it indexed all, 1: the other one had
    }
    pids.push_back(pid);
  }
  close(start[0]);
  close(start[1]);
  f.open();
  std::multiset<int> codes;
  for (pid_t pid : pids) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    codes.insert(WEXITSTATUS(status));
  }
  CHECK(codes == std::multiset<int>{0, 1});
  f.check_every_word();
}


TEST_CASE("store::search_backlog migration v8 keeps an existing file's index as it is", "[store][search][migrations]")
{
  TempDir dir;
  auto path = dir / "v7.db";
  {
    // A file as svc with schema 7 left it: messages indexed by the v5 triggers as they were stored.
    RawDb raw(path);
    std::string sql = "PRAGMA application_id = " + std::to_string(store::k_application_id) + ";";
    for (std::size_t i = 0; i < 7; ++i)
      sql += std::string(store::migrations()[i]);
    raw.exec(sql + "PRAGMA user_version = 7;"
                   "INSERT INTO accounts (id, name, platform, created_at) VALUES (1, 'old', 'weibo', 1);"
                   "INSERT INTO conversations (id, account_id, channel, thread_key, created_at, updated_at)"
                   " VALUES (1, 1, 'dm', 'u1', 1, 1);"
                   "INSERT INTO messages (id, account_id, conversation_id, platform_message_id, direction, channel,"
                   " text, created_at, stored_at) VALUES"
                   " (3, 1, 1, 'p3', 'in', 'dm', '快递单号是多少', 1, 1), (9, 1, 1, 'p9', 'in', 'dm', 'refund', 1, 1);");
    REQUIRE(raw.integer("SELECT count(*) FROM message_fts") == 2);
  }
  FixedClock clock(1795000000);
  auto opened = open_at(path, clock);
  REQUIRE(opened.has_value());
  CHECK((*opened)->migrated_from() == 7);
  RawDb raw(path);
  CHECK(raw.integer("SELECT indexed_through FROM message_fts_state") == 9);
  CHECK(*store::search_backlog(**opened)->pending() == 0);
  CHECK(*store::search_backlog(**opened)->catch_up() == 0); // nothing indexed twice
  raw.exec("UPDATE messages SET text = 'refund 快递单号' WHERE id = 3");
  raw.exec("DELETE FROM messages WHERE id = 9");
  CHECK(raw.integer("SELECT count(*) FROM message_fts WHERE message_fts MATCH '\"refund\"'") == 1);
  CHECK(raw.integer("SELECT rowid FROM message_fts WHERE message_fts MATCH '\"refund\"'") == 3);
}

}  // namespace store_test_search_backlog
