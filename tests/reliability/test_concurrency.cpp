// Concurrency suite: six svc processes at a time on one state file: two pulling while new messages
// arrive, two agents claiming, replying and releasing their own conversations, one exporting and one
// reading (inbox, db check). No command may fail (a busy state file is waited for, never surfaced),
// and at the end nothing is stored twice, nothing is lost (every message, every claim, every reply in
// the audit log), and every reply reached the sandbox exactly once.
#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "harness.hpp"

namespace reliability_test_concurrency {

using namespace svc::test;
using namespace svc::test::reliability;
using nlohmann::json;

namespace {

// Outcomes of commands run on worker threads (Catch assertions are for the main thread only).
class Ledger
{
public:
  void record(const std::vector<std::string>& args, const Outcome& o, std::set<int> ok = {0})
  {
    std::lock_guard lock(m_mutex);
    ++m_runs;
    if (!ok.count(o.code))
      m_failures.push_back("svc " + Catch::Detail::stringify(args) + "\n" + describe(o));
  }
  std::vector<std::string> failures() const
  {
    std::lock_guard lock(m_mutex);
    return m_failures;
  }
  int runs() const
  {
    std::lock_guard lock(m_mutex);
    return m_runs;
  }

private:
  mutable std::mutex m_mutex;
  std::vector<std::string> m_failures;
  int m_runs = 0;
};

} // namespace

TEST_CASE("concurrency::pull, claim, reply, export and read at once on one state file",
          "[reliability][concurrency]")
{
  SandboxProcess sandbox({.seed = 1301, .world_size = 80, .faults = "latency=2ms"});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  auto conversations = telegram_customers(sandbox, home, "concurrency", 12);
  std::map<std::string, std::vector<std::int64_t>> owned; // agent -> its conversations
  for (std::size_t i = 0; i < conversations.size(); ++i)
    owned[i % 2 ? "bob" : "alice"].push_back(conversations[i]);
  bool can_export = home.run({"export", "--help"}).out.find("--output") != std::string::npos;
  TempDir exports;

  Ledger ledger;
  std::vector<std::thread> workers;
  const int rounds = 6;
  for (int puller = 0; puller < 2; ++puller)
    workers.emplace_back([&, puller] {
      for (int r = 0; r < rounds; ++r) {
        sandbox.inject("telegram", "dm", fmt::format("conc-new-{}", puller), fmt::format("new {} {}", puller, r));
        sandbox.inject("weibo", "comment", fmt::format("conc-wb-{}", puller), fmt::format("wb {} {}", puller, r));
        std::vector<std::string> args = {"pull"};
        ledger.record(args, home.run(args));
      }
    });
  for (const auto& [agent, mine] : owned)
    workers.emplace_back([&, agent = agent, mine = mine] {
      for (std::size_t i = 0; i < mine.size(); ++i) {
        std::string id = std::to_string(mine[i]);
        for (const auto& args : std::vector<std::vector<std::string>>{
               {"--as", agent, "claim", id},
               {"--as", agent, "show", id},
               {"--as", agent, "reply", id, "--text", fmt::format("{} answers {}", agent, id)},
               {"--as", agent, "release", id}})
          ledger.record(args, home.run(args));
      }
    });
  workers.emplace_back([&] {
    for (int r = 0; r < rounds && can_export; ++r) {
      auto file = exports / fmt::format("export-{}.jsonl", r);
      std::vector<std::string> args = {"export", "--format", "jsonl", "-o", file.string()};
      auto o = home.run(args);
      ledger.record(args, o);
      // What was written is a whole, consistent snapshot: every line parses.
      if (o.code == 0) {
        auto text = read_file(file);
        std::size_t start = 0, lines = 0;
        bool parsed = true;
        while (start < text.size()) {
          auto end = text.find('\n', start);
          parsed = parsed && json::accept(text.substr(start, end - start));
          ++lines;
          start = end == std::string::npos ? text.size() : end + 1;
        }
        if (!parsed || lines == 0)
          ledger.record({"(export file)", file.string()}, Outcome{1, "", "an unparsable or empty export"});
      }
    }
  });
  workers.emplace_back([&] {
    for (int r = 0; r < rounds * 2; ++r) {
      std::vector<std::string> args = r % 2 ? std::vector<std::string>{"--format", "json", "inbox", "--status", "all"}
                                            : std::vector<std::string>{"--format", "json", "db", "check"};
      ledger.record(args, home.run(args));
    }
  });
  for (auto& w : workers)
    w.join();

  INFO(ledger.runs() << " commands ran");
  for (const auto& f : ledger.failures()) {
    INFO(f);
    CHECK(false); // no error surfaces
  }
  CHECK(ledger.failures().empty());

  // Nothing lost, nothing twice.
  REQUIRE(pull_until_quiet(home, 3) <= 3);
  require_db_check(home);
  auto expected = pullable_keys(sandbox.messages());
  auto got = inbound_keys(home.stored());
  CHECK(got == expected);
  auto delivered = sent_texts(sandbox);
  std::map<std::string, int> stored_out;
  for (const auto& m : home.stored())
    if (m.direction == "out")
      ++stored_out[m.text];
  for (const auto& [agent, mine] : owned)
    for (auto id : mine) {
      std::string text = fmt::format("{} answers {}", agent, id);
      INFO(text);
      CHECK(delivered[text] == 1);
      CHECK(stored_out[text] == 1);
      auto actions = home.json({"history", std::to_string(id)});
      int claims = 0, replies = 0, releases = 0;
      for (const auto& e : actions) {
        claims += e.at("action") == "claimed";
        replies += e.at("action") == "replied";
        releases += e.at("action") == "released";
      }
      CHECK(claims == 1);
      CHECK(replies == 1);
      CHECK(releases == 1);
    }
  CHECK(home.query_int("SELECT count(*) FROM outbox WHERE status = 'sent'") == static_cast<std::int64_t>(conversations.size()));
}

}  // namespace reliability_test_concurrency
