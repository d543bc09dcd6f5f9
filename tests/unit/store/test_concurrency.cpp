// Several processes on one state file: concurrent writers all succeed (they queue on the busy timeout),
// and a writer blocked past the busy timeout gets ErrorKind::state instead of hanging or corrupting.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>

#include "store_test_util.hpp"

namespace store_test_concurrency {

using namespace svc;
using namespace svc::test;

namespace {

domain::Account
account(const std::string& name)
{
  domain::Account a;
  a.name = name;
  a.platform = domain::Platform::telegram;
  a.token = {domain::SecretRef::Source::env, "T"};
  return a;
}

// The child's whole life: open the (maybe not yet existing) file, bind `count` accounts, each in its
// own transaction. Exit status 0 only when every step succeeded.
[[noreturn]] void
child_binds(const std::filesystem::path& path, int child, int count, int start_fd)
{
  char go = 0;
  if (read(start_fd, &go, 1) < 0) { // returns 0 when the parent closes the pipe: everyone starts at once
    _exit(10);
  }
  FixedClock clock(1795000000 + child);
  store::OpenOptions o;
  o.path = path;
  o.clock = &clock;
  o.busy_timeout = std::chrono::milliseconds(30000);
  auto opened = store::open_store(o);
  if (!opened) {
    // The parent shows the child's stderr: the reason belongs in the test log.
    fprintf(stderr, "child %d: open_store: %s (%s)\n", child, opened.error().message.c_str(),
            opened.error().hint.c_str());
    _exit(11);
  }
  auto& store = **opened;
  for (int i = 0; i < count; ++i) {
    std::string name = "c" + std::to_string(child) + "-" + std::to_string(i);
    auto r = store.transaction([&]() -> Status {
      auto bound = store.accounts().bind(account(name), false);
      if (!bound) {
        return bound.error();
      }
      return {};
    });
    if (!r) {
      fprintf(stderr, "child %d: bind %s: %s\n", child, name.c_str(), r.error().message.c_str());
      _exit(20 + static_cast<int>(r.error().kind));
    }
  }
  opened->reset();
  _exit(0);
}

} // namespace

TEST_CASE("store::open_store concurrent writers in several processes", "[store][concurrency]")
{
  const int children = GENERATE(2, 4);
  const int per_child = 50;
  TempDir dir;
  auto path = dir / "state.db";
  {
    // Created up front: this test is about concurrent writers (creation races have their own test).
    FixedClock clock(1795000000);
    REQUIRE(open_at(path, clock).has_value());
  }
  int start[2];
  REQUIRE(pipe(start) == 0);
  std::vector<pid_t> pids;
  for (int c = 0; c < children; ++c) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(start[1]);
      child_binds(path, c, per_child, start[0]);
    }
    pids.push_back(pid);
  }
  close(start[0]);
  close(start[1]); // go
  for (pid_t pid : pids) {
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    INFO("child exit status " << (WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status)));
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  FixedClock clock(1795000000);
  auto opened = open_at(path, clock);
  REQUIRE(opened.has_value());
  auto all = (*opened)->accounts().list();
  REQUIRE(all.has_value());
  CHECK(all->size() == static_cast<std::size_t>(children * per_child));
  std::set<std::string> unique;
  for (const auto& a : *all)
    unique.insert(a.name);
  CHECK(unique.size() == static_cast<std::size_t>(children * per_child));
  for (int c = 0; c < children; ++c)
    CHECK(unique.count("c" + std::to_string(c) + "-" + std::to_string(per_child - 1)) == 1);
  auto report = (*opened)->check();
  REQUIRE(report.has_value());
  CHECK(report->integrity == "ok");
  CHECK(report->schema_version == store::known_schema_version());
}

TEST_CASE("store::Store a writer blocked past the busy timeout gets ErrorKind::state", "[store][concurrency]")
{
  TempDir dir;
  auto path = dir / "state.db";
  FixedClock clock(1795000000);
  auto opened = open_at(path, clock, true, std::chrono::milliseconds(200));
  REQUIRE(opened.has_value());
  auto& store = **opened;
  REQUIRE(store.accounts().bind(account("before"), false).has_value());

  RawDb holder(path);
  holder.exec("BEGIN IMMEDIATE");
  holder.exec("INSERT INTO settings (key, value) VALUES ('held', 'yes')");

  SECTION("in a transaction")
  {
    auto started = std::chrono::steady_clock::now();
    auto r = store.transaction([&]() -> Status {
      auto b = store.accounts().bind(account("blocked"), false);
      return b ? Status{} : b.error();
    });
    auto waited = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::state);
    CHECK(r.error().message.find("locked") != std::string::npos);
    CHECK_FALSE(r.error().hint.empty());
    CHECK(waited >= std::chrono::milliseconds(150)); // it did wait for the other writer first
    CHECK(waited < std::chrono::seconds(10));
  }
  SECTION("a bare repository call")
  {
    auto r = store.accounts().bind(account("blocked"), false);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::state);
  }
  SECTION("opening while another writer holds the lock")
  {
    auto second = open_at(path, clock, true, std::chrono::milliseconds(200));
    if (!second.has_value()) {
      CHECK(second.error().kind == ErrorKind::state);
    } else {
      auto r = (*second)->accounts().bind(account("blocked"), false);
      REQUIRE_FALSE(r.has_value());
      CHECK(r.error().kind == ErrorKind::state);
    }
  }
  holder.exec("ROLLBACK");
  SECTION("once the lock is released, writing works again")
  {
    REQUIRE(store.accounts().bind(account("after"), false).has_value());
  }
  auto all = store.accounts().list();
  REQUIRE(all.has_value());
  for (const auto& a : *all)
    CHECK(a.name != "blocked");
}

namespace {

// A child that only opens the file (creating it when missing) once the parent says go.
[[noreturn]] void
child_opens(const std::filesystem::path& path, int child, int start_fd)
{
  char go = 0;
  if (read(start_fd, &go, 1) < 0) {
    _exit(10);
  }
  FixedClock clock(1795000000);
  store::OpenOptions o;
  o.path = path;
  o.clock = &clock;
  o.busy_timeout = std::chrono::milliseconds(30000);
  auto opened = store::open_store(o);
  if (!opened) {
    fprintf(stderr, "child %d: open_store: %s\n", child, opened.error().message.c_str());
    _exit(11);
  }
  _exit(0);
}

} // namespace

// Several svc processes started at once on a fresh install (cron jobs, a script running commands in
// parallel) all open a state file that does not exist yet. One creates and migrates it; the others must
// recognise it as theirs, whatever moment they look at it.
TEST_CASE("store::open_store many processes creating the same new file at once", "[store][concurrency]")
{
  const int rounds = 15, children = 4;
  int failed_rounds = 0;
  for (int round = 0; round < rounds; ++round) {
    TempDir dir;
    auto path = dir / "new" / "state.db";
    int start[2];
    REQUIRE(pipe(start) == 0);
    std::vector<pid_t> pids;
    for (int c = 0; c < children; ++c) {
      pid_t pid = fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        close(start[1]);
        child_opens(path, c, start[0]);
      }
      pids.push_back(pid);
    }
    close(start[0]);
    close(start[1]);
    bool all_ok = true;
    for (pid_t pid : pids) {
      int status = 0;
      REQUIRE(waitpid(pid, &status, 0) == pid);
      all_ok = all_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    failed_rounds += all_ok ? 0 : 1;
    FixedClock clock(1795000000);
    auto opened = open_at(path, clock);
    REQUIRE(opened.has_value());
    CHECK((*opened)->schema_version() == store::known_schema_version());
  }
  INFO(failed_rounds << " of " << rounds << " rounds had a process refuse the new file");
  CHECK(failed_rounds == 0);
}

}  // namespace store_test_concurrency
