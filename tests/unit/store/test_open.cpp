// open_store: creating the state file privately, recognising it, refusing (and never touching) files
// that are not ours, are newer, or are corrupt; migrating idempotently.
#include <fcntl.h>
#include <sys/stat.h>

#include <fstream>

#include <svc/store/sqlite_store.hpp>

#include "store_test_util.hpp"

namespace store_test_open {

using namespace svc;
using namespace svc::test;

namespace {

constexpr std::int64_t k_svc_application_id = 0x53564331;

domain::Account
telegram_account(const std::string& name)
{
  domain::Account a;
  a.name = name;
  a.platform = domain::Platform::telegram;
  a.token = {domain::SecretRef::Source::env, "TOKEN_" + std::to_string(name.size())};
  return a;
}

// Sets a file's mtime far into the past so that any write would show.
void
age(const std::filesystem::path& path)
{
  struct timespec times[2] = {{978307200, 0}, {978307200, 0}}; // 2001-01-01
  REQUIRE(utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

void
require_untouched(const std::filesystem::path& path, const FileSnapshot& before)
{
  auto after = FileSnapshot::of(path);
  CHECK(after.bytes.size() == before.bytes.size());
  CHECK(after.bytes == before.bytes);
  CHECK(after.mtime.tv_sec == before.mtime.tv_sec);
  CHECK(after.mtime.tv_nsec == before.mtime.tv_nsec);
}

void
require_no_sidecars(const std::filesystem::path& path)
{
  for (const char* suffix : {"-wal", "-shm", "-journal"}) {
    INFO("sidecar " << suffix);
    CHECK_FALSE(std::filesystem::exists(path.string() + suffix));
  }
}

} // namespace

TEST_CASE("store::open_store creates a private state file", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "new" / "deeper" / "state.db";
  {
    auto store = open_at(path, clock);
    REQUIRE(store.has_value());
    CHECK((*store)->path() == path);
    CHECK((*store)->schema_version() == store::known_schema_version());
    CHECK((*store)->migrated_from() == 0);
  }
  SECTION("modes: file 0600, created directories 0700")
  {
    CHECK(mode_of(path) == 0600);
    CHECK(mode_of(dir / "new" / "deeper") == 0700);
    CHECK(mode_of(dir / "new") == 0700);
  }
  SECTION("the file identifies itself and is in WAL mode")
  {
    RawDb raw(path);
    CHECK(raw.integer("PRAGMA application_id") == k_svc_application_id);
    CHECK(raw.integer("PRAGMA user_version") == store::known_schema_version());
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
    CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'accounts'") == 1);
  }
  SECTION("known_schema_version is at least 1")
  {
    CHECK(store::known_schema_version() >= 1);
  }
}

TEST_CASE("store::open_store tightens an existing state file readable by others", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  REQUIRE(open_at(path, clock).has_value());
  REQUIRE(chmod(path.c_str(), 0644) == 0);
  REQUIRE(open_at(path, clock).has_value());
  CHECK(mode_of(path) == 0600);
}

TEST_CASE("store::open_store sets foreign keys on its connection", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  auto opened = open_at(path, clock);
  REQUIRE(opened.has_value());
  auto& store = **opened;
  SECTION("the pragma")
  {
    auto* sqlite = dynamic_cast<store::SqliteStore*>(&store);
    REQUIRE(sqlite != nullptr);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(sqlite->db().handle(), "PRAGMA foreign_keys", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 1);
    sqlite3_finalize(s);
  }
  SECTION("purging an account cascades to rows that reference it")
  {
    auto bound = store.accounts().bind(telegram_account("shop"), false);
    REQUIRE(bound.has_value());
    {
      RawDb raw(path);
      raw.exec("INSERT INTO cursors (account_id, stream, value, updated_at) VALUES ("
               + std::to_string(bound->id) + ", 'dm', 'x', 1)");
      CHECK(raw.integer("SELECT count(*) FROM cursors") == 1);
    }
    REQUIRE(store.accounts().unbind("shop", true).has_value());
    RawDb raw(path);
    CHECK(raw.integer("SELECT count(*) FROM cursors") == 0);
    CHECK(raw.integer("SELECT count(*) FROM accounts") == 0);
  }
}

TEST_CASE("store::open_store reopening is idempotent", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  {
    auto first = open_at(path, clock);
    REQUIRE(first.has_value());
    REQUIRE((*first)->accounts().bind(telegram_account("shop"), true).has_value());
  }
  std::int64_t tables = 0;
  {
    RawDb raw(path);
    tables = raw.integer("SELECT count(*) FROM sqlite_master");
  }
  for (int i = 0; i < 3; ++i) {
    auto again = open_at(path, clock);
    REQUIRE(again.has_value());
    CHECK((*again)->migrated_from() == store::known_schema_version());
    CHECK((*again)->schema_version() == store::known_schema_version());
    auto all = (*again)->accounts().list();
    REQUIRE(all.has_value());
    REQUIRE(all->size() == 1);
    CHECK(all->front().name == "shop");
    CHECK(all->front().is_default);
    auto report = (*again)->check();
    REQUIRE(report.has_value());
    CHECK(report->integrity == "ok");
  }
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM sqlite_master") == tables);
  CHECK(raw.integer("PRAGMA user_version") == store::known_schema_version());
}

TEST_CASE("store::open_store with create_if_missing=false", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "sub" / "state.db";
  auto opened = open_at(path, clock, false);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::not_found);
  CHECK_FALSE(opened.error().hint.empty());
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(dir / "sub"));
  SECTION("an existing file opens")
  {
    REQUIRE(open_at(path, clock, true).has_value());
    auto existing = open_at(path, clock, false);
    REQUIRE(existing.has_value());
    CHECK((*existing)->schema_version() == store::known_schema_version());
  }
}

TEST_CASE("store::open_store refuses a file written by a newer svc and leaves it untouched", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  bool wal = GENERATE(false, true);
  INFO("journal mode wal: " << wal);
  {
    RawDb raw(path);
    if (wal) {
      raw.exec("PRAGMA journal_mode = WAL");
    }
    raw.exec("PRAGMA application_id = " + std::to_string(k_svc_application_id));
    raw.exec("PRAGMA user_version = 999");
    raw.exec("CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT)");
    raw.exec("INSERT INTO future_things (what) VALUES ('from the future')");
  }
  REQUIRE(chmod(path.c_str(), 0600) == 0);
  age(path);
  auto before = FileSnapshot::of(path);
  auto opened = open_at(path, clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::state);
  CHECK(opened.error().message.find("newer") != std::string::npos);
  CHECK(opened.error().message.find("999") != std::string::npos);
  CHECK_FALSE(opened.error().hint.empty());
  require_untouched(path, before);
  RawDb raw(path);
  CHECK(raw.integer("PRAGMA user_version") == 999);
  CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'accounts'") == 0);
}

TEST_CASE("store::open_store refuses a file that is not SQLite and leaves it untouched", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "notes.txt";
  std::string content = GENERATE(std::string("my shopping list\nmilk\neggs\n"), std::string("SQLite format"),
                                 std::string(4096, 'x'));
  write_file(path, content);
  REQUIRE(chmod(path.c_str(), 0600) == 0);
  age(path);
  auto before = FileSnapshot::of(path);
  auto opened = open_at(path, clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::state);
  CHECK(opened.error().message.find("not an svc state file") != std::string::npos);
  CHECK_FALSE(opened.error().hint.empty());
  require_untouched(path, before);
  require_no_sidecars(path);
}

TEST_CASE("store::open_store refuses another program's SQLite database and leaves it untouched", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "other.db";
  std::int64_t app_id = GENERATE(std::int64_t{0}, std::int64_t{0x46495245});
  INFO("application_id " << app_id);
  {
    RawDb raw(path);
    if (app_id != 0) {
      raw.exec("PRAGMA application_id = " + std::to_string(app_id));
    }
    raw.exec("CREATE TABLE recipes (id INTEGER PRIMARY KEY, title TEXT)");
    raw.exec("INSERT INTO recipes (title) VALUES ('soup')");
  }
  REQUIRE(chmod(path.c_str(), 0600) == 0);
  age(path);
  auto before = FileSnapshot::of(path);
  auto opened = open_at(path, clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::state);
  CHECK(opened.error().message.find("not an svc state file") != std::string::npos);
  require_untouched(path, before);
  require_no_sidecars(path);
  RawDb raw(path);
  CHECK(raw.integer("SELECT count(*) FROM sqlite_master WHERE name = 'accounts'") == 0);
  CHECK(raw.integer("PRAGMA user_version") == 0);
}

TEST_CASE("store::open_store refuses a directory", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  std::filesystem::create_directory(dir / "state.db");
  auto opened = open_at(dir / "state.db", clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::state);
}

// The contract in store.hpp: "Refuses (exit 7, file untouched) a file that is not an svc state file".
// A file's permissions are part of it: svc must not chmod a file it does not recognise.
TEST_CASE("store::open_store leaves a refused file's permissions alone", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "notes.txt";
  write_file(path, "not a database at all\n");
  REQUIRE(chmod(path.c_str(), 0644) == 0);
  auto opened = open_at(path, clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::state);
  CHECK(mode_of(path) == 0644);
}

TEST_CASE("store::open_store on a corrupt state file never overwrites it", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  {
    auto opened = open_at(path, clock);
    REQUIRE(opened.has_value());
    auto& store = **opened;
    REQUIRE(store
              .transaction([&]() -> Status {
                for (int i = 0; i < 300; ++i) {
                  domain::Account a = telegram_account("account-" + std::to_string(i));
                  a.base_url = "https://gateway.example/" + std::string(100, static_cast<char>('a' + i % 26));
                  SVC_CHECK(store.accounts().bind(a, false));
                }
                return {};
              })
              .has_value());
  }
  REQUIRE_FALSE(std::filesystem::exists(path.string() + "-wal")); // checkpointed on close
  std::string bytes = read_file(path);
  const std::size_t page = 4096;
  REQUIRE(bytes.size() >= 8 * page);
  // Keep page 1 (the header: still looks like ours), scribble over everything after it.
  for (std::size_t i = page; i < bytes.size(); ++i) {
    bytes[i] = static_cast<char>((i * 131 + 7) & 0xff);
  }
  write_file(path, bytes);
  REQUIRE(chmod(path.c_str(), 0600) == 0);
  age(path);
  auto before = FileSnapshot::of(path);
  {
    auto opened = open_at(path, clock);
    if (opened.has_value()) {
      // Opening may succeed on a damaged body; then the check must find the damage.
      auto report = (*opened)->check();
      if (report.has_value()) {
        CHECK(report->integrity != "ok");
      } else {
        CHECK(report.error().kind == ErrorKind::state);
      }
      auto list = (*opened)->accounts().list();
      if (!list.has_value()) {
        CHECK(list.error().kind == ErrorKind::state);
      }
    } else {
      CHECK(opened.error().kind == ErrorKind::state);
    }
  }
  require_untouched(path, before);
}

TEST_CASE("store::open_store on a truncated state file refuses it", "[store]")
{
  TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  REQUIRE(open_at(path, clock).has_value());
  std::string bytes = read_file(path);
  REQUIRE(bytes.size() > 100);
  write_file(path, bytes.substr(0, 100)); // the header and nothing else
  age(path);
  auto before = FileSnapshot::of(path);
  auto opened = open_at(path, clock);
  REQUIRE_FALSE(opened.has_value());
  CHECK(opened.error().kind == ErrorKind::state);
  require_untouched(path, before);
}

}  // namespace store_test_open
