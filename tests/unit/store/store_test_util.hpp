// Helpers shared by the store tests: opening a store on a path with a fixed clock, raw SQLite access
// for setting up foreign files, and a snapshot of a file to prove it was left untouched.
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <memory>
#include <string>

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace svc::test {

inline Result<std::unique_ptr<store::Store>>
open_at(const std::filesystem::path& path, const Clock& clock, bool create = true,
        std::chrono::milliseconds busy = std::chrono::milliseconds(10000))
{
  store::OpenOptions o;
  o.path = path;
  o.create_if_missing = create;
  o.busy_timeout = busy;
  o.clock = &clock;
  return store::open_store(o);
}

// A raw connection, for what svc must never do itself (other programs' files, holding locks).
class RawDb
{
public:
  explicit RawDb(const std::filesystem::path& path)
  {
    REQUIRE(sqlite3_open(path.c_str(), &m_db) == SQLITE_OK);
  }
  ~RawDb() { sqlite3_close(m_db); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void exec(const std::string& sql)
  {
    char* msg = nullptr;
    int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &msg);
    std::string text = msg ? msg : "";
    sqlite3_free(msg);
    INFO("sql: " << sql << " -> " << text);
    REQUIRE(rc == SQLITE_OK);
  }
  std::int64_t integer(const std::string& sql)
  {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    std::int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  }
  std::string text(const std::string& sql)
  {
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(m_db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    const auto* p = sqlite3_column_text(s, 0);
    std::string v = p ? reinterpret_cast<const char*>(p) : "";
    sqlite3_finalize(s);
    return v;
  }
  sqlite3* handle() { return m_db; }

private:
  sqlite3* m_db = nullptr;
};

// What "untouched" means: same bytes, same mtime, same mode.
struct FileSnapshot {
  std::string bytes;
  struct timespec mtime{};
  mode_t mode = 0;

  static FileSnapshot of(const std::filesystem::path& path)
  {
    FileSnapshot s;
    s.bytes = read_file(path);
    struct stat st{};
    REQUIRE(stat(path.c_str(), &st) == 0);
    s.mtime = st.st_mtim;
    s.mode = st.st_mode & 07777;
    return s;
  }
};

inline mode_t
mode_of(const std::filesystem::path& path)
{
  struct stat st{};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// A fresh state file with one Telegram account, "tg", bound: where most store tests start.
struct OneAccountStore {
  TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;
  domain::Account account;

  OneAccountStore()
  {
    auto opened = open_at(dir / "state.db", clock);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
    account = bind_account(*store, "tg", domain::Platform::telegram);
  }
};

} // namespace svc::test
