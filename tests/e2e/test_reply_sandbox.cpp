// The real svc binary replying through a real `svc sandbox serve` process: one reply per platform and
// channel reaches the sandbox exactly once and is recorded as sent, --dry-run records and sends nothing
// and prints no secret, and a send whose outcome is unknown is never repeated without --force.
#include <catch2/catch.hpp>

#include <set>

#include "support/sandbox_process.hpp"

namespace e2e_test_reply_sandbox {

using namespace svc::test;
using nlohmann::json;

namespace {

// The first conversation of ACCOUNT on CHANNEL in the inbox (oldest waiting first).
json
conversation_of(const SvcHome& home, const std::string& account, const std::string& channel)
{
  auto list = home.json({"inbox", "--status", "all", "--account", account, "--channel", channel, "--limit", "100000"});
  INFO(account << " " << channel);
  REQUIRE_FALSE(list.empty());
  return list[0];
}

json
conversation_by_id(const SvcHome& home, std::int64_t id)
{
  for (const auto& c : home.json({"inbox", "--status", "all", "--limit", "100000"}))
    if (c.at("id") == id)
      return c;
  FAIL("conversation " << id << " is not in the inbox");
  return {};
}

std::size_t
sent_with_text(const SandboxProcess& sandbox, const std::string& text)
{
  std::size_t n = 0;
  for (const auto& s : sandbox.sent())
    if (s.at("text") == text)
      ++n;
  return n;
}

json
outbox_for_text(const SvcHome& home, const std::string& text)
{
  json found;
  for (const auto& o : home.json({"outbox", "list"}))
    if (o.at("text") == text) {
      REQUIRE(found.is_null()); // one outbox row per reply
      found = o;
    }
  INFO(text);
  REQUIRE_FALSE(found.is_null());
  return found;
}

std::vector<std::string>
secrets_of(const SvcHome& home)
{
  const auto& env = home.env();
  return {env.at("WB_TOKEN"), env.at("TG_TOKEN"), env.at("WX_SECRET")};
}

void
check_no_secret(const Outcome& o, const std::vector<std::string>& secrets)
{
  for (const auto& s : secrets) {
    INFO(describe(o));
    CHECK(o.out.find(s) == std::string::npos);
    CHECK(o.err.find(s) == std::string::npos);
  }
}

// The WeChat customer of the newest inbound WeChat message (fresh after an inject: the 48 h window is open).
std::int64_t
conversation_of_key(const SvcHome& home, const std::string& key)
{
  for (const auto& m : home.stored())
    if (stored_key(m) == key)
      return m.conversation_id;
  FAIL("no stored message " << key);
  return 0;
}

} // namespace

TEST_CASE("e2e::reply on every platform reaches the sandbox once and is recorded", "[e2e][reply]")
{
  SandboxProcess sandbox({.seed = 201, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  // A fresh WeChat message first, so its customer's 48 h window is open.
  std::string wx_from;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "wechat")
      wx_from = m.at("from");
  REQUIRE_FALSE(wx_from.empty());
  auto wx_injected = sandbox.inject("wechat", "dm", wx_from, "e2e: 我的订单呢？");
  auto first = home.run({"pull"});
  INFO(describe(first));
  REQUIRE(first.code == 0);

  struct Target {
    std::string platform;
    std::int64_t conversation;
    std::string text;
  };
  std::vector<Target> targets = {
    {"telegram", conversation_of(home, "tg", "dm").at("id"), "e2e reply to telegram dm ✓"},
    {"weibo", conversation_of(home, "wb", "comment").at("id"), "e2e reply to a weibo comment ✓"},
    {"weibo", conversation_of(home, "wb", "mention").at("id"), "e2e reply to a weibo mention ✓"},
    {"wechat", conversation_of_key(home, sandbox_key(wx_injected)), "e2e reply to wechat 您好"},
  };
  for (const auto& t : targets) {
    INFO(t.platform << " conversation " << t.conversation);
    auto before = sandbox.sent();
    auto o = home.run({"--format", "json", "--as", "alice", "reply", std::to_string(t.conversation), "--text", t.text});
    INFO(describe(o));
    REQUIRE(o.code == 0);
    auto reported = json::parse(o.out);
    CHECK(reported.at("status") == "sent");
    CHECK(reported.at("text") == t.text);

    auto after = sandbox.sent();
    REQUIRE(after.size() == before.size() + 1);
    CHECK(after.back().at("platform") == t.platform);
    CHECK(after.back().at("text") == t.text);
    CHECK(after.back().at("fault").is_null());

    auto row = outbox_for_text(home, t.text);
    CHECK(row.at("status") == "sent");
    CHECK(row.at("conversation_id") == t.conversation);
    CHECK(row.at("attempts") == 1);
    CHECK(row.at("agent") == "alice");

    auto show = home.json({"show", std::to_string(t.conversation)});
    int outbound = 0;
    for (const auto& m : show.at("messages"))
      if (m.at("direction") == "out" && m.at("text") == t.text)
        ++outbound;
    CHECK(outbound == 1);
    CHECK(conversation_by_id(home, t.conversation).at("waiting_since").is_null());
  }

  SECTION("pulling afterwards does not store a reply a second time")
  {
    auto o = home.run({"pull"});
    INFO(describe(o));
    REQUIRE(o.code == 0);
    for (const auto& t : targets) {
      INFO(t.platform << ": " << t.text);
      int copies = 0;
      for (const auto& m : home.stored())
        if (m.text == t.text)
          ++copies;
      CHECK(copies == 1);
      CHECK(conversation_by_id(home, t.conversation).at("waiting_since").is_null());
    }
  }
}

TEST_CASE("e2e::reply --dry-run records and sends nothing and prints no secret", "[e2e][reply]")
{
  SandboxProcess sandbox({.seed = 202, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  auto pulled = home.run({"pull"});
  REQUIRE(pulled.code == 0);
  auto secrets = secrets_of(home);
  auto sent_before = sandbox.sent().size();

  for (const char* account : {"tg", "wb", "wx"}) {
    auto conv = conversation_of(home, account, account == std::string("wb") ? "comment" : "dm");
    std::string id = std::to_string(conv.at("id").get<std::int64_t>());
    std::string text = std::string("dry-run-text-for-") + account; // survives form encoding as it is
    for (bool verbose : {false, true}) {
      std::vector<std::string> args = {"reply", id, "--text", text, "--dry-run"};
      if (verbose)
        args.insert(args.begin(), "-vv");
      auto o = home.run(args);
      INFO(account << (verbose ? " -vv" : "") << "\n" << describe(o));
      CHECK(o.code == 0);
      CHECK((o.out.find("POST ") != std::string::npos || o.out.find("GET ") != std::string::npos));
      CHECK(o.out.find(sandbox.url()) != std::string::npos);
      check_no_secret(o, secrets);
      if (std::string(account) != "wx") // WeChat first asks for an access token: the send is not reached
        CHECK(o.out.find(text) != std::string::npos);
    }
  }
  CHECK(home.json({"outbox", "list"}) == json::array());
  CHECK(sandbox.sent().size() == sent_before);

  SECTION("and -vv on real requests prints no secret either")
  {
    auto o = home.run({"-vv", "pull"});
    CHECK(o.code == 0);
    check_no_secret(o, secrets);
    auto conv = conversation_of(home, "tg", "dm");
    auto r = home.run({"-vv", "reply", std::to_string(conv.at("id").get<std::int64_t>()), "--text", "verbose reply"});
    CHECK(r.code == 0);
    check_no_secret(r, secrets);
    CHECK(r.err.find("sendMessage") != std::string::npos); // -vv did log the request
    auto check = home.run({"-vv", "account", "check", "--all"});
    CHECK(check.code == 0);
    check_no_secret(check, secrets);
  }
}

TEST_CASE("e2e::a send whose outcome is unknown is never repeated without --force", "[e2e][reply][faults]")
{
  SandboxProcess sandbox({.seed = 203, .world_size = 60, .faults = "reset_after_send=1"});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());
  auto pulled = home.run({"pull"}); // reads are never reset
  INFO(describe(pulled));
  REQUIRE(pulled.code == 0);
  auto conv = conversation_of(home, "tg", "dm");
  std::string id = std::to_string(conv.at("id").get<std::int64_t>());
  const std::string text = "e2e: the connection breaks after this";

  auto o = home.run({"reply", id, "--text", text});
  INFO(describe(o));
  CHECK(o.code == 5);
  CHECK((o.err.find("unknown") != std::string::npos || o.err.find("may have") != std::string::npos));
  CHECK(o.err.find("--force") != std::string::npos);
  CHECK(sent_with_text(sandbox, text) == 1);
  auto row = outbox_for_text(home, text);
  CHECK(row.at("status") == "unknown");
  std::string outbox_id = std::to_string(row.at("id").get<std::int64_t>());

  auto retry = home.run({"outbox", "retry", outbox_id});
  INFO(describe(retry));
  CHECK(retry.code == 6);
  CHECK(sent_with_text(sandbox, text) == 1);
  CHECK(outbox_for_text(home, text).at("status") == "unknown");

  auto forced = home.run({"outbox", "retry", outbox_id, "--force"});
  INFO(describe(forced));
  CHECK(forced.code == 5); // the sandbox resets every send
  CHECK(sent_with_text(sandbox, text) == 2);
  CHECK(outbox_for_text(home, text).at("status") == "unknown");
  CHECK(outbox_for_text(home, text).at("attempts") == 2);
}

TEST_CASE("e2e::a platform 5xx to a send is not re-sent automatically", "[e2e][reply][faults]")
{
  // Two sandboxes with one seed hold the same world and credentials; the account is pulled from the
  // healthy one and then pointed at the failing one.
  SandboxProcess healthy({.seed = 204, .world_size = 60, .faults = ""});
  SandboxProcess failing({.seed = 204, .world_size = 60, .faults = "server_error=1"});
  REQUIRE(healthy.credentials().at("accounts") == failing.credentials().at("accounts"));
  SvcHome home(healthy);
  home.bind_all(healthy.url());
  REQUIRE(home.run({"pull"}).code == 0);
  home.exec_sql("UPDATE accounts SET base_url = '" + failing.url() + "'");

  for (const char* account : {"tg", "wb"}) {
    auto conv = conversation_of(home, account, account == std::string("wb") ? "comment" : "dm");
    std::string text = std::string("e2e: the platform fails this one, ") + account;
    auto o = home.run({"reply", std::to_string(conv.at("id").get<std::int64_t>()), "--text", text});
    INFO(account << "\n" << describe(o));
    CHECK(o.code == 5);
    auto row = outbox_for_text(home, text);
    CHECK((row.at("status") == "unknown" || row.at("status") == "failed"));
    CHECK(row.at("attempts") == 1);
    // server_error answers before the handler runs: nothing reached either sent log.
    CHECK(sent_with_text(failing, text) == 0);
    CHECK(sent_with_text(healthy, text) == 0);
    // Whatever the status, a retry without --force sends at most once more, and only when failed.
    auto retry = home.run({"outbox", "retry", std::to_string(row.at("id").get<std::int64_t>())});
    INFO(describe(retry));
    if (row.at("status") == "unknown")
      CHECK(retry.code == 6);
    else
      CHECK(retry.code == 5);
  }
}

}  // namespace e2e_test_reply_sandbox
