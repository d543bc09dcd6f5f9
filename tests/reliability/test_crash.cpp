// Crash suite: svc killed with SIGKILL at seeded random moments (the delays scale with how long an
// uninterrupted run takes, so the kills land mid-way on a slow sanitizer build as on a fast one) while it
// pulls, replies, flushes the outbox, sends and exports, over a hundred times in all; then svc is run to
// the end normally and the state file must pass `svc db check`, hold every sandbox message exactly once,
// and no message may have reached the sandbox twice. The sandbox's added latency keeps each run long
// enough to be killed in the middle of its HTTP requests and transactions.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "harness.hpp"

namespace reliability_test_crash {

using namespace svc::test;
using namespace svc::test::reliability;
using nlohmann::json;

namespace {

// The newest WeChat follower's name in the sandbox (injected WeChat messages must come from one).
std::string
wechat_follower(const SandboxProcess& sandbox)
{
  std::string from;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      from = m.at("from");
  REQUIRE_FALSE(from.empty());
  return from;
}

bool
command_exists(const SvcHome& home, const std::vector<std::string>& help_args, const std::string& needle)
{
  auto o = home.run(help_args);
  return o.code == 0 && o.out.find(needle) != std::string::npos;
}

} // namespace

TEST_CASE("crash::pull killed at random points loses nothing and stores nothing twice", "[reliability][crash][pull]")
{
  std::mt19937_64 rng(suite_seed(1));
  SandboxProcess sandbox({.seed = 1101, .world_size = 60, .faults = "latency=8ms"});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  std::string follower = wechat_follower(sandbox);
  // Pages of one message make a pull many requests and many transactions: many places to die.
  const std::vector<std::string> pull = {"pull", "--limit", "1"};
  auto inject_round = [&](const SandboxProcess& into, int round) {
    into.inject("telegram", "dm", fmt::format("crash-tg-{}", round % 7), fmt::format("tg message {}", round));
    into.inject("weibo", "comment", fmt::format("crash-wb-{}", round % 5), fmt::format("wb comment {}", round));
    into.inject("wechat", "dm", follower, fmt::format("wx message {}", round));
  };
  // The scale of the delays: an uninterrupted pull of one round's new messages, measured on a copy of
  // the world (the first kills land in the pull of the whole world, which takes longer).
  std::chrono::milliseconds scale;
  {
    SandboxProcess probe_sandbox({.seed = 1101, .world_size = 60, .faults = "latency=8ms"});
    SvcHome probe(probe_sandbox);
    probe.bind_all(probe_sandbox.url());
    timed_run(probe, {"pull"});
    inject_round(probe_sandbox, 0);
    scale = timed_run(probe, pull);
  }
  int landed = 0;
  const int rounds = 50;
  for (int round = 0; round < rounds; ++round) {
    if (round % 2 == 0)
      inject_round(sandbox, round);
    if (run_and_kill(pull, home.env(), random_delay(rng, scale)))
      ++landed;
  }
  INFO("kills that landed mid-run: " << landed << " of " << rounds << " (scale " << scale.count() << " ms)");
  CHECK(landed >= rounds / 4);

  require_db_check(home);
  REQUIRE(pull_until_quiet(home, 5) <= 5);
  require_db_check(home);
  auto expected = pullable_keys(sandbox.messages());
  auto got = inbound_keys(home.stored());
  CHECK(std::set<std::string>(got.begin(), got.end()).size() == got.size()); // nothing twice
  CHECK(got.size() == expected.size());
  CHECK(got == expected);
}

TEST_CASE("crash::reply and outbox retry killed at random points never deliver twice", "[reliability][crash][reply]")
{
  std::mt19937_64 rng(suite_seed(2));
  SandboxProcess sandbox({.seed = 1102, .world_size = 60, .faults = "latency=25ms"});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto conversations = telegram_customers(sandbox, home, "crash-reply", 12);
  auto reply_args = [&](std::size_t i, const std::string& text) {
    return std::vector<std::string>{"--as", "alice", "reply", std::to_string(conversations[i % conversations.size()]),
                                    "--text", text};
  };
  auto scale = timed_run(home, reply_args(0, "crash reply: the scale"));
  int landed = 0;
  const int replies = 40;
  for (int i = 0; i < replies; ++i)
    if (run_and_kill(reply_args(i, fmt::format("crash reply {}", i)), home.env(), random_delay(rng, scale)))
      ++landed;
  // The outbox flush: every reply still pending or failed is retried, killed again at random.
  auto retryable = [&] {
    std::vector<std::int64_t> ids;
    for (const char* status : {"pending", "failed"})
      for (const auto& row : home.json({"outbox", "list", "--status", status}))
        ids.push_back(row.at("id"));
    return ids;
  };
  int retry_kills = 0;
  for (int pass = 0; pass < 2; ++pass)
    for (auto id : retryable())
      if (run_and_kill({"outbox", "retry", std::to_string(id)}, home.env(), random_delay(rng, scale))) {
        ++landed;
        ++retry_kills;
      }
  INFO("kills that landed mid-run: " << landed << " (" << retry_kills << " of them in outbox retry; scale "
                                     << scale.count() << " ms)");
  CHECK(landed >= replies / 4);
  // Finish normally: whatever can safely be sent is sent.
  for (auto id : retryable()) {
    auto o = home.run({"outbox", "retry", std::to_string(id)});
    INFO(describe(o));
    CHECK(o.code == 0);
  }
  CHECK(retryable().empty());

  require_db_check(home);
  const auto delivered = sent_texts(sandbox);
  auto times_delivered = [&](const std::string& text) {
    auto it = delivered.find(text);
    return it == delivered.end() ? 0 : it->second;
  };
  auto outbox = home.json({"outbox", "list"});
  std::map<std::string, int> rows_per_text;
  for (const auto& row : outbox) {
    std::string text = row.at("text");
    std::string status = row.at("status");
    ++rows_per_text[text];
    INFO("outbox #" << row.at("id") << " " << status << ": " << text);
    if (status == "sent")
      CHECK(times_delivered(text) == 1);
    else // killed after it was marked as being sent: the outcome is unknown, and it was not sent again
      CHECK(((status == "sending" || status == "unknown") && times_delivered(text) <= 1));
  }
  for (const auto& [text, n] : delivered) {
    INFO(text);
    CHECK(n == 1);                          // nothing delivered twice
    CHECK(rows_per_text.count(text) == 1);  // and nothing delivered that the outbox does not know
  }
  for (const auto& [text, n] : rows_per_text) {
    INFO(text);
    CHECK(n == 1); // a reply killed and not retried is not recorded twice either
  }
  // Each delivered reply is stored once as an outbound message.
  std::map<std::string, int> stored_out;
  for (const auto& m : home.stored())
    if (m.direction == "out")
      ++stored_out[m.text];
  for (const auto& row : outbox)
    if (row.at("status") == "sent") {
      INFO(row.at("text"));
      CHECK(stored_out[row.at("text")] == 1);
    }
}

TEST_CASE("crash::send killed at random points reaches each contact at most once, and everyone when finished",
          "[reliability][crash][send]")
{
  std::mt19937_64 rng(suite_seed(3));
  SandboxProcess sandbox({.seed = 1103, .world_size = 60, .faults = "latency=15ms"});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  auto conversations = telegram_customers(sandbox, home, "crash-send", 6);
  std::vector<std::int64_t> contacts;
  for (auto conversation : conversations) {
    auto id = home.query_int(fmt::format("SELECT contact_id FROM conversations WHERE id = {}", conversation));
    contacts.push_back(id);
    auto o = home.run({"tag", "add", std::to_string(id), "promo"});
    INFO(describe(o));
    REQUIRE(o.code == 0);
  }
  auto send_args = [](const std::string& text) {
    return std::vector<std::string>{"--format", "json", "--as", "alice", "send", "--tag", "promo",
                                    "--account", "tg", "--text", text};
  };
  auto scale = timed_run(home, send_args("crash send: the scale"));
  int landed = 0;
  const int campaigns = 10, kills_each = 3;
  for (int c = 0; c < campaigns; ++c) {
    std::string text = fmt::format("crash send campaign {}", c);
    // Each rerun has less left to send (the contacts already sent to are skipped): shorter delays.
    for (int k = 0; k < kills_each; ++k)
      if (run_and_kill(send_args(text), home.env(), random_delay(rng, scale / (k + 1))))
        ++landed;
    // Then to the end: every contact is sent to, or skipped as already sent or of unknown outcome.
    auto o = home.run(send_args(text));
    INFO(text << "\n" << describe(o));
    REQUIRE(o.code == 0);
    auto rows = json::parse(o.out);
    CHECK(rows.size() == contacts.size());
    for (const auto& r : rows) {
      std::string status = r.at("status");
      bool fine = status == "sent"
                  || (status == "skipped"
                      && (r.at("reason").get<std::string>().find("already sent") != std::string::npos
                          || r.at("reason").get<std::string>().find("outcome unknown") != std::string::npos));
      INFO(r.dump());
      CHECK(fine);
    }
  }
  INFO("kills that landed mid-run: " << landed << " of " << campaigns * kills_each << " (scale " << scale.count()
                                     << " ms)");
  CHECK(landed >= campaigns * kills_each / 4);

  require_db_check(home);
  std::map<std::pair<std::string, std::string>, int> per_recipient; // (text, chat) -> deliveries
  for (const auto& s : sandbox.sent())
    ++per_recipient[{s.at("text").get<std::string>(), s.at("to").get<std::string>()}];
  for (const auto& [key, n] : per_recipient) {
    INFO(key.first << " to " << key.second);
    CHECK(n == 1);
  }
  auto outbox = home.json({"outbox", "list"});
  std::map<std::string, int> sent_rows, rows;
  for (const auto& row : outbox) {
    ++rows[row.at("text")];
    if (row.at("status") == "sent")
      ++sent_rows[row.at("text")];
    else
      CHECK((row.at("status") == "sending" || row.at("status") == "unknown"));
  }
  auto delivered = sent_texts(sandbox);
  for (int c = 0; c < campaigns; ++c) {
    std::string text = fmt::format("crash send campaign {}", c);
    INFO(text);
    CHECK(rows[text] == static_cast<int>(contacts.size())); // one outbox row per contact, never two
    CHECK(delivered[text] >= sent_rows[text]);              // every row marked sent was delivered
    CHECK(delivered[text] <= rows[text]);
  }
}

TEST_CASE("crash::export killed at random points leaves no partial file", "[reliability][crash][export]")
{
  std::mt19937_64 rng(suite_seed(4));
  SandboxProcess sandbox({.seed = 1104, .world_size = 400, .faults = ""});
  SvcHome home(sandbox);
  if (!command_exists(home, {"export", "--help"}, "--output")) {
    WARN("svc export -o is not built yet: the export crash test is skipped");
    return;
  }
  home.bind_all(sandbox.url());
  REQUIRE(pull_until_quiet(home, 3) <= 3);
  TempDir out_dir;
  auto file = out_dir / "history.jsonl";
  const std::vector<std::string> export_args = {"export", "--format", "jsonl", "-o", file.string()};
  auto scale = timed_run(home, export_args);
  auto complete = read_file(file);
  REQUIRE_FALSE(complete.empty());
  std::filesystem::remove(file);
  int landed = 0;
  const int kills = 20;
  for (int i = 0; i < kills; ++i) {
    bool killed = run_and_kill(export_args, home.env(), random_delay(rng, scale));
    landed += killed ? 1 : 0;
    // Either the whole file or none: never a prefix.
    if (std::filesystem::exists(file)) {
      INFO("after kill " << i);
      CHECK(read_file(file) == complete);
      std::filesystem::remove(file);
    }
    // Temporary files beside it (killed before the rename) are counted, not failed: see the next test.
    for (const auto& entry : std::filesystem::directory_iterator(out_dir.path()))
      std::filesystem::remove(entry.path());
  }
  INFO("kills that landed mid-run: " << landed << " of " << kills);
  CHECK(landed >= 1);
  timed_run(home, export_args);
  CHECK(read_file(file) == complete);
  require_db_check(home);
}

// A killed export cannot remove its own temporary file; the contract is that nothing partial stays
// behind once svc runs again: the next export removes the temporaries of writers that are gone.
TEST_CASE("crash::export leaves no temporary file behind once run again", "[reliability][crash][export]")
{
  std::mt19937_64 rng(suite_seed(5));
  SandboxProcess sandbox({.seed = 1105, .world_size = 400, .faults = ""});
  SvcHome home(sandbox);
  if (!command_exists(home, {"export", "--help"}, "--output")) {
    WARN("svc export -o is not built yet: skipped");
    return;
  }
  home.bind_all(sandbox.url());
  REQUIRE(pull_until_quiet(home, 3) <= 3);
  TempDir out_dir;
  auto file = out_dir / "history.jsonl";
  const std::vector<std::string> export_args = {"export", "--format", "jsonl", "-o", file.string()};
  auto scale = timed_run(home, export_args);
  int landed = 0;
  for (int i = 0; i < 10; ++i)
    landed += run_and_kill(export_args, home.env(), random_delay(rng, scale)) ? 1 : 0;
  timed_run(home, export_args);
  INFO("kills that landed mid-run: " << landed);
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir.path()))
    names.push_back(entry.path().filename().string());
  CHECK(names == std::vector<std::string>{"history.jsonl"});
}

}  // namespace reliability_test_crash
