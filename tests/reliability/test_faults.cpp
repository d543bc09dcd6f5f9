// Fault suite: one sandbox with every fault at once (rate limits, 5xx, latency, truncated bodies,
// connections reset after a send, WeChat tokens that expire), beyond tests/e2e/test_faults_sandbox.cpp
// (which takes them one group at a time and only pulls): new messages arrive between pulls and the pulls
// still converge to exactly the sandbox's set; replies and sends on every platform end sent, failed
// (retried until sent) or unknown (reported: exit 5, `outbox list --status unknown`, and refused by
// `outbox retry` without --force), and nothing reaches the sandbox twice.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "harness.hpp"

namespace reliability_test_faults {

using namespace svc::test;
using namespace svc::test::reliability;
using nlohmann::json;

namespace {

const char* const k_all_faults =
  "rate_limit=0.1,server_error=0.1,truncate=0.08,latency=3ms,reset_after_send=0.3,expire_token_after=4";

std::int64_t
conversation_of_text(const SvcHome& home, const std::string& text)
{
  for (const auto& m : home.stored())
    if (m.text == text)
      return m.conversation_id;
  FAIL("no stored message " << text);
  return 0;
}

// What reply and outbox retry say when the connection broke after the request went out: that the
// platform may have it, and how to resend on purpose.
bool
reports_unknown(const Outcome& o)
{
  return o.code == 5 && o.err.find("may have received it") != std::string::npos
         && o.err.find("--force") != std::string::npos;
}

} // namespace

TEST_CASE("faults::every fault at once: pulls converge to the exact message set while messages arrive",
          "[reliability][faults][pull]")
{
  SandboxProcess sandbox({.seed = 1201, .world_size = 80, .faults = k_all_faults});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  std::string follower;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      follower = m.at("from");
  std::set<int> codes;
  for (int round = 0; round < 8; ++round) {
    sandbox.inject("telegram", "dm", fmt::format("faults-tg-{}", round % 3), fmt::format("faults tg {}", round));
    sandbox.inject("weibo", "mention", fmt::format("faults-wb-{}", round % 3), fmt::format("faults wb {}", round));
    sandbox.inject("wechat", "dm", follower, fmt::format("faults wx {}", round));
    auto o = home.run({"--format", "json", "pull", "--limit", "7"});
    INFO(describe(o));
    codes.insert(o.code);
    CHECK((o.code == 0 || o.code == 5 || o.code == 8)); // never 1: every fault is understood
    if (o.code != 0) // one line per failing account, each naming it
      CHECK(o.err.find("svc: error:") != std::string::npos);
  }
  INFO("exit codes seen: " << Catch::Detail::stringify(codes));
  CHECK(codes.size() > 1); // the faults did hit
  REQUIRE(pull_until_quiet(home, 30) <= 30);
  require_db_check(home);
  auto expected = pullable_keys(sandbox.messages());
  auto got = inbound_keys(home.stored());
  CHECK(std::set<std::string>(got.begin(), got.end()).size() == got.size());
  CHECK(got == expected);
}

TEST_CASE("faults::every fault at once: replies are sent once, unknown outcomes reported and not resent",
          "[reliability][faults][reply]")
{
  SandboxProcess sandbox({.seed = 1202, .world_size = 40, .faults = k_all_faults});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  // Fresh messages on every platform (WeChat replies need its 48 h window open), pulled through the faults.
  std::string follower;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      follower = m.at("from");
  std::vector<std::string> asked;
  for (int i = 0; i < 5; ++i) {
    asked.push_back(fmt::format("faults question tg {}", i));
    sandbox.inject("telegram", "dm", fmt::format("faults-reply-{}", i), asked.back());
    asked.push_back(fmt::format("faults question wb {}", i));
    sandbox.inject("weibo", "comment", fmt::format("faults-reply-{}", i), asked.back());
  }
  asked.push_back("faults question wx");
  sandbox.inject("wechat", "dm", follower, asked.back());
  REQUIRE(pull_until_quiet(home, 30) <= 30);

  std::map<std::string, std::string> reported; // text -> what `reply` said
  int unknown_reported = 0;
  for (std::size_t i = 0; i < asked.size(); ++i) {
    std::string text = fmt::format("faults answer {}", i);
    auto o = home.run({"--as", "alice", "reply", std::to_string(conversation_of_text(home, asked[i])), "--text", text});
    INFO(describe(o));
    CHECK((o.code == 0 || o.code == 4 || o.code == 5)); // sent, or the token expired, or a temporary failure
    if (o.code != 0) {
      CHECK(o.err.rfind("svc: error:", 0) == 0);
      if (reports_unknown(o))
        ++unknown_reported;
    }
  }
  // Retry what failed (never reached the platform) until it is sent or its outcome is unknown.
  for (int pass = 0; pass < 20; ++pass) {
    auto failed = home.json({"outbox", "list", "--status", "failed"});
    if (failed.empty())
      break;
    for (const auto& row : failed)
      if (reports_unknown(home.run({"outbox", "retry", std::to_string(row.at("id").get<std::int64_t>())})))
        ++unknown_reported;
  }
  auto unknown = home.json({"outbox", "list", "--status", "unknown"});
  // Every unknown outcome was reported to the user when it happened, none more.
  CHECK(static_cast<int>(unknown.size()) == unknown_reported);
  CHECK(home.json({"outbox", "list", "--status", "failed"}).empty());
  CHECK(home.json({"outbox", "list", "--status", "pending"}).empty());
  CHECK(home.json({"outbox", "list", "--status", "sending"}).empty());
  // Unknown outcomes stay reported: `outbox retry` refuses them (exit 6) and sends nothing.
  auto before = sent_texts(sandbox);
  for (const auto& row : unknown) {
    auto o = home.run({"outbox", "retry", std::to_string(row.at("id").get<std::int64_t>())});
    INFO(describe(o));
    CHECK(o.code == 6);
    CHECK(o.err.find("may already have been delivered") != std::string::npos);
  }
  CHECK(sent_texts(sandbox) == before);

  require_db_check(home);
  for (const auto& row : home.json({"outbox", "list"})) {
    std::string text = row.at("text");
    INFO(row.dump());
    int n = before.count(text) ? before.at(text) : 0;
    if (row.at("status") == "sent")
      CHECK(n == 1);
    else
      CHECK((row.at("status") == "unknown" && n <= 1));
  }
  for (const auto& [text, n] : before) {
    INFO(text);
    CHECK(n == 1);
  }
  // Another pull through the faults stores no reply a second time.
  REQUIRE(pull_until_quiet(home, 30) <= 30);
  std::map<std::string, int> stored_out;
  for (const auto& m : home.stored())
    if (m.direction == "out")
      ++stored_out[m.text];
  for (const auto& [text, n] : stored_out) {
    INFO(text);
    CHECK(n == 1);
  }
}

TEST_CASE("faults::every fault at once: a send reruns to completion and reaches no one twice",
          "[reliability][faults][send]")
{
  SandboxProcess sandbox({.seed = 1203, .world_size = 40, .faults = k_all_faults});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  for (int i = 0; i < 8; ++i)
    sandbox.inject("telegram", "dm", fmt::format("faults-send-{}", i), fmt::format("faults send hello {}", i));
  REQUIRE(pull_until_quiet(home, 30) <= 30);
  for (int i = 0; i < 8; ++i) {
    auto conversation = conversation_of_text(home, fmt::format("faults send hello {}", i));
    auto contact = home.query_int(fmt::format("SELECT contact_id FROM conversations WHERE id = {}", conversation));
    REQUIRE(home.run({"tag", "add", std::to_string(contact), "faults"}).code == 0);
  }
  const std::string text = "faults: the campaign";
  const std::vector<std::string> args = {"--format", "json", "--as", "alice", "send", "--tag", "faults",
                                         "--account", "tg", "--text", text};
  bool done = false;
  for (int run = 0; run < 20 && !done; ++run) {
    auto o = home.run(args);
    INFO(describe(o));
    CHECK((o.code == 0 || o.code == 4 || o.code == 5 || o.code == 8));
    if (o.code != 0)
      continue;
    done = true;
    auto rows = json::parse(o.out);
    CHECK(rows.size() == 8);
    for (const auto& r : rows)
      if (r.at("status") != "sent") {
        INFO(r.dump());
        CHECK(r.at("status") == "skipped");
      }
  }
  REQUIRE(done);
  std::map<std::string, int> per_chat;
  for (const auto& s : sandbox.sent())
    if (s.at("text") == text)
      ++per_chat[s.at("to")];
  for (const auto& [to, n] : per_chat) {
    INFO(to);
    CHECK(n == 1);
  }
  auto unknown = home.query_int("SELECT count(*) FROM outbox WHERE status = 'unknown'");
  auto sent = home.query_int("SELECT count(*) FROM outbox WHERE status = 'sent'");
  CHECK(sent + unknown == 8);
  CHECK(static_cast<std::int64_t>(per_chat.size()) >= sent);
  require_db_check(home);
}

}  // namespace reliability_test_faults
