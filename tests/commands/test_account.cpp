// `svc account bind|list|show|use|unbind` run in-process (cli::run) against a temporary state file.
// The recurring check: a secret's value never appears on stdout or stderr, in any format, at any -v.
#include <catch2/catch.hpp>

#include <sqlite3.h>

#include "support/expect_svc.hpp"

namespace commands_test_account {

using namespace svc;
using namespace svc::test;
using nlohmann::json;

namespace {

const std::string k_env_secret = "env-secret-VALUE-5f3a9";
const std::string k_stdin_secret = "stdin-secret-VALUE-77c1e";
const std::string k_file_secret = "file-secret-VALUE-0b2d4";

struct Env : SvcEnv {
  Env() { svc.env["T"] = k_env_secret; }
};

std::string
first_line(const std::string& s)
{
  return s.substr(0, s.find('\n'));
}

void
require_ok(const Outcome& o)
{
  INFO("stdout: " << o.out << "\nstderr: " << o.err);
  REQUIRE(o.code == 0);
}

void
require_usage_error(const Outcome& o)
{
  INFO("stdout: " << o.out << "\nstderr: " << o.err);
  CHECK(o.code == 2);
  CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
  CHECK(o.out.empty());
}

void
require_absent(const Outcome& o, const std::string& secret)
{
  INFO("stdout: " << o.out << "\nstderr: " << o.err);
  CHECK(o.out.find(secret) == std::string::npos);
  CHECK(o.err.find(secret) == std::string::npos);
}

// Every listing and show of `name`, in every format and verbosity, without the secret.
void
require_never_printed(InProcess& svc, const std::string& name, const std::string& secret)
{
  for (const char* format : {"table", "json", "jsonl", "csv"}) {
    for (std::vector<std::string> verbosity : {std::vector<std::string>{}, {"-v"}, {"-vv"}}) {
      for (std::vector<std::string> cmd : {std::vector<std::string>{"account", "list"}, {"account", "show", name}}) {
        std::vector<std::string> args = verbosity;
        args.insert(args.end(), {"--format", format});
        args.insert(args.end(), cmd.begin(), cmd.end());
        INFO("svc " << [&] {
          std::string s;
          for (auto& a : args)
            s += a + " ";
          return s;
        }());
        auto o = svc.run(args);
        CHECK(o.code == 0);
        CHECK_FALSE(o.out.empty());
        require_absent(o, secret);
      }
    }
  }
}

std::string
stored_token_ref(const std::string& state, const std::string& name)
{
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(state.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT token_source || ':' || coalesce(token_ref, '') FROM accounts"
                                 " WHERE name = ?1 AND unbound_at IS NULL",
                             -1, &s, nullptr)
          == SQLITE_OK);
  sqlite3_bind_text(s, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

} // namespace

TEST_CASE("commands::account bind --token-env then list", "[commands]")
{
  Env e;
  auto bind = e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T"});
  require_ok(bind);
  CHECK(bind.out.empty()); // status goes to stderr
  CHECK(bind.err.find("shop") != std::string::npos);
  require_absent(bind, k_env_secret);

  auto list = e.svc.run({"--format", "json", "account", "list"});
  require_ok(list);
  auto arr = list.json();
  REQUIRE(arr.is_array());
  REQUIRE(arr.size() == 1);
  const auto& a = arr[0];
  CHECK(a["name"] == "shop");
  CHECK(a["platform"] == "telegram");
  CHECK(a["default"] == true);
  CHECK(a["credentials"]["token"] == "env:T");
  CHECK(a["base_url"].is_null());
  CHECK(a["created_at"] == "2026-11-18T11:06:40Z"); // InProcess's fixed clock: 1795000000
  require_absent(list, k_env_secret);

  SECTION("the value appears in no format, list or show, at any verbosity")
  {
    require_never_printed(e.svc, "shop", k_env_secret);
  }
  SECTION("the state file keeps the variable's name, not its value")
  {
    CHECK(stored_token_ref(e.state, "shop") == "env:T");
    CHECK(read_file(e.state).find(k_env_secret) == std::string::npos);
  }
  SECTION("show")
  {
    auto show = e.svc.run({"--format", "json", "account", "show", "shop"});
    require_ok(show);
    auto obj = show.json();
    CHECK(obj["name"] == "shop");
    CHECK(obj["credentials"]["token"] == "env:T");
  }
  SECTION("the table lists it with the header")
  {
    auto table = e.svc.run({"account", "list"});
    require_ok(table);
    CHECK(table.out.rfind("NAME", 0) == 0);
    CHECK(table.out.find("shop") != std::string::npos);
    CHECK(table.out.find("env:T") != std::string::npos);
  }
  SECTION("csv has a header and the row")
  {
    auto csv = e.svc.run({"--format", "csv", "account", "list"});
    require_ok(csv);
    CHECK(csv.out.rfind("name,platform,default,credentials.token", 0) == 0);
    CHECK(csv.out.find("\r\nshop,telegram,true,env:T,") != std::string::npos);
  }
}

TEST_CASE("commands::account bind warns when the variable is unset, without failing", "[commands]")
{
  Env e;
  auto bind = e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "UNSET_VAR"});
  require_ok(bind);
  CHECK(bind.err.find("UNSET_VAR") != std::string::npos);
  CHECK(bind.err.find("warning:") != std::string::npos);
  SECTION("-q mutes warnings and status")
  {
    auto quiet = e.svc.run({"-q", "account", "bind", "telegram", "shop2", "--token-env", "UNSET_VAR"});
    require_ok(quiet);
    CHECK(quiet.err.empty());
    CHECK(quiet.out.empty());
  }
}

TEST_CASE("commands::account bind --token-stdin", "[commands]")
{
  Env e;
  auto bind = e.svc.run({"-vv", "account", "bind", "telegram", "shop", "--token-stdin"}, k_stdin_secret + "\n");
  require_ok(bind);
  require_absent(bind, k_stdin_secret);
  SECTION("stored in the state file, described as 'stored'")
  {
    CHECK(stored_token_ref(e.state, "shop") == "value:" + k_stdin_secret);
    auto list = e.svc.run({"--format", "json", "account", "list"});
    require_ok(list);
    CHECK(list.json()[0]["credentials"]["token"] == "stored");
  }
  SECTION("never printed")
  {
    require_never_printed(e.svc, "shop", k_stdin_secret);
  }
  SECTION("unbinding drops the stored value from the row")
  {
    require_ok(e.svc.run({"account", "unbind", "shop"}));
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(e.state.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM accounts WHERE token_ref IS NOT NULL", -1, &s, nullptr)
            == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
  }
  SECTION("empty stdin is a usage error")
  {
    auto empty = e.svc.run({"account", "bind", "telegram", "other", "--token-stdin"}, "");
    require_usage_error(empty);
  }
}

TEST_CASE("commands::account bind --token-file", "[commands]")
{
  Env e;
  auto token_path = e.dir / "token.txt";
  write_file(token_path, k_file_secret + "\n");
  auto bind = e.svc.run({"account", "bind", "weibo", "wb", "--token-file", token_path.string()});
  require_ok(bind);
  require_absent(bind, k_file_secret);
  auto list = e.svc.run({"--format", "json", "account", "list"});
  require_ok(list);
  CHECK(list.json()[0]["platform"] == "weibo");
  CHECK(list.json()[0]["credentials"]["token"] == "file:" + token_path.string());
  require_never_printed(e.svc, "wb", k_file_secret);
  SECTION("a missing file is a usage error")
  {
    require_usage_error(e.svc.run({"account", "bind", "weibo", "wb2", "--token-file", (e.dir / "nope").string()}));
  }
}

TEST_CASE("commands::account bind wechat", "[commands]")
{
  Env e;
  e.svc.env["WX_SECRET"] = "wx-app-secret-VALUE";
  std::size_t expected = 0;
  SECTION("with --app-id and --secret-env")
  {
    expected = 1;
    auto bind = e.svc.run({"account", "bind", "wechat", "wx", "--app-id", "wxAPPID", "--secret-env", "WX_SECRET",
                           "--callback-token-env", "WX_CB"});
    require_ok(bind);
    auto obj = e.svc.run({"--format", "json", "account", "show", "wx"}).json();
    CHECK(obj["platform"] == "wechat");
    CHECK(obj["app_id"] == "wxAPPID");
    CHECK(obj["credentials"]["secret"] == "env:WX_SECRET");
    CHECK(obj["credentials"]["callback_token"] == "env:WX_CB");
    CHECK_FALSE(obj["credentials"].contains("token"));
    require_never_printed(e.svc, "wx", "wx-app-secret-VALUE");
  }
  SECTION("without --secret-env")
  {
    require_usage_error(e.svc.run({"account", "bind", "wechat", "wx", "--app-id", "wxAPPID"}));
  }
  SECTION("without --app-id")
  {
    require_usage_error(e.svc.run({"account", "bind", "wechat", "wx", "--secret-env", "WX_SECRET"}));
  }
  SECTION("with a token")
  {
    require_usage_error(e.svc.run(
      {"account", "bind", "wechat", "wx", "--app-id", "A", "--secret-env", "WX_SECRET", "--token-env", "T"}));
  }
  // Whatever failed created nothing.
  CHECK(e.svc.run({"--format", "json", "account", "list"}).json().size() == expected);
}

TEST_CASE("commands::account bind refuses bad input with exit 2", "[commands]")
{
  Env e;
  SECTION("invalid names")
  {
    for (std::string name : std::vector<std::string>{"bad name", "a/b", ".hidden", "_x", "ünicode", "a:b", std::string(65, 'n')}) {
      INFO("name: " << name);
      auto o = e.svc.run({"account", "bind", "telegram", name, "--token-env", "T"});
      require_usage_error(o);
      CHECK(o.err.find("hint:") != std::string::npos);
    }
    CHECK(e.svc.run({"--format", "json", "account", "list"}).json().empty());
  }
  SECTION("a 64-character name is fine")
  {
    require_ok(e.svc.run({"account", "bind", "telegram", std::string(64, 'n'), "--token-env", "T"}));
  }
  SECTION("unknown platform")
  {
    require_usage_error(e.svc.run({"account", "bind", "facebook", "fb", "--token-env", "T"}));
  }
  SECTION("bad base URLs")
  {
    for (const char* url : {"ftp://gw.example", "gw.example", "javascript:alert(1)"}) {
      INFO("url: " << url);
      require_usage_error(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T", "--base-url", url}));
    }
  }
  SECTION("a good base URL is kept without its trailing slash")
  {
    require_ok(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T", "--base-url",
                          "https://gw.example/tg/"}));
    CHECK(e.svc.run({"--format", "json", "account", "show", "shop"}).json()["base_url"] == "https://gw.example/tg");
  }
  SECTION("no token")
  {
    require_usage_error(e.svc.run({"account", "bind", "telegram", "shop"}));
  }
  SECTION("two token sources")
  {
    auto path = e.dir / "tok";
    write_file(path, "x\n");
    require_usage_error(
      e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T", "--token-file", path.string()}));
  }
  SECTION("a secret given where a variable name belongs")
  {
    require_usage_error(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "123:abc-def"}));
  }
  SECTION("the same name twice")
  {
    require_ok(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T"}));
    auto again = e.svc.run({"account", "bind", "weibo", "shop", "--token-env", "T"});
    require_usage_error(again);
    CHECK(again.err.find("shop") != std::string::npos);
    auto arr = e.svc.run({"--format", "json", "account", "list"}).json();
    REQUIRE(arr.size() == 1);
    CHECK(arr[0]["platform"] == "telegram");
  }
  SECTION("missing arguments")
  {
    require_usage_error(e.svc.run({"account", "bind", "telegram"}));
    require_usage_error(e.svc.run({"account", "bind"}));
  }
}

TEST_CASE("commands::account show", "[commands]")
{
  Env e;
  require_ok(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T"}));
  SECTION("an unknown account: exit 3 with a hint")
  {
    auto o = e.svc.run({"account", "show", "nosuch"});
    INFO("stderr: " << o.err);
    CHECK(o.code == 3);
    CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
    CHECK(o.err.find("nosuch") != std::string::npos);
    CHECK(o.err.find("\nhint: ") != std::string::npos);
    CHECK(o.out.empty());
  }
  SECTION("table: key/value lines")
  {
    auto o = e.svc.run({"account", "show", "shop"});
    require_ok(o);
    CHECK(o.out.find("NAME:") != std::string::npos);
    CHECK(o.out.find("env:T") != std::string::npos);
  }
  SECTION("csv and jsonl")
  {
    auto csv = e.svc.run({"--format", "csv", "account", "show", "shop"});
    require_ok(csv);
    CHECK(csv.out.rfind("name,", 0) == 0);
    auto jsonl = e.svc.run({"--format", "jsonl", "account", "show", "shop"});
    require_ok(jsonl);
    CHECK(json::parse(jsonl.out)["name"] == "shop");
  }
}

TEST_CASE("commands::account use", "[commands]")
{
  Env e;
  require_ok(e.svc.run({"account", "bind", "telegram", "a", "--token-env", "T"}));
  require_ok(e.svc.run({"account", "bind", "telegram", "b", "--token-env", "T"}));
  auto defaults = [&] {
    std::map<std::string, bool> out;
    for (const auto& a : e.svc.run({"--format", "json", "account", "list"}).json())
      out[a["name"]] = a["default"];
    return out;
  };
  // The first account bound became the default.
  CHECK(defaults() == std::map<std::string, bool>{{"a", true}, {"b", false}});
  auto use = e.svc.run({"account", "use", "b"});
  require_ok(use);
  CHECK(use.err.find("b") != std::string::npos);
  CHECK(defaults() == std::map<std::string, bool>{{"a", false}, {"b", true}});
  SECTION("bind --default takes it over")
  {
    require_ok(e.svc.run({"account", "bind", "telegram", "c", "--token-env", "T", "--default"}));
    CHECK(defaults() == std::map<std::string, bool>{{"a", false}, {"b", false}, {"c", true}});
  }
  SECTION("an unknown account: exit 3, default unchanged")
  {
    CHECK(e.svc.run({"account", "use", "nosuch"}).code == 3);
    CHECK(defaults() == std::map<std::string, bool>{{"a", false}, {"b", true}});
  }
}

TEST_CASE("commands::account unbind", "[commands]")
{
  Env e;
  require_ok(e.svc.run({"account", "bind", "telegram", "shop", "--token-env", "T"}));
  SECTION("then the list is empty")
  {
    auto o = e.svc.run({"account", "unbind", "shop"});
    require_ok(o);
    CHECK(o.err.find("--purge") != std::string::npos); // it says history was kept
    auto list = e.svc.run({"--format", "json", "account", "list"});
    require_ok(list);
    CHECK(list.json() == json::array());
    CHECK(list.out == "[]\n");
    auto jsonl = e.svc.run({"--format", "jsonl", "account", "list"});
    require_ok(jsonl);
    CHECK(jsonl.out.empty());
    auto table = e.svc.run({"account", "list"});
    require_ok(table);
    CHECK(table.out.empty());
    CHECK(e.svc.run({"account", "show", "shop"}).code == 3);
  }
  SECTION("the name can be bound again")
  {
    require_ok(e.svc.run({"account", "unbind", "shop"}));
    require_ok(e.svc.run({"account", "bind", "weibo", "shop", "--token-env", "T"}));
    auto arr = e.svc.run({"--format", "json", "account", "list"}).json();
    REQUIRE(arr.size() == 1);
    CHECK(arr[0]["platform"] == "weibo");
  }
  SECTION("--purge")
  {
    require_ok(e.svc.run({"account", "unbind", "shop", "--purge"}));
    CHECK(e.svc.run({"--format", "json", "account", "list"}).json().empty());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(e.state.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM accounts", -1, &s, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(s) == SQLITE_ROW);
    CHECK(sqlite3_column_int(s, 0) == 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
  }
  SECTION("an unknown account: exit 3")
  {
    auto o = e.svc.run({"account", "unbind", "nosuch"});
    CHECK(o.code == 3);
    CHECK(first_line(o.err).rfind("svc: error:", 0) == 0);
  }
}

}  // namespace commands_test_account
