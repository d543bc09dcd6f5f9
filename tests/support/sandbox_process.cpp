#include "support/sandbox_process.hpp"
#include "support/spawn.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>
#include <sqlite3.h>

#include <svc/core/time.hpp>


namespace svc::test {

namespace {

struct Db {
  sqlite3* db = nullptr;
  Db(const std::string& path, bool write)
  {
    int flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path + ": " + sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 10000);
  }
  ~Db() { sqlite3_close(db); }
};

std::string
col_text(sqlite3_stmt* s, int i)
{
  auto p = sqlite3_column_text(s, i);
  return p ? reinterpret_cast<const char*>(p) : "";
}

} // namespace

SandboxProcess::SandboxProcess(const SandboxOptions& options)
{
  auto port_file = m_dir / "port";
  auto out = m_dir / "stdout";
  std::vector<std::string> args = {"sandbox", "serve", "--port", "0", "--port-file", port_file.string(),
                                   "--seed", std::to_string(options.seed), "--world-size",
                                   std::to_string(options.world_size)};
  if (!options.faults.empty()) {
    args.push_back("--faults");
    args.push_back(options.faults);
  }
  m_pid = spawn_svc(args, {}, {"/dev/null", out, m_dir / "stderr"});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  std::string line;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string printed = read_file(out);
    auto nl = printed.find('\n');
    if (std::filesystem::exists(port_file) && nl != std::string::npos) {
      line = printed.substr(0, nl);
      break;
    }
    int status = 0;
    if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_pid = -1;
      throw std::runtime_error("the sandbox exited on start: " + read_file(m_dir / "stderr"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (line.empty()) {
    kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
    throw std::runtime_error("the sandbox did not start within 15 s");
  }
  m_port = std::stoi(read_file(port_file));
  m_credentials = nlohmann::json::parse(line);
  m_url = m_credentials.at("url").get<std::string>();
}

SandboxProcess::~SandboxProcess()
{
  if (m_pid > 0) {
    kill(m_pid, SIGTERM);
    int status = 0;
    waitpid(m_pid, &status, 0);
  }
}

const nlohmann::json&
SandboxProcess::account(const std::string& platform) const
{
  for (const auto& a : m_credentials.at("accounts"))
    if (a.at("platform") == platform)
      return a;
  throw std::runtime_error("the sandbox has no " + platform + " account");
}

nlohmann::json
SandboxProcess::get_json(const std::string& path) const
{
  httplib::Client client("127.0.0.1", m_port);
  client.set_read_timeout(30, 0);
  auto res = client.Get(path);
  if (!res || res->status != 200)
    throw std::runtime_error("GET " + path + " failed");
  return nlohmann::json::parse(res->body);
}

nlohmann::json
SandboxProcess::messages() const
{
  return get_json("/_sandbox/messages");
}

nlohmann::json
SandboxProcess::sent() const
{
  return get_json("/_sandbox/sent");
}

nlohmann::json
SandboxProcess::inject(const std::string& platform, const std::string& channel, const std::string& from,
                       const std::string& text) const
{
  httplib::Client client("127.0.0.1", m_port);
  nlohmann::json body = {{"platform", platform}, {"channel", channel}, {"from", from}, {"text", text}};
  auto res = client.Post("/_sandbox/inject", body.dump(), "application/json");
  if (!res || res->status != 200)
    throw std::runtime_error("inject refused: " + (res ? res->body : std::string("no response")));
  return nlohmann::json::parse(res->body);
}

SvcHome::SvcHome(const SandboxProcess& sandbox)
{
  m_env = {{"SVC_STATE", state()},
           {"WB_TOKEN", sandbox.account("weibo").at("token").get<std::string>()},
           {"TG_TOKEN", sandbox.account("telegram").at("token").get<std::string>()},
           {"WX_SECRET", sandbox.account("wechat").at("secret").get<std::string>()},
           {"WX_APP_ID", sandbox.account("wechat").at("app_id").get<std::string>()}};
}

Outcome
SvcHome::run(const std::vector<std::string>& args) const
{
  return run_binary(args, m_env);
}

nlohmann::json
SvcHome::json(const std::vector<std::string>& args) const
{
  std::vector<std::string> full = {"--format", "json"};
  full.insert(full.end(), args.begin(), args.end());
  auto o = run(full);
  INFO("svc " << Catch::Detail::stringify(full) << "\n" << describe(o));
  REQUIRE(o.code == 0);
  return nlohmann::json::parse(o.out);
}

void
SvcHome::bind(const std::string& platform, const std::string& name, const std::string& base_url) const
{
  std::vector<std::string> args = {"account", "bind", platform, name, "--base-url", base_url};
  if (platform == "wechat") {
    args.insert(args.end(), {"--app-id", m_env.at("WX_APP_ID"), "--secret-env", "WX_SECRET"});
  } else {
    args.insert(args.end(), {"--token-env", platform == "weibo" ? "WB_TOKEN" : "TG_TOKEN"});
  }
  auto o = run(args);
  INFO(describe(o));
  REQUIRE(o.code == 0);
}

void
SvcHome::bind_all(const std::string& base_url) const
{
  bind("weibo", "wb", base_url);
  bind("wechat", "wx", base_url);
  bind("telegram", "tg", base_url);
}

std::vector<StoredMessage>
SvcHome::stored() const
{
  Db db(state(), false);
  const char* sql = "SELECT m.id, a.name, a.platform, m.channel, m.direction, m.platform_message_id, "
                    "coalesce(c.platform_user_id, ''), m.created_at, m.text, m.conversation_id "
                    "FROM messages m JOIN accounts a ON a.id = m.account_id "
                    "LEFT JOIN contacts c ON c.id = m.contact_id ORDER BY m.id";
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.db, sql, -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("cannot read messages: ") + sqlite3_errmsg(db.db));
  std::vector<StoredMessage> out;
  while (sqlite3_step(s) == SQLITE_ROW) {
    StoredMessage m;
    m.id = sqlite3_column_int64(s, 0);
    m.account = col_text(s, 1);
    m.platform = col_text(s, 2);
    m.channel = col_text(s, 3);
    m.direction = col_text(s, 4);
    m.platform_message_id = col_text(s, 5);
    m.contact_platform_user_id = col_text(s, 6);
    m.created_at = sqlite3_column_int64(s, 7);
    m.text = col_text(s, 8);
    m.conversation_id = sqlite3_column_int64(s, 9);
    out.push_back(std::move(m));
  }
  sqlite3_finalize(s);
  return out;
}

void
SvcHome::exec_sql(const std::string& sql) const
{
  Db db(state(), true);
  char* err = nullptr;
  if (sqlite3_exec(db.db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("SQL failed: " + message);
  }
}

std::int64_t
SvcHome::query_int(const std::string& sql) const
{
  Db db(state(), false);
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("bad query: ") + sqlite3_errmsg(db.db));
  std::int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return v;
}

std::string
describe(const Outcome& o)
{
  return "exit " + std::to_string(o.code) + "\nstdout: " + o.out + "\nstderr: " + o.err;
}

std::string
sandbox_key(const nlohmann::json& entry)
{
  std::string platform = entry.at("platform");
  if (platform == "wechat")
    return "wechat|" + entry.at("from_id").get<std::string>() + "|" + entry.at("created_at").get<std::string>() + "|"
           + entry.at("text").get<std::string>();
  return platform + "|" + entry.at("platform_message_id").get<std::string>();
}

std::string
stored_key(const StoredMessage& m)
{
  if (m.platform == "wechat")
    return "wechat|" + m.contact_platform_user_id + "|" + format_iso(m.created_at) + "|" + m.text;
  return m.platform + "|" + m.platform_message_id;
}

} // namespace svc::test
