#include "harness.hpp"

#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

namespace svc::test::reliability {

using nlohmann::json;

std::uint64_t
suite_seed(std::uint64_t salt)
{
  std::uint64_t base = 20261122;
  if (const char* s = std::getenv("SVC_RELIABILITY_SEED"))
    base = std::strtoull(s, nullptr, 10);
  return base * 1000003 + salt;
}

Victim::Victim(const std::vector<std::string>& args, const std::map<std::string, std::string>& env)
  : m_pid(spawn_svc(args, env, {"/dev/null", m_dir / "stdout", m_dir / "stderr"}))
{
}

Victim::~Victim()
{
  kill_now();
}

bool
Victim::running()
{
  if (m_pid > 0) {
    int status = 0;
    if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
      m_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      m_pid = -1;
    }
  }
  return m_pid > 0;
}

bool
Victim::kill_now()
{
  if (!running())
    return false;
  kill(m_pid, SIGKILL);
  waitpid(m_pid, nullptr, 0);
  m_pid = -1;
  m_code = 128 + SIGKILL;
  return true;
}

int
Victim::wait()
{
  if (m_pid > 0) {
    m_code = wait_exit(m_pid);
    m_pid = -1;
  }
  return m_code;
}

bool
run_and_kill(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
             std::chrono::milliseconds delay)
{
  Victim victim(args, env);
  // Poll rather than sleep the whole delay: a run that ends early is not waited for.
  auto deadline = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!victim.running())
      return false;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
      std::chrono::milliseconds(2), deadline - std::chrono::steady_clock::now()));
  }
  return victim.kill_now();
}

std::chrono::milliseconds
timed_run(const SvcHome& home, const std::vector<std::string>& args, int expected_code)
{
  auto t0 = std::chrono::steady_clock::now();
  auto o = home.run(args);
  auto t1 = std::chrono::steady_clock::now();
  INFO("svc " << Catch::Detail::stringify(args) << "\n" << describe(o));
  REQUIRE(o.code == expected_code);
  return std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0);
}

std::chrono::milliseconds
random_delay(std::mt19937_64& rng, std::chrono::milliseconds scale)
{
  std::uniform_int_distribution<std::int64_t> pick(0, std::max<std::int64_t>(1, scale.count()));
  return std::chrono::milliseconds(pick(rng));
}

std::multiset<std::string>
pullable_keys(const json& sandbox_messages)
{
  std::multiset<std::string> keys;
  for (const auto& m : sandbox_messages)
    if (!(m.at("platform") == "weibo" && m.at("channel") == "dm"))
      keys.insert(sandbox_key(m));
  return keys;
}

std::multiset<std::string>
inbound_keys(const std::vector<StoredMessage>& stored)
{
  std::multiset<std::string> keys;
  for (const auto& m : stored)
    if (m.direction == "in")
      keys.insert(stored_key(m));
  return keys;
}

int
pull_until_quiet(const SvcHome& home, int rounds)
{
  for (int i = 1; i <= rounds; ++i) {
    auto o = home.run({"--format", "json", "pull"});
    INFO("pull run " << i << ": " << describe(o));
    CHECK((o.code == 0 || o.code == 5 || o.code == 8));
    if (o.code != 0)
      continue;
    int fresh = 0;
    for (const auto& r : json::parse(o.out))
      fresh += r.at("new").get<int>();
    if (fresh == 0)
      return i;
  }
  return rounds + 1;
}

json
require_db_check(const SvcHome& home)
{
  auto o = home.run({"--format", "json", "db", "check"});
  INFO(describe(o));
  REQUIRE(o.code == 0);
  auto report = json::parse(o.out);
  REQUIRE(report.at("integrity") == "ok");
  return report.at("counts");
}

std::map<std::string, int>
sent_texts(const SandboxProcess& sandbox)
{
  std::map<std::string, int> out;
  for (const auto& s : sandbox.sent())
    ++out[s.at("text").get<std::string>()];
  return out;
}

namespace {

struct ReadOnlyDb {
  sqlite3* db = nullptr;
  explicit ReadOnlyDb(const std::string& path)
  {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    sqlite3_busy_timeout(db, 10000);
  }
  ~ReadOnlyDb() { sqlite3_close(db); }
};

std::vector<std::string>
column_strings(sqlite3* db, const std::string& sql)
{
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw std::runtime_error(std::string("bad query: ") + sqlite3_errmsg(db));
  std::vector<std::string> rows;
  while (sqlite3_step(s) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(s); ++i) {
      auto p = sqlite3_column_blob(s, i);
      int n = sqlite3_column_bytes(s, i);
      row += fmt::format("{}:{}:", sqlite3_column_type(s, i), n);
      if (p)
        row.append(static_cast<const char*>(p), static_cast<std::size_t>(n));
      row += '|';
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(s);
  return rows;
}

std::vector<std::string>
table_names(sqlite3* db)
{
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1, &s, nullptr);
  std::vector<std::string> names;
  while (sqlite3_step(s) == SQLITE_ROW)
    names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
  sqlite3_finalize(s);
  return names;
}

} // namespace

std::string
content_fingerprint(const std::string& state)
{
  ReadOnlyDb db(state);
  std::string all;
  // The table names come from the schema itself, not from any input.
  for (const auto& name : table_names(db.db)) {
    // The shared request budget (lib/svc/inbox/budget) is spent by every request, failed or not: pacing
    // state, not data.
    if (name == "rate_buckets")
      continue;
    all += "[" + name + "]";
    // Sorted here rather than by rowid: some tables (FTS, WITHOUT ROWID) have none.
    auto rows = column_strings(db.db, "SELECT * FROM \"" + name + "\"");
    std::sort(rows.begin(), rows.end());
    for (const auto& row : rows)
      all += row + "\n";
  }
  for (const auto& row : column_strings(db.db, "PRAGMA user_version"))
    all += "v" + row;
  return fmt::format("{:016x}/{}", std::hash<std::string>{}(all), all.size());
}

std::string
bytes_fingerprint(const std::string& state)
{
  std::string all = read_file(state);
  // An empty WAL is the same as none (the last connection to close removes it).
  if (std::filesystem::exists(state + "-wal") && std::filesystem::file_size(state + "-wal") > 0)
    all += "|wal|" + read_file(state + "-wal");
  return fmt::format("{:016x}/{}", std::hash<std::string>{}(all), all.size());
}

std::vector<std::int64_t>
telegram_customers(const SandboxProcess& sandbox, const SvcHome& home, const std::string& prefix, int n)
{
  std::vector<std::string> texts;
  for (int i = 0; i < n; ++i) {
    texts.push_back(fmt::format("{} question {}", prefix, i));
    sandbox.inject("telegram", "dm", fmt::format("{}-customer-{}", prefix, i), texts.back());
  }
  auto pulled = home.run({"pull", "--account", "tg"});
  INFO(describe(pulled));
  REQUIRE(pulled.code == 0);
  std::vector<std::int64_t> ids;
  auto stored = home.stored();
  for (const auto& text : texts)
    for (const auto& m : stored)
      if (m.text == text)
        ids.push_back(m.conversation_id);
  REQUIRE(ids.size() == texts.size());
  return ids;
}

} // namespace svc::test::reliability
