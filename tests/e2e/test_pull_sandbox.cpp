// The real svc binary pulling from a real `svc sandbox serve` process over loopback into a real state
// file: everything the sandbox lists arrives exactly once, a second pull brings nothing, injected
// messages arrive on their stream and reopen their conversation, and --account/--channel narrow a pull.
#include <catch2/catch.hpp>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include "support/sandbox_process.hpp"

namespace e2e_test_pull_sandbox {

using namespace svc::test;
using nlohmann::json;

namespace {

// The sandbox's inbound messages that `svc pull` can fetch: Weibo private messages are push-only.
std::multiset<std::string>
pullable_keys(const json& messages)
{
  std::multiset<std::string> keys;
  for (const auto& m : messages) {
    if (m.at("platform") == "weibo" && m.at("channel") == "dm")
      continue;
    keys.insert(sandbox_key(m));
  }
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

std::size_t
duplicates(const std::multiset<std::string>& keys)
{
  std::set<std::string> unique(keys.begin(), keys.end());
  return keys.size() - unique.size();
}

// new messages per "account/channel", summed over the account's streams.
std::map<std::string, int>
new_per_channel(const json& rows)
{
  std::map<std::string, int> out;
  for (const auto& r : rows)
    out[r.at("account").get<std::string>() + "/" + r.at("channel").get<std::string>()] += r.at("new").get<int>();
  return out;
}

int
total_new(const json& rows)
{
  int n = 0;
  for (const auto& r : rows)
    n += r.at("new").get<int>();
  return n;
}

std::string
first_sender(const json& messages, const std::string& platform)
{
  for (const auto& m : messages)
    if (m.at("platform") == platform && !m.at("from").get<std::string>().empty())
      return m.at("from");
  FAIL("the sandbox world has no " << platform << " message");
  return "";
}

} // namespace

TEST_CASE("e2e::pull stores every message of the sandbox exactly once", "[e2e][pull]")
{
  SandboxProcess sandbox({.seed = 101, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());

  auto rows = home.json({"pull"});
  REQUIRE(rows.is_array());
  auto expected = pullable_keys(sandbox.messages());
  REQUIRE(expected.size() > 20); // a world worth comparing
  REQUIRE(duplicates(expected) == 0);
  auto stored = home.stored();
  auto got = inbound_keys(stored);

  CHECK(duplicates(got) == 0);
  CHECK(got.size() == expected.size());
  std::vector<std::string> missing, extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(), std::back_inserter(missing));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(), std::back_inserter(extra));
  CHECK(missing == std::vector<std::string>{});
  CHECK(extra == std::vector<std::string>{});
  // Every platform took part, and the rows count what was stored (inbound and outbound records).
  std::set<std::string> platforms;
  for (const auto& m : stored)
    platforms.insert(m.platform);
  CHECK(platforms == std::set<std::string>{"telegram", "wechat", "weibo"});
  CHECK(total_new(rows) == static_cast<int>(stored.size()));
  for (const auto& r : rows) {
    CHECK(r.contains("cursor"));
    CHECK(r.at("new").get<int>() >= 0);
  }

  SECTION("the CLI shows the same conversations and messages")
  {
    auto inbox = home.json({"inbox", "--status", "all", "--limit", "100000"});
    std::set<std::int64_t> conversations;
    for (const auto& m : stored)
      conversations.insert(m.conversation_id);
    REQUIRE(inbox.size() == conversations.size());
    std::set<std::int64_t> listed;
    for (const auto& c : inbox)
      listed.insert(c.at("id").get<std::int64_t>());
    CHECK(listed == conversations);
    // One conversation per platform, transcript against the state file.
    std::set<std::string> seen;
    for (const auto& c : inbox) {
      std::string platform = c.at("platform");
      if (!seen.insert(platform).second)
        continue;
      auto id = c.at("id").get<std::int64_t>();
      auto show = home.json({"show", std::to_string(id)});
      std::multiset<std::string> shown, in_db;
      for (const auto& m : show.at("messages"))
        shown.insert(m.at("platform_message_id").get<std::string>() + "|" + m.at("text").get<std::string>());
      for (const auto& m : stored)
        if (m.conversation_id == id)
          in_db.insert(m.platform_message_id + "|" + m.text);
      CHECK(shown == in_db);
      CHECK_FALSE(shown.empty());
    }
  }

  SECTION("a second pull brings nothing new")
  {
    auto again = home.json({"pull"});
    REQUIRE_FALSE(again.empty());
    for (const auto& r : again) {
      INFO(r.dump());
      CHECK(r.at("new") == 0);
    }
    CHECK(home.stored().size() == stored.size());
  }

  SECTION("injected messages arrive once each, on their stream, and reopen their conversation")
  {
    auto world = sandbox.messages();
    std::string tg_sender = first_sender(world, "telegram");
    // The Telegram customer's conversation was resolved: their new message must reopen it.
    std::string tg_from_id;
    for (const auto& m : world)
      if (m.at("platform") == "telegram" && m.at("from") == tg_sender)
        tg_from_id = m.at("from_id");
    home.exec_sql("UPDATE conversations SET status = 'resolved', waiting_since = NULL, resolved_at = created_at "
                  "WHERE contact_id IN (SELECT id FROM contacts WHERE platform_user_id = '" + tg_from_id + "')");
    REQUIRE(home.query_int("SELECT count(*) FROM conversations WHERE status = 'resolved'") >= 1);

    std::vector<json> injected = {
      sandbox.inject("weibo", "comment", "e2e-commenter", "e2e comment: 还没发货吗？"),
      sandbox.inject("weibo", "mention", "e2e-mentioner", "e2e mention @brand"),
      sandbox.inject("wechat", "dm", first_sender(world, "wechat"), "e2e wechat: 在吗"),
      sandbox.inject("telegram", "dm", tg_sender, "e2e telegram: hello again"),
    };
    auto pulled = home.json({"pull"});
    auto news = new_per_channel(pulled);
    CHECK(news["wb/comment"] == 1);
    CHECK(news["wb/mention"] == 1);
    CHECK(news["wx/dm"] == 1);
    CHECK(news["tg/dm"] == 1);
    CHECK(total_new(pulled) == 4);

    auto after = home.stored();
    REQUIRE(after.size() == stored.size() + 4);
    std::set<std::string> expected_new, got_new;
    for (const auto& j : injected)
      expected_new.insert(sandbox_key(j));
    std::set<std::int64_t> new_conversations;
    for (std::size_t i = stored.size(); i < after.size(); ++i) {
      CHECK(after[i].direction == "in");
      got_new.insert(stored_key(after[i]));
      new_conversations.insert(after[i].conversation_id);
    }
    CHECK(got_new == expected_new);

    auto inbox = home.json({"inbox", "--status", "all", "--limit", "100000"});
    for (auto id : new_conversations) {
      bool found = false;
      for (const auto& c : inbox) {
        if (c.at("id") != id)
          continue;
        found = true;
        INFO(c.dump());
        CHECK(c.at("status") == "open");
        CHECK_FALSE(c.at("waiting_since").is_null());
      }
      CHECK(found);
    }
    CHECK(home.query_int("SELECT count(*) FROM conversations WHERE status = 'resolved'") == 0);
    CHECK(home.query_int("SELECT count(*) FROM audit_log WHERE action = 'reopened'") >= 1);
  }
}

TEST_CASE("e2e::pull --account NAME --channel comment pulls only that stream", "[e2e][pull]")
{
  SandboxProcess sandbox({.seed = 102, .world_size = 60, .faults = ""});
  SvcHome home(sandbox);
  home.bind_all(sandbox.url());

  auto rows = home.json({"pull", "--account", "wb", "--channel", "comment"});
  REQUIRE_FALSE(rows.empty());
  for (const auto& r : rows) {
    INFO(r.dump());
    CHECK(r.at("account") == "wb");
    CHECK(r.at("channel") == "comment");
  }
  std::multiset<std::string> expected;
  for (const auto& m : sandbox.messages())
    if (m.at("platform") == "weibo" && m.at("channel") == "comment")
      expected.insert(sandbox_key(m));
  REQUIRE_FALSE(expected.empty());
  std::multiset<std::string> got;
  for (const auto& m : home.stored()) {
    CHECK(m.account == "wb");
    CHECK(m.channel == "comment");
    if (m.direction == "in")
      got.insert(stored_key(m));
  }
  CHECK(got == expected);
  // Only that stream moved: the other streams of every account start from scratch next time.
  CHECK(home.query_int("SELECT count(*) FROM cursors") == static_cast<std::int64_t>(rows.size()));
  CHECK(home.query_int("SELECT count(*) FROM cursors c JOIN accounts a ON a.id = c.account_id WHERE a.name != 'wb'")
        == 0);

  SECTION("the rest arrives on the next full pull, without repeating the comments")
  {
    auto all = home.json({"pull"});
    for (const auto& r : all)
      if (r.at("account") == "wb" && r.at("channel") == "comment")
        CHECK(r.at("new") == 0);
    auto stored = home.stored();
    std::multiset<std::string> keys;
    for (const auto& m : stored)
      if (m.direction == "in")
        keys.insert(stored_key(m));
    std::multiset<std::string> world;
    for (const auto& m : sandbox.messages())
      if (!(m.at("platform") == "weibo" && m.at("channel") == "dm"))
        world.insert(sandbox_key(m));
    CHECK(keys == world);
  }
}

}  // namespace e2e_test_pull_sandbox
