// Security suite: the state file, its WAL and its directory are private whatever the umask; no secret
// of the sandbox's (tokens, app secrets, callback tokens, webhook secrets) appears in any output, -vv
// log, error, export or contact export; `svc listen` listens on loopback only unless told otherwise; and
// no user-supplied string ever becomes part of SQL text (every statement SQLite prepares while svc runs
// a battery of commands is traced: a marker typed by the user must never be in one).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <sqlite3.h>

#include "harness.hpp"
#include "support/run_svc.hpp"

namespace reliability_test_security {

using namespace svc::test;
using namespace svc::test::reliability;
using nlohmann::json;

namespace {

unsigned
mode_of(const std::filesystem::path& p)
{
  struct stat st {};
  REQUIRE(stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

std::vector<std::string>
sandbox_secrets(const SandboxProcess& sandbox)
{
  return {sandbox.account("weibo").at("token"),         sandbox.account("weibo").at("app_secret"),
          sandbox.account("wechat").at("secret"),       sandbox.account("wechat").at("callback_token"),
          sandbox.account("telegram").at("token"),      sandbox.account("telegram").at("webhook_secret")};
}

void
check_no_secret(const std::string& where, const std::string& text, const std::vector<std::string>& secrets)
{
  for (const auto& s : secrets) {
    INFO(where << " must not contain a secret\n" << text.substr(0, 2000));
    CHECK(text.find(s) == std::string::npos);
  }
}

// Every SQL text SQLite runs in this process, recorded by a trace installed on each new connection.
std::mutex g_sql_mutex;
std::vector<std::string> g_sql;

int
trace_statement(unsigned, void*, void* stmt, void*)
{
  const char* sql = sqlite3_sql(static_cast<sqlite3_stmt*>(stmt));
  std::lock_guard lock(g_sql_mutex);
  g_sql.emplace_back(sql ? sql : "");
  return 0;
}

int
install_trace(sqlite3* db, const char**, const void*)
{
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, trace_statement, nullptr);
  return SQLITE_OK;
}

// Listening sockets of this port in /proc/net/tcp and tcp6: their local addresses (hex, as the kernel
// writes them).
std::vector<std::string>
listening_addresses(int port)
{
  std::vector<std::string> out;
  std::string port_hex = fmt::format("{:04X}", port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      auto colon = local.rfind(':');
      if (state == "0A" && colon != std::string::npos && local.substr(colon + 1) == port_hex)
        out.push_back(local.substr(0, colon));
    }
  }
  return out;
}

} // namespace

TEST_CASE("security::the state file, its WAL and its directory are private even with umask 0",
          "[reliability][security]")
{
  SandboxProcess sandbox({.seed = 1501, .world_size = 20, .faults = ""});
  TempDir xdg;
  SvcHome home(sandbox);
  // The default location (no SVC_STATE): $XDG_STATE_HOME/svc/state.db.
  home.env().erase("SVC_STATE");
  home.env()["XDG_STATE_HOME"] = (xdg / "state").string();
  mode_t old = umask(0); // children inherit it: svc must set the modes itself
  home.bind_all(sandbox.url());
  auto pulled = home.run({"pull"});
  umask(old);
  INFO(describe(pulled));
  REQUIRE(pulled.code == 0);
  auto dir = xdg / "state" / "svc";
  CHECK(mode_of(dir) == 0700);
  CHECK(mode_of(dir / "state.db") == 0600);
  for (const char* extra : {"state.db-wal", "state.db-shm"})
    if (std::filesystem::exists(dir / extra)) {
      INFO(extra);
      CHECK(mode_of(dir / extra) == 0600);
    }
}

TEST_CASE("security::no secret in any output, -vv log, error or export", "[reliability][security]")
{
  SandboxProcess sandbox({.seed = 1502, .world_size = 40, .faults = ""});
  SvcHome home(sandbox);
  auto secrets = sandbox_secrets(sandbox);
  home.env()["WX_CB"] = sandbox.account("wechat").at("callback_token").get<std::string>();
  home.env()["TG_HOOK"] = sandbox.account("telegram").at("webhook_secret").get<std::string>();
  home.env()["WB_SECRET"] = sandbox.account("weibo").at("app_secret").get<std::string>();
  TempDir out;
  std::vector<std::vector<std::string>> commands = {
    {"-vv", "account", "bind", "wechat", "wx", "--app-id", home.env().at("WX_APP_ID"), "--secret-env", "WX_SECRET",
     "--callback-token-env", "WX_CB", "--base-url", sandbox.url()},
    {"-vv", "account", "bind", "telegram", "tg", "--token-env", "TG_TOKEN", "--webhook-secret-env", "TG_HOOK",
     "--base-url", sandbox.url()},
    {"-vv", "account", "bind", "weibo", "wb", "--token-env", "WB_TOKEN", "--secret-env", "WB_SECRET", "--base-url",
     sandbox.url()},
    {"-vv", "account", "check", "--all"},
    {"-vv", "--format", "json", "account", "list"},
    {"-vv", "--format", "json", "account", "show", "wx"},
    {"-vv", "--format", "json", "account", "show", "tg"},
    {"-vv", "--format", "json", "pull"},
    {"-vv", "--format", "json", "inbox", "--status", "all"},
    {"-vv", "--format", "json", "db", "check"},
    {"-vv", "api", "tg", "GET", "/getMe"},
    {"-vv", "api", "wx", "GET", "/cgi-bin/user/get"},
    {"-vv", "export", "--format", "jsonl"},
    {"-vv", "export", "--format", "csv", "-o", (out / "history.csv").string()},
    {"-vv", "contact", "export", "-o", (out / "contacts.csv").string()},
  };
  for (const auto& args : commands) {
    auto o = home.run(args);
    std::string what = "svc " + Catch::Detail::stringify(args);
    INFO(what << "\n" << describe(o));
    CHECK(o.code == 0);
    check_no_secret(what + " stdout", o.out, secrets);
    check_no_secret(what + " stderr", o.err, secrets);
  }
  // A reply with -vv (the token is in Telegram's URL path; WeChat's access token in its query).
  auto conversation = home.json({"inbox", "--account", "tg"}).at(0).at("id").get<std::int64_t>();
  auto reply = home.run({"-vv", "--as", "alice", "reply", std::to_string(conversation), "--text", "security: hello"});
  CHECK(reply.code == 0);
  check_no_secret("reply -vv", reply.out + reply.err, secrets);
  // Exported files.
  for (const char* name : {"history.csv", "contacts.csv"})
    if (std::filesystem::exists(out / name))
      check_no_secret(name, read_file(out / name), secrets);
  // Errors: a platform refusing a token, a bad callback secret; with -vv.
  home.env()["TG_TOKEN"] = sandbox.account("telegram").at("token").get<std::string>() + "x";
  auto refused = home.run({"-vv", "pull", "--account", "tg"});
  CHECK(refused.code == 4);
  check_no_secret("refused pull -vv", refused.out + refused.err, secrets);
  check_no_secret("refused pull -vv (the wrong token)", refused.out + refused.err, {home.env().at("TG_TOKEN")});
  // The state file holds the variables' names, never the values given in the environment.
  auto state = read_file(home.state()) + (std::filesystem::exists(home.state() + "-wal") ? read_file(home.state() + "-wal") : "");
  check_no_secret("the state file", state, secrets);
}

TEST_CASE("security::listen binds to loopback by default", "[reliability][security][listen]")
{
  SandboxProcess sandbox({.seed = 1503, .world_size = 10, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  TempDir dir;
  Victim listen({"listen", "--port", "0", "--port-file", (dir / "port").string()}, home.env());
  for (int i = 0; i < 750 && !(std::filesystem::exists(dir / "port") && std::filesystem::file_size(dir / "port") > 0); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  REQUIRE(std::filesystem::exists(dir / "port"));
  int port = std::stoi(read_file(dir / "port"));
  auto addresses = listening_addresses(port);
  INFO("port " << port << ": " << Catch::Detail::stringify(addresses));
  REQUIRE_FALSE(addresses.empty());
  for (const auto& a : addresses) // 127.0.0.1 (little-endian hex) or ::1; never 0.0.0.0 or ::
    CHECK((a == "0100007F" || a == "00000000000000000000000001000000"));
  CHECK(listen.running());
}

TEST_CASE("security::no user string ever becomes part of SQL text", "[reliability][security][sql]")
{
  REQUIRE(sqlite3_auto_extension(reinterpret_cast<void (*)()>(install_trace)) == SQLITE_OK);
  struct Cancel {
    ~Cancel() { sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(install_trace)); }
  } cancel;
  SandboxProcess sandbox({.seed = 1504, .world_size = 30, .faults = ""});
  TempDir dir;
  InProcess svc((dir / "state.db").string());
  svc.env = {{"TG_TOKEN", sandbox.account("telegram").at("token").get<std::string>()},
             {"WB_TOKEN", sandbox.account("weibo").at("token").get<std::string>()}};
  // A marker with the characters an injection would need; svc must bind it, never splice it.
  const std::string m = "zq7'mark\"er;--";
  auto run = [&](const std::vector<std::string>& args) {
    auto o = svc.run(args);
    INFO("svc " << Catch::Detail::stringify(args) << "\n" << describe(o));
    CHECK(o.code < 128);
    return o;
  };
  REQUIRE(run({"account", "bind", "telegram", "tg", "--token-env", "TG_TOKEN", "--base-url", sandbox.url()}).code == 0);
  REQUIRE(run({"account", "bind", "weibo", "wb", "--token-env", "WB_TOKEN", "--base-url", sandbox.url()}).code == 0);
  REQUIRE(run({"pull"}).code == 0);
  auto conversation = std::to_string(json::parse(run({"--format", "json", "inbox"}).out).at(0).at("id").get<std::int64_t>());
  auto contact = std::to_string(
    json::parse(run({"--format", "json", "inbox"}).out).at(0).at("contact").at("id").get<std::int64_t>());
  for (const auto& args : std::vector<std::vector<std::string>>{
         {"template", "add", "t1", "hello " + m},
         {"template", "show", m},
         {"--as", "alice", "reply", conversation, "--text", "reply " + m},
         {"--as", m, "claim", conversation},
         {"--as", "alice", "transfer", conversation, "--to-group", "g", "--note", m},
         {"contact", "set", contact, "note=" + m},
         {"contact", "note", contact, m},
         {"contact", "list", "--search", m},
         {"contact", "show", "tg:" + m},
         {"tag", "add", contact, "zq7tag"},
         {"contact", "list", "--tag", m},
         {"inbox", "--tag", m, "--account", m},
         {"inbox", "--assignee", m},
         {"send", "--account", "tg", "--tag", m, "--text", m},
         {"search", m},
         {"search", "hello", "--account", m},
         {"export", "--account", m},
         {"export", "--contact", m},
         {"report", "--by", "agent"},
         {"watch", "add", "w1", m},
         {"kb", "add", "--question", m, "--answer", m},
         {"kb", "ask", m},
         {"guard", "add", "zq7guard"},
         {"rules", "test", m},
         {"agent", "add", "zq7agent", "--skills", m},
         {"history", conversation},
       })
    run(args);
  std::lock_guard lock(g_sql_mutex);
  INFO(g_sql.size() << " SQL statements traced");
  REQUIRE(g_sql.size() > 50);
  for (const auto& sql : g_sql) {
    INFO(sql);
    CHECK(sql.find("zq7") == std::string::npos);
  }
}

}  // namespace reliability_test_security
