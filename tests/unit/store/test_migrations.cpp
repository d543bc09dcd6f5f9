// An older state file is migrated step by step, keeping its data.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <svc/store/migrations.hpp>
#include <svc/store/store.hpp>

#include "support/temp_dir.hpp"

namespace store_test_migrations {

using namespace svc;

TEST_CASE("store::open_store migrates a version 1 file", "[store][migrations]")
{
  REQUIRE(store::known_schema_version() >= 2);
  test::TempDir dir;
  auto path = dir / "v1.db";
  {
    // A file as svc with schema 1 left it, with one account.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    std::string v1(store::migrations()[0]);
    std::string sql = "PRAGMA application_id = " + std::to_string(store::k_application_id) + ";" + v1
                      + "PRAGMA user_version = 1;"
                        "INSERT INTO accounts (name, platform, token_source, token_ref, created_at)"
                        " VALUES ('old', 'telegram', 'env', 'T', 1700000000);";
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  FixedClock clock(1795000000);
  store::OpenOptions o;
  o.path = path;
  o.clock = &clock;
  auto opened = store::open_store(o);
  REQUIRE(opened.has_value());
  auto& s = **opened;
  CHECK(s.migrated_from() == 1);
  CHECK(s.schema_version() == store::known_schema_version());
  auto old = s.accounts().get("old");
  REQUIRE(old.has_value());
  CHECK_FALSE(old->request_rate.has_value()); // v2's column, NULL for existing rows

  domain::Account limited;
  limited.name = "limited";
  limited.platform = domain::Platform::weibo;
  limited.token = {domain::SecretRef::Source::env, "W"};
  limited.request_rate = 0.5;
  REQUIRE(s.accounts().bind(limited, false).has_value());
  auto back = s.accounts().get("limited");
  REQUIRE(back.has_value());
  REQUIRE(back->request_rate.has_value());
  CHECK(*back->request_rate == Approx(0.5));
}

}  // namespace store_test_migrations
