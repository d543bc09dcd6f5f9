// Contacts with the real binary against a real `svc sandbox serve`: a user who never wrote is looked up
// by nickname (Weibo) or openid (WeChat) and stored with their profile and no message; and two identities
// of one customer, once linked, make the sticky policy route the second identity's conversation to the
// agent who answered the first.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <fmt/format.h>

#include "support/sandbox_process.hpp"

namespace e2e_test_contacts {

using namespace svc::test;
using nlohmann::json;

namespace {

json
people(const SandboxProcess& sandbox)
{
  httplib::Client client("127.0.0.1", sandbox.port());
  auto res = client.Get("/_sandbox/people");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return json::parse(res->body);
}

std::int64_t
conversation_with(const SvcHome& home, const std::string& text)
{
  for (const auto& m : home.stored())
    if (m.text == text)
      return m.conversation_id;
  FAIL("no stored message '" << text << "'");
  return 0;
}

} // namespace

TEST_CASE("e2e::contacts lookup stores a user who never wrote, with their profile", "[e2e][contacts]")
{
  SandboxProcess sandbox({.seed = 601, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("weibo", "wb", sandbox.url());
  home.bind("wechat", "wx", sandbox.url());
  auto everyone = people(sandbox);
  REQUIRE(everyone.size() >= 2);
  const json& person = everyone[0];
  const std::string name = person.at("name"), uid = person.at("weibo_uid");

  SECTION("Weibo, by nickname and then by uid: one contact, refreshed")
  {
    auto found = home.json({"--as", "alice", "contact", "lookup", "wb", "--name", name});
    CHECK(found.at("name") == name);
    CHECK(found.at("platform_user_id") == uid);
    CHECK(found.at("account") == "wb");
    for (const char* field : {"name", "avatar_url", "gender", "location", "followers", "language"}) {
      INFO(field << " in " << found.at("profile").dump());
      REQUIRE(found.at("profile").contains(field));
      CHECK(found.at("profile").at(field).at("seen_at").is_string());
      CHECK(found.at("profile").at(field).at("value") == found.at(field));
    }
    // Some sandbox people have no description: then the platform gave none.
    CHECK(found.at("profile").contains("description") == !found.at("description").is_null());
    CHECK(found.at("followers").is_number_integer());
    CHECK(home.query_int("SELECT count(*) FROM messages") == 0);
    CHECK(home.query_int("SELECT count(*) FROM conversations") == 0);
    CHECK(home.query_int("SELECT count(*) FROM audit_log WHERE action = 'looked_up' AND agent = 'alice'") == 1);

    auto again = home.json({"contact", "lookup", "wb", "--id", uid});
    CHECK(again.at("id") == found.at("id"));
    CHECK(home.query_int("SELECT count(*) FROM contacts") == 1);
    auto shown = home.json({"contact", "show", "wb:" + uid});
    CHECK(shown.at("id") == found.at("id"));
    CHECK(shown.at("timeline").empty());
  }
  SECTION("WeChat, by openid: remark, language, subscribe time and tag ids")
  {
    const std::string openid = person.at("openid");
    auto found = home.json({"contact", "lookup", "wx", "--id", openid});
    CHECK(found.at("platform_user_id") == openid);
    for (const char* field : {"nickname", "remark", "language", "subscribe_time", "tagid_list", "avatar_url"}) {
      INFO(field << " in " << found.at("profile").dump());
      CHECK(found.at("profile").contains(field));
    }
    CHECK(found.at("profile").at("nickname").at("value") == person.at("name"));
  }
  SECTION("refusals: no such user, no lookup by name on WeChat")
  {
    auto missing = home.run({"contact", "lookup", "wb", "--name", "nobody-by-this-name"});
    INFO(describe(missing));
    CHECK(missing.code == 3);
    auto by_name = home.run({"contact", "lookup", "wx", "--name", name});
    INFO(describe(by_name));
    CHECK(by_name.code == 2);
    CHECK(by_name.err.find("hint: give the openid") != std::string::npos);
    auto no_account = home.run({"contact", "lookup", "nope", "--id", uid});
    CHECK(no_account.code == 3);
    CHECK(home.query_int("SELECT count(*) FROM contacts") == 0);
  }
}

TEST_CASE("e2e::contacts after link, sticky routing sends the second identity to the agent who answered the first",
          "[e2e][contacts]")
{
  SandboxProcess sandbox({.seed = 602, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("telegram", "tg", sandbox.url());
  home.bind("wechat", "wx", sandbox.url());
  sandbox.inject("telegram", "dm", "林小姐", "my order 8812 has not arrived");
  sandbox.inject("wechat", "dm", "林小姐", "订单 8812 还没到");
  for (const char* account : {"tg", "wx"}) {
    auto pulled = home.run({"pull", "--account", account});
    INFO(describe(pulled));
    REQUIRE(pulled.code == 0);
  }
  auto first = conversation_with(home, "my order 8812 has not arrived");
  auto second = conversation_with(home, "订单 8812 还没到");
  auto first_contact = home.json({"show", std::to_string(first)}).at("contact").at("id").get<std::int64_t>();
  auto second_contact = home.json({"show", std::to_string(second)}).at("contact").at("id").get<std::int64_t>();

  for (const char* agent : {"alice", "bob"})
    REQUIRE(home.run({"agent", "add", agent, "--status", "online"}).code == 0);
  REQUIRE(home.run({"--as", "alice", "assign", std::to_string(first), "--to", "alice"}).code == 0);
  auto replied = home.run({"--as", "alice", "reply", std::to_string(first), "--text", "It ships today"});
  INFO(describe(replied));
  REQUIRE(replied.code == 0);

  // Not linked yet: nobody served the WeChat identity, so sticky falls back to the least busy (bob).
  auto before = home.json({"assign", "--explain", std::to_string(second), "--policy", "sticky"});
  CHECK(before.at("assigned_to") == "bob");

  auto linked = home.json({"--as", "carol", "contact", "link", std::to_string(first_contact),
                           std::to_string(second_contact)});
  CHECK(linked.at("identities").size() == 2);
  CHECK(home.query_int(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'linked' AND agent = 'carol'"
                                   " AND contact_id IN ({}, {})", first_contact, second_contact))
        == 2);

  auto assigned = home.json({"--as", "carol", "assign", std::to_string(second), "--auto", "--policy", "sticky"});
  CHECK(assigned.at("assigned_to") == "alice");
  CHECK(assigned.at("why").get<std::string>().find("sticky") != std::string::npos);

  // The linked timeline shows both identities' messages and alice's answer.
  auto shown = home.json({"contact", "show", std::to_string(second_contact)});
  std::vector<std::string> texts;
  for (const auto& m : shown.at("timeline"))
    texts.push_back(m.at("text"));
  CHECK(std::find(texts.begin(), texts.end(), "my order 8812 has not arrived") != texts.end());
  CHECK(std::find(texts.begin(), texts.end(), "订单 8812 还没到") != texts.end());
  CHECK(std::find(texts.begin(), texts.end(), "It ships today") != texts.end());

  // Unlinked again, the WeChat identity is a stranger to alice once more.
  REQUIRE(home.run({"--as", "carol", "contact", "unlink", std::to_string(second_contact)}).code == 0);
  CHECK(home.query_int(fmt::format("SELECT count(*) FROM audit_log WHERE action = 'unlinked' AND contact_id = {}",
                                   second_contact))
        == 1);
  auto after = home.json({"assign", "--explain", std::to_string(second), "--policy", "sticky"});
  CHECK(after.at("why").get<std::string>().find("no agent served this contact before") != std::string::npos);
}

TEST_CASE("e2e::contacts a WeChat pull completes each new customer's profile with user/info", "[e2e][contacts]")
{
  SandboxProcess sandbox({.seed = 602, .world_size = 20, .faults = ""});
  SvcHome home(sandbox);
  home.bind("wechat", "wx", sandbox.url());
  std::map<std::string, std::string> names; // openid -> nickname, from the sandbox's world
  for (const auto& p : people(sandbox))
    names[p.at("openid")] = p.at("name");
  auto pulled = home.run({"pull"});
  INFO(describe(pulled));
  REQUIRE(pulled.code == 0);
  auto contacts = home.json({"contact", "list", "--account", "wx"});
  REQUIRE_FALSE(contacts.empty());
  for (const auto& c : contacts) {
    INFO(c.dump());
    const std::string openid = c.at("platform_user_id");
    REQUIRE(names.count(openid) == 1);
    CHECK_FALSE(c.at("name").get<std::string>().empty());
    auto shown = home.json({"contact", "show", std::to_string(c.at("id").get<std::int64_t>())});
    CHECK(shown.at("profile").at("nickname").at("value") == names[openid]);
  }
  // Known customers are not looked up again on the next pull.
  auto lookups = home.query_int("SELECT count(*) FROM audit_log WHERE action = 'looked_up'");
  CHECK(lookups == static_cast<std::int64_t>(contacts.size()));
  sandbox.inject("wechat", "dm", names[contacts[0].at("platform_user_id")], "再问一下");
  REQUIRE(home.run({"pull"}).code == 0);
  CHECK(home.query_int("SELECT count(*) FROM audit_log WHERE action = 'looked_up'") == lookups);
}

}  // namespace e2e_test_contacts
