// The message repository's contact upserts across pages: a page that would rewrite a contact with the
// values it already holds (same profile, same second, no newer inbound time) may skip the upsert, and
// every page that brings something new must still reach the row.
#include "store_test_util.hpp"

namespace store_test_messages {

using namespace svc;
using namespace svc::test;

namespace {

struct Fixture : OneAccountStore {
  // One page of one message from user 42 named `name`, sent at `at`.
  void page(const std::string& id, const std::string& name, UnixTime at)
  {
    domain::InboundMessage m;
    m.platform_message_id = id;
    m.thread_key = "42";
    m.author.id = "42";
    m.author.name = name;
    m.text = "hello " + id;
    m.created_at = at;
    m.raw = {{"id", id}};
    auto r = store->messages().ingest(account, "updates", {m}, id, store::Via::pull);
    REQUIRE(r.has_value());
    REQUIRE(r->stored == 1);
  }
};

} // namespace

TEST_CASE("store::messages ingest upserts contacts", "[store]")
{
  Fixture f;
  RawDb raw(f.dir / "state.db");
  auto contact = [&](const std::string& column) {
    return raw.text("SELECT " + column + " FROM contacts WHERE platform_user_id = '42'");
  };
  f.page("42:1", "Ann", 1794999000);

  SECTION("a newer inbound time in the same second reaches the row")
  {
    f.page("42:2", "Ann", 1794999500);
    CHECK(contact("last_inbound_at") == "1794999500");
    f.page("42:3", "Ann", 1794999100); // older: the newest stays
    CHECK(contact("last_inbound_at") == "1794999500");
  }
  SECTION("a changed profile in the same second reaches the row")
  {
    f.page("42:2", "Anna", 1794999000);
    CHECK(contact("name") == "Anna");
    CHECK(contact("profile").find("\"Anna\"") != std::string::npos);
  }
  SECTION("the same profile a second later updates when it was seen")
  {
    f.page("42:2", "Ann", 1794999000);
    f.clock.advance(1);
    f.page("42:3", "Ann", 1794999000);
    CHECK(contact("last_seen_at") == "1795000001");
    CHECK(contact("first_seen_at") == "1795000000");
    CHECK(contact("profile").find("1795000001") != std::string::npos);
  }
  SECTION("every message of one author points at one contact")
  {
    f.page("42:2", "Ann", 1794999000);
    f.page("42:3", "Ann", 1794999000);
    CHECK(raw.integer("SELECT count(*) FROM contacts") == 1);
    CHECK(raw.integer("SELECT count(DISTINCT contact_id) FROM messages WHERE contact_id IS NOT NULL") == 1);
    CHECK(raw.integer("SELECT count(*) FROM messages") == 3);
  }
}

// WeChat: a message pushed (MsgId) and pulled from the chat history (a derived id) is one message.
TEST_CASE("store::messages ingest stores a WeChat message once whichever way it came", "[store]")
{
  TempDir dir;
  FixedClock clock{1795000000};
  auto opened = open_at(dir / "state.db", clock);
  REQUIRE(opened.has_value());
  auto& s = **opened;
  domain::Account a;
  a.name = "wx";
  a.platform = domain::Platform::wechat;
  a.app_id = "wx1";
  a.secret = {domain::SecretRef::Source::env, "S"};
  auto account = s.accounts().bind(a, false);
  REQUIRE(account.has_value());

  auto message = [](std::string id, std::string text, UnixTime at) {
    domain::InboundMessage m;
    m.platform_message_id = std::move(id);
    m.thread_key = "oOPENID";
    m.author.id = "oOPENID";
    m.text = std::move(text);
    m.created_at = at;
    return m;
  };
  auto pushed = s.messages().ingest(*account, "", {message("7000000000000000001", "订单到哪了", 1794999000)}, "",
                                    store::Via::callback);
  REQUIRE(pushed.has_value());
  CHECK(pushed->stored == 1);
  auto pulled = s.messages().ingest(
    *account, "msgrecord",
    {message("oOPENID:1794999000:2003:abc", "订单到哪了", 1794999000),   // the same message
     message("oOPENID:1794999000:2003:def", "还有一个问题", 1794999000),  // same second, other text
     message("oOPENID:1794999060:2003:abc", "订单到哪了", 1794999060)},  // same text, later: asked again
    "{}", store::Via::pull);
  REQUIRE(pulled.has_value());
  CHECK(pulled->stored == 2);
  auto again = s.messages().ingest(*account, "", {message("7000000000000000001", "订单到哪了", 1794999000)}, "",
                                   store::Via::callback);
  REQUIRE(again.has_value());
  CHECK(again->stored == 0); // the push delivered twice: still once
}

}  // namespace store_test_messages
