// The real svc binary against a real `svc sandbox serve` that misbehaves: rate limits, 5xx, truncated
// bodies and latency (repeated pulls converge on exactly the sandbox's messages), WeChat access tokens
// that expire (refreshed), and refused tokens (exit 4, or 8 with the failing account named).
#include <catch2/catch.hpp>

#include <set>

#include "support/sandbox_process.hpp"

namespace e2e_test_faults_sandbox {

using namespace svc::test;
using nlohmann::json;

namespace {

std::multiset<std::string>
pullable_keys(const json& messages)
{
  std::multiset<std::string> keys;
  for (const auto& m : messages)
    if (!(m.at("platform") == "weibo" && m.at("channel") == "dm"))
      keys.insert(sandbox_key(m));
  return keys;
}

std::multiset<std::string>
inbound_keys(const std::vector<StoredMessage>& stored, const std::string& account = "")
{
  std::multiset<std::string> keys;
  for (const auto& m : stored)
    if (m.direction == "in" && (account.empty() || m.account == account))
      keys.insert(stored_key(m));
  return keys;
}

int
total_new(const std::string& out)
{
  int n = 0;
  for (const auto& r : json::parse(out))
    n += r.at("new").get<int>();
  return n;
}

// Pulls until a run succeeds and brings nothing new (at most `rounds` runs); every exit code on the way
// must be one a cron job understands. Returns the number of runs.
int
pull_until_quiet(const SvcHome& home, int rounds, std::set<int>& codes)
{
  for (int i = 1; i <= rounds; ++i) {
    auto o = home.run({"--format", "json", "pull"});
    codes.insert(o.code);
    INFO("run " << i << ": " << describe(o));
    CHECK((o.code == 0 || o.code == 5 || o.code == 8));
    if (o.code == 0 && total_new(o.out) == 0)
      return i;
  }
  return rounds + 1;
}

} // namespace

TEST_CASE("e2e::pull through rate limits, 5xx, truncation and latency converges without loss or duplicate",
          "[e2e][pull][faults]")
{
  SandboxProcess sandbox({.seed = 301, .world_size = 60,
                          .faults = "rate_limit=0.1,server_error=0.1,truncate=0.05,latency=5ms"});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  std::set<int> codes;
  int runs = pull_until_quiet(home, 30, codes);
  INFO("exit codes seen: " << Catch::Detail::stringify(codes));
  REQUIRE(runs <= 30);
  auto expected = pullable_keys(sandbox.messages());
  auto got = inbound_keys(home.stored());
  CHECK(std::set<std::string>(got.begin(), got.end()).size() == got.size());
  CHECK(got.size() == expected.size());
  CHECK(got == expected);
}

TEST_CASE("e2e::WeChat access tokens that expire are refreshed", "[e2e][pull][faults]")
{
  SandboxProcess sandbox({.seed = 302, .world_size = 60, .faults = "expire_token_after=3"});
  SvcHome home(sandbox);
  home.bind("wechat", "wx", sandbox.url());
  std::set<int> codes;
  int runs = pull_until_quiet(home, 10, codes);
  INFO("exit codes seen: " << Catch::Detail::stringify(codes));
  REQUIRE(runs <= 10);
  std::multiset<std::string> expected;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      expected.insert(sandbox_key(m));
  REQUIRE_FALSE(expected.empty());
  CHECK(inbound_keys(home.stored()) == expected);
  // A token used past its 3 calls is refused and fetched again, so several calls in a row work.
  for (int i = 0; i < 4; ++i) {
    auto check = home.run({"--format", "json", "account", "check", "wx"});
    INFO(describe(check));
    CHECK(check.code == 0);
  }
  // And a message that arrives now is pulled with a refreshed token.
  std::string from;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      from = m.at("from");
  auto injected = sandbox.inject("wechat", "dm", from, "e2e: after the token expired");
  auto o = home.run({"--format", "json", "pull"});
  INFO(describe(o));
  CHECK(o.code == 0);
  auto got = inbound_keys(home.stored());
  CHECK(got.count(sandbox_key(injected)) == 1);
}

TEST_CASE("e2e::a refused token: exit 4 alone, exit 8 beside a good account", "[e2e][auth]")
{
  SandboxProcess sandbox({.seed = 303, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.env()["BAD_TOKEN"] = "123456:not-the-sandbox-token";
  auto bind = home.run({"account", "bind", "telegram", "badbot", "--token-env", "BAD_TOKEN", "--base-url", sandbox.url()});
  REQUIRE(bind.code == 0);

  auto check = home.run({"account", "check", "badbot"});
  INFO(describe(check));
  CHECK(check.code == 4);
  CHECK(check.err.find("badbot") != std::string::npos);
  auto pull = home.run({"pull"});
  INFO(describe(pull));
  CHECK(pull.code == 4);
  CHECK(home.stored().empty());

  SECTION("beside a good account: partial, the good account's messages stored, the bad one named")
  {
    home.bind("weibo", "wb", sandbox.url());
    auto o = home.run({"--format", "json", "pull"});
    INFO(describe(o));
    CHECK(o.code == 8);
    CHECK(o.err.find("badbot") != std::string::npos);
    CHECK(o.err.find("error: wb") == std::string::npos); // only the failing account is named as failing
    std::multiset<std::string> expected;
    for (const auto& m : sandbox.messages())
      if (m.at("platform") == "weibo" && m.at("channel") != "dm")
        expected.insert(sandbox_key(m));
    CHECK(inbound_keys(home.stored(), "wb") == expected);
    CHECK(inbound_keys(home.stored(), "badbot").empty());
    // The rows printed are the good account's.
    auto rows = json::parse(o.out);
    REQUIRE_FALSE(rows.empty());
    for (const auto& r : rows)
      CHECK(r.at("account") == "wb");
    auto all = home.run({"account", "check", "--all"});
    INFO(describe(all));
    CHECK(all.code == 8);
  }
}

}  // namespace e2e_test_faults_sandbox
