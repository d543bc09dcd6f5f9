// The real svc binary in child processes: the foundation's Done-when scenario, file modes of a fresh
// state file, secrets absent at -vv, and two svc processes writing one state file at once.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/spawn.hpp"
#include "support/temp_dir.hpp"

namespace e2e_test_foundation {

using namespace svc::test;
using nlohmann::json;

namespace {

// The binary through support/spawn.hpp (posix_spawn: safe from the concurrency test's threads), with
// this file's own Outcome so that it needs nothing of the in-process runner.
struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome
run_binary(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {},
           const std::string& stdin_text = "")
{
  TempDir io_dir;
  SpawnIo io{io_dir / "stdin", io_dir / "stdout", io_dir / "stderr"};
  write_file(io.in, stdin_text);
  Outcome o; // no Catch assertions here: the concurrency test calls this from several threads
  o.code = wait_exit(spawn_svc(args, extra_env, io));
  o.out = read_file(io.out);
  o.err = read_file(io.err);
  return o;
}

const std::string k_secret = "some-secret-value-e2e-4242";

mode_t
mode_of(const std::filesystem::path& path)
{
  struct stat st{};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string
describe(const Outcome& o)
{
  return "exit " + std::to_string(o.code) + "\nstdout: " + o.out + "\nstderr: " + o.err;
}

} // namespace

TEST_CASE("e2e::account bind then list (Done-when)", "[e2e]")
{
  TempDir dir;
  auto state = dir / "new-dir" / "state.db";
  std::map<std::string, std::string> env = {{"T", k_secret}, {"SVC_STATE", state.string()}};

  auto bind = run_binary({"account", "bind", "telegram", "shop", "--token-env", "T"}, env);
  INFO(describe(bind));
  REQUIRE(bind.code == 0);
  CHECK(bind.out.find(k_secret) == std::string::npos);
  CHECK(bind.err.find(k_secret) == std::string::npos);

  auto list = run_binary({"--format", "json", "account", "list"}, env);
  INFO(describe(list));
  REQUIRE(list.code == 0);
  auto arr = json::parse(list.out);
  REQUIRE(arr.is_array());
  REQUIRE(arr.size() == 1);
  CHECK(arr[0]["name"] == "shop");
  CHECK(arr[0]["platform"] == "telegram");
  CHECK(arr[0]["default"] == true);
  CHECK(arr[0]["credentials"]["token"] == "env:T");
  CHECK(list.out.find(k_secret) == std::string::npos);
  CHECK(list.err.find(k_secret) == std::string::npos);

  SECTION("the state file and its new directory are private")
  {
    CHECK(mode_of(state) == 0600);
    CHECK(mode_of(state.parent_path()) == 0700);
  }
  SECTION("the state file holds the variable's name, never its value")
  {
    CHECK(read_file(state).find(k_secret) == std::string::npos);
  }
  SECTION("db check on the file")
  {
    auto check = run_binary({"--format", "json", "db", "check"}, env);
    INFO(describe(check));
    REQUIRE(check.code == 0);
    CHECK(json::parse(check.out)["integrity"] == "ok");
  }
}

TEST_CASE("e2e::--state creates a private file in a new directory", "[e2e]")
{
  TempDir dir;
  auto state = dir / "a" / "b" / "state.db";
  auto o = run_binary({"--state", state.string(), "account", "bind", "weibo", "wb", "--token-env", "T"}, {{"T", "x"}});
  INFO(describe(o));
  REQUIRE(o.code == 0);
  CHECK(mode_of(state) == 0600);
  CHECK(mode_of(dir / "a" / "b") == 0700);
  CHECK(mode_of(dir / "a") == 0700);
  // Nothing was written where SVC_STATE/XDG would have put it.
  auto list = run_binary({"--state", state.string(), "--format", "json", "account", "list"});
  REQUIRE(list.code == 0);
  CHECK(json::parse(list.out).size() == 1);
}

TEST_CASE("e2e::secrets never printed, even with -vv", "[e2e]")
{
  TempDir dir;
  auto state = (dir / "state.db").string();
  std::map<std::string, std::string> env = {{"T", k_secret}, {"SVC_STATE", state}};
  const std::string stdin_secret = "stdin-only-secret-e2e-9999";
  auto a = run_binary({"-vv", "account", "bind", "telegram", "envacct", "--token-env", "T"}, env);
  REQUIRE(a.code == 0);
  auto b = run_binary({"-vv", "account", "bind", "telegram", "stdinacct", "--token-stdin"}, env, stdin_secret + "\n");
  INFO(describe(b));
  REQUIRE(b.code == 0);
  std::vector<Outcome> outcomes = {a, b};
  for (const char* format : {"table", "json", "jsonl", "csv"}) {
    outcomes.push_back(run_binary({"-vv", "--format", format, "account", "list"}, env));
    outcomes.push_back(run_binary({"-vv", "--format", format, "account", "show", "envacct"}, env));
    outcomes.push_back(run_binary({"-vv", "--format", format, "account", "show", "stdinacct"}, env));
  }
  outcomes.push_back(run_binary({"-vv", "--format", "json", "db", "check"}, env));
  for (const auto& o : outcomes) {
    INFO(describe(o));
    CHECK(o.code == 0);
    CHECK(o.out.find(k_secret) == std::string::npos);
    CHECK(o.err.find(k_secret) == std::string::npos);
    CHECK(o.out.find(stdin_secret) == std::string::npos);
    CHECK(o.err.find(stdin_secret) == std::string::npos);
  }
}

TEST_CASE("e2e::exit codes and errors of the real binary", "[e2e]")
{
  TempDir dir;
  auto state = (dir / "state.db").string();
  std::map<std::string, std::string> env = {{"SVC_STATE", state}};
  auto version = run_binary({"--version"});
  CHECK(version.code == 0);
  CHECK(version.out == "svc 0.1.0\n");
  auto unknown = run_binary({"frobnicate"}, env);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.rfind("svc: error:", 0) == 0);
  auto missing = run_binary({"account", "show", "nosuch"}, env);
  CHECK(missing.code == 3);
  auto check_missing = run_binary({"db", "check"}, {{"SVC_STATE", (dir / "none.db").string()}});
  CHECK(check_missing.code == 3);
  CHECK_FALSE(std::filesystem::exists(dir / "none.db"));
  write_file(dir / "text.db", "hello\n");
  auto foreign = run_binary({"account", "list"}, {{"SVC_STATE", (dir / "text.db").string()}});
  CHECK(foreign.code == 7);
  CHECK(read_file(dir / "text.db") == "hello\n");
  SECTION("SVC_FORMAT from the real environment")
  {
    REQUIRE(run_binary({"account", "bind", "telegram", "x", "--token-env", "T"}, env).code == 0);
    auto o = run_binary({"account", "list"}, {{"SVC_STATE", state}, {"SVC_FORMAT", "json"}});
    REQUIRE(o.code == 0);
    CHECK(json::parse(o.out)[0]["name"] == "x");
  }
}

TEST_CASE("e2e::two svc processes bind accounts on one state file at once", "[e2e][concurrency]")
{
  TempDir dir;
  auto state = (dir / "shared" / "state.db").string();
  const int per_process = 20;
  std::map<std::string, std::string> env = {{"T", k_secret}, {"SVC_STATE", state}};
  // Created first: this is about concurrent writers. Concurrent creation of a new file is covered (and
  // currently fails, see open.cpp identify()) by the store test "many processes creating the same new file".
  REQUIRE(run_binary({"db", "migrate"}, env).code == 0);
  std::vector<std::vector<Outcome>> results(2);
  auto worker = [&](int who) {
    for (int i = 0; i < per_process; ++i)
      results[static_cast<std::size_t>(who)].push_back(run_binary(
        {"account", "bind", "telegram", "p" + std::to_string(who) + "-" + std::to_string(i), "--token-env", "T"}, env));
  };
  std::thread t0(worker, 0), t1(worker, 1);
  t0.join();
  t1.join();
  for (const auto& list : results) {
    REQUIRE(list.size() == static_cast<std::size_t>(per_process));
    for (const auto& o : list) {
      INFO(describe(o));
      CHECK(o.code == 0);
    }
  }
  auto list = run_binary({"--format", "json", "account", "list"}, env);
  INFO(describe(list));
  REQUIRE(list.code == 0);
  auto arr = json::parse(list.out);
  CHECK(arr.size() == 2 * per_process);
  std::set<std::string> names;
  int defaults = 0;
  for (const auto& a : arr) {
    names.insert(a["name"].get<std::string>());
    defaults += a["default"].get<bool>() ? 1 : 0;
  }
  CHECK(names.size() == 2 * per_process);
  CHECK(names.count("p0-" + std::to_string(per_process - 1)) == 1);
  CHECK(names.count("p1-" + std::to_string(per_process - 1)) == 1);
  CHECK(defaults == 1);
  auto check = run_binary({"--format", "json", "db", "check"}, env);
  REQUIRE(check.code == 0);
  CHECK(json::parse(check.out)["integrity"] == "ok");
  CHECK(mode_of(state) == 0600);
}

}  // namespace e2e_test_foundation
