// `svc db check|migrate|vacuum` in-process, including files that are missing, foreign or newer.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <svc/store/store.hpp>

#include "support/run_svc.hpp"
#include "support/temp_dir.hpp"

namespace commands_test_db {

using namespace svc;
using namespace svc::test;

namespace {

struct Env {
  TempDir dir;
  std::string state = (dir / "sub" / "state.db").string();
  InProcess svc{state};
};

std::string
first_line(const std::string& s)
{
  return s.substr(0, s.find('\n'));
}

void
sql(const std::string& path, const std::string& text)
{
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* msg = nullptr;
  int rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &msg);
  INFO((msg ? msg : ""));
  sqlite3_free(msg);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

} // namespace

TEST_CASE("commands::db check", "[commands]")
{
  Env e;
  SECTION("on a missing file: exit 3 and nothing is created")
  {
    auto o = e.svc.run({"db", "check"});
    INFO("stderr: " << o.err);
    CHECK(o.code == 3);
    CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
    CHECK(o.err.find("hint:") != std::string::npos);
    CHECK(o.out.empty());
    CHECK_FALSE(std::filesystem::exists(e.state));
    CHECK_FALSE(std::filesystem::exists(e.dir / "sub"));
  }
  SECTION("on a healthy file: json fields")
  {
    REQUIRE(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T"}).code == 0);
    REQUIRE(e.svc.run({"account", "bind", "telegram", "gone", "--token-env", "T"}).code == 0);
    REQUIRE(e.svc.run({"account", "unbind", "gone"}).code == 0);
    auto o = e.svc.run({"--format", "json", "db", "check"});
    INFO("stderr: " << o.err);
    REQUIRE(o.code == 0);
    auto j = o.json();
    CHECK(j["integrity"] == "ok");
    CHECK(j["schema_version"] == store::known_schema_version());
    CHECK(j["known_version"] == store::known_schema_version());
    CHECK(j["journal_mode"] == "wal");
    CHECK(j["path"] == e.state);
    CHECK(j["counts"]["accounts"] == 2);
    CHECK(j["counts"]["messages"] == 0);
  }
  SECTION("table and csv")
  {
    REQUIRE(e.svc.run({"db", "migrate"}).code == 0);
    auto table = e.svc.run({"db", "check"});
    REQUIRE(table.code == 0);
    CHECK(table.out.find("INTEGRITY:") != std::string::npos);
    CHECK(table.out.find("ok") != std::string::npos);
    auto csv = e.svc.run({"--format", "csv", "db", "check"});
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("path,integrity,schema_version,journal_mode", 0) == 0);
  }
}

TEST_CASE("commands::db migrate", "[commands]")
{
  Env e;
  auto first = e.svc.run({"db", "migrate"});
  INFO("stderr: " << first.err);
  REQUIRE(first.code == 0);
  CHECK(std::filesystem::exists(e.state));
  CHECK(first.err.find("from version 0 to " + std::to_string(store::known_schema_version())) != std::string::npos);
  auto second = e.svc.run({"db", "migrate"});
  REQUIRE(second.code == 0);
  CHECK(second.err.find("current") != std::string::npos);
  CHECK(second.err.find("from version") == std::string::npos);
  auto check = e.svc.run({"--format", "json", "db", "check"});
  REQUIRE(check.code == 0);
  CHECK(check.json()["schema_version"] == store::known_schema_version());
}

TEST_CASE("commands::db vacuum", "[commands]")
{
  Env e;
  SECTION("on a missing file: exit 3 and nothing is created")
  {
    CHECK(e.svc.run({"db", "vacuum"}).code == 3);
    CHECK_FALSE(std::filesystem::exists(e.state));
  }
  SECTION("keeps the data")
  {
    for (int i = 0; i < 20; ++i)
      REQUIRE(e.svc.run({"account", "bind", "telegram", "acct" + std::to_string(i), "--token-env", "T"}).code == 0);
    for (int i = 0; i < 15; ++i)
      REQUIRE(e.svc.run({"account", "unbind", "acct" + std::to_string(i), "--purge"}).code == 0);
    auto o = e.svc.run({"db", "vacuum"});
    INFO("stderr: " << o.err);
    REQUIRE(o.code == 0);
    CHECK(o.err.find("Vacuumed") != std::string::npos);
    CHECK(e.svc.run({"--format", "json", "account", "list"}).json().size() == 5);
    CHECK(e.svc.run({"--format", "json", "db", "check"}).json()["integrity"] == "ok");
  }
}

TEST_CASE("commands::db and account on files svc must not touch", "[commands]")
{
  Env e;
  std::filesystem::create_directories(e.dir / "sub");
  SECTION("a state file written by a newer svc: exit 7, untouched")
  {
    sql(e.state, "PRAGMA application_id = 1398162225; PRAGMA user_version = 999;"
                 " CREATE TABLE future (x); INSERT INTO future VALUES (1);");
    auto before = read_file(e.state);
    for (std::vector<std::string> args : {std::vector<std::string>{"db", "check"},
                                          {"db", "migrate"},
                                          {"db", "vacuum"},
                                          {"account", "list"},
                                          {"account", "bind", "telegram", "shop", "--token-env", "T"}}) {
      auto o = e.svc.run(args);
      INFO(args[0] << " " << args[1] << ": " << o.err);
      CHECK(o.code == 7);
      CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
      CHECK(o.err.find("newer") != std::string::npos);
      CHECK(o.out.empty());
    }
    CHECK(read_file(e.state) == before);
  }
  SECTION("a file that is not svc's: exit 7, untouched")
  {
    write_file(e.state, "just some text, not a database\n");
    auto before = read_file(e.state);
    for (std::vector<std::string> args :
         {std::vector<std::string>{"db", "check"}, {"db", "migrate"}, {"account", "list"},
          {"account", "bind", "telegram", "shop", "--token-env", "T"}}) {
      auto o = e.svc.run(args);
      INFO(args[0] << " " << args[1] << ": " << o.err);
      CHECK(o.code == 7);
      CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
    }
    CHECK(read_file(e.state) == before);
  }
  SECTION("another program's SQLite database: exit 7, untouched")
  {
    sql(e.state, "CREATE TABLE recipes (title TEXT); INSERT INTO recipes VALUES ('soup');");
    auto before = read_file(e.state);
    auto o = e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T"});
    CHECK(o.code == 7);
    CHECK(read_file(e.state) == before);
  }
}

}  // namespace commands_test_db
