// Which pulled pages are synced to disk on commit: a page the platform serves again from the stored
// cursor commits unsynced (synchronous=NORMAL), a page the next fetch confirms (Telegram getUpdates)
// commits synced (FULL), and a pushed message (callback) too. Observed on a real state file by tracing
// the statements SQLite runs, with the synchronous setting in force when each message row is inserted.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <svc/inbox/pull.hpp>
#include <svc/store/sqlite_store.hpp>

#include "support/temp_dir.hpp"
#include "unit/store/store_test_util.hpp"

namespace inbox_test_pull_durability {

using namespace svc;

namespace {

constexpr UnixTime k_now = 1795000000;

// Two streams, one page each: "replayable" (served again from its cursor) and "confirming".
class TwoStreamChannel final : public channels::Channel
{
public:
  channels::Capabilities capabilities() const override { return {}; }
  std::vector<channels::Stream> streams() const override
  {
    return {{"replayable", domain::ChannelKind::comment, false}, {"confirming", domain::ChannelKind::dm, true}};
  }
  Result<channels::Page> fetch(const channels::Stream& stream, const std::string&, int) override
  {
    domain::InboundMessage m;
    m.channel = stream.channel;
    m.platform_message_id = stream.name + "-1";
    m.thread_key = "t-" + stream.name;
    m.author.id = "u-" + stream.name;
    m.author.name = "Customer";
    m.text = "hello";
    m.created_at = k_now - 10;
    return channels::Page{{m}, stream.name + "-cursor", true};
  }
  Result<domain::SendResult> send(const domain::Outgoing&) override { return make_error(ErrorKind::failed, "no"); }
  Result<domain::PlatformUser> verify() override { return make_error(ErrorKind::failed, "no"); }
  Result<domain::PlatformUser> lookup_user(const std::string&, bool) override
  {
    return make_error(ErrorKind::failed, "no");
  }
  Result<std::string> raw_call(const std::string&, const std::string&,
                               const std::vector<std::pair<std::string, std::string>>&, const std::string&) override
  {
    return make_error(ErrorKind::failed, "no");
  }
};

// The synchronous level in force at each message insert and each COMMIT, from the statement trace.
struct SyncTrace {
  std::string level = "FULL"; // what open_store sets
  std::vector<std::string> at_message_insert, at_commit;
};

int
on_statement(unsigned, void* context, void*, void* sql_text)
{
  auto& trace = *static_cast<SyncTrace*>(context);
  std::string sql(static_cast<const char*>(sql_text));
  const std::string pragma = "PRAGMA synchronous = ";
  if (sql.rfind(pragma, 0) == 0)
    trace.level = sql.substr(pragma.size());
  else if (sql.rfind("INSERT INTO messages", 0) == 0)
    trace.at_message_insert.push_back(trace.level);
  else if (sql.rfind("COMMIT", 0) == 0)
    trace.at_commit.push_back(trace.level);
  return 0;
}

} // namespace

TEST_CASE("pull syncs a page on commit exactly when the next fetch would confirm it", "[inbox][pull]")
{
  test::TempDir dir;
  FixedClock clock{k_now};
  auto opened = test::open_at(dir / "state.db", clock);
  REQUIRE(opened.has_value());
  auto store = std::move(opened).value();
  domain::Account a;
  a.name = "acct";
  a.platform = domain::Platform::telegram;
  a.token = {domain::SecretRef::Source::env, "T"};
  auto account = store->accounts().bind(a, true);
  REQUIRE(account.has_value());

  SyncTrace trace;
  sqlite3* db = dynamic_cast<store::SqliteStore&>(*store).db().handle();
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_statement, &trace);

  SECTION("pulled pages")
  {
    TwoStreamChannel channel;
    auto pulled = inbox::pull_account(*store, channel, *account, {});
    REQUIRE(pulled.has_value());
    REQUIRE(pulled->size() == 2);
    CHECK((*pulled)[0].stored == 1);
    CHECK((*pulled)[1].stored == 1);
    // Streams run in order: the replayable page unsynced, the confirming one synced.
    CHECK(trace.at_message_insert == std::vector<std::string>{"NORMAL", "FULL"});
    CHECK(trace.at_commit == std::vector<std::string>{"NORMAL", "FULL"});
    // Both pages and their cursors are stored all the same.
    CHECK(store->messages().cursor(account->id, "replayable").value() == "replayable-cursor");
    CHECK(store->messages().cursor(account->id, "confirming").value() == "confirming-cursor");
  }
  SECTION("a pushed message (callback) is synced")
  {
    domain::InboundMessage m;
    m.platform_message_id = "pushed-1";
    m.thread_key = "t";
    m.author.id = "u";
    m.text = "hi";
    m.created_at = k_now;
    auto r = store->messages().ingest(*account, "", {m}, "", store::Via::callback);
    REQUIRE(r.has_value());
    CHECK(r->stored == 1);
    CHECK(trace.at_message_insert == std::vector<std::string>{"FULL"});
    CHECK(trace.at_commit == std::vector<std::string>{"FULL"});
  }
  sqlite3_trace_v2(db, 0, nullptr, nullptr);
}

} // namespace inbox_test_pull_durability
