// The brand guard: terms as given, what they match, and the one check every recording path makes.
#include <catch2/catch.hpp>

#include <svc/inbox/guard.hpp>
#include <svc/inbox/reply.hpp>
#include <svc/store/guard_terms.hpp>
#include <svc/store/store.hpp>

#include "support/store_accounts.hpp"
#include "support/temp_dir.hpp"

namespace automation_test_guard {

using namespace svc;

namespace {

store::GuardTerm
term(const std::string& spelled)
{
  auto t = inbox::parse_guard_term(spelled);
  INFO(spelled);
  REQUIRE(t.has_value());
  return *t;
}

} // namespace

TEST_CASE("inbox::parse_guard_term", "[guard]")
{
  CHECK(term(" Cheap ").term == "cheap");
  CHECK_FALSE(term("Cheap").is_regex);
  CHECK(term("re:fr[e3]{2}").is_regex);
  CHECK(term("re:fr[e3]{2}").term == "re:fr[e3]{2}");
  CHECK(inbox::parse_guard_term("re:(unclosed").error().kind == ErrorKind::usage);
  CHECK(inbox::parse_guard_term("re:").error().kind == ErrorKind::usage);
  CHECK(inbox::parse_guard_term("  ").error().kind == ErrorKind::usage);
}

TEST_CASE("inbox::guard_match", "[guard]")
{
  std::vector<store::GuardTerm> terms = {term("cheap"), term("最便宜"), term("re:fr[e3]{2}"), term("100%")};
  CHECK(inbox::guard_match(terms, "Our CHEAP offer!") == "cheap");
  CHECK(inbox::guard_match(terms, "cheaper than ever") == std::nullopt); // a whole word only
  CHECK(inbox::guard_match(terms, "今天全网最便宜的") == "最便宜");       // CJK: anywhere
  CHECK(inbox::guard_match(terms, "it is FR33 today") == "re:fr[e3]{2}");
  CHECK(inbox::guard_match(terms, "100% sure") == "100%");
  CHECK(inbox::guard_match(terms, "Thank you, we will check.") == std::nullopt);
}

TEST_CASE("inbox::check_outgoing on every recording path", "[guard]")
{
  test::TempDir dir;
  FixedClock clock{1795000000};
  store::OpenOptions o;
  o.path = dir / "state.db";
  o.clock = &clock;
  auto opened = store::open_store(o);
  REQUIRE(opened.has_value());
  auto& st = **opened;
  REQUIRE(store::guard_terms(st)->add({term("cheap"), term("re:refund\\s+guaranteed")}).has_value());

  auto refused = inbox::check_outgoing(st, "A cheap trick", false);
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().kind == ErrorKind::failed);
  CHECK(refused.error().message == "the text contains 'cheap', which the brand guard bans");
  CHECK(refused.error().hint.find("--allow-guard") != std::string::npos);
  CHECK(inbox::check_outgoing(st, "A cheap trick", true).has_value());
  CHECK(inbox::check_outgoing(st, "Refund   GUARANTEED", false).error().message.find("re:refund") !=
        std::string::npos);

  auto account = svc::test::bind_account(st, "tg", domain::Platform::telegram, "TOKEN");
  store::OutboxItem item;
  item.account_id = account.id;
  item.account = "tg";
  item.message.thread_key = "42";
  item.message.to_user = "42";
  item.message.text = "so cheap";
  item.agent = "alice";
  CHECK(inbox::record(st, item).error().kind == ErrorKind::failed);
  CHECK(inbox::record_reply(st, item, false).error().kind == ErrorKind::failed);
  CHECK(st.outbox().list("")->empty()); // nothing recorded
  CHECK(inbox::record_reply(st, item, false, true).has_value());
  CHECK(st.outbox().list("")->size() == 1);

  SECTION("the list: add is idempotent, remove names what is missing")
  {
    auto guard = store::guard_terms(st);
    auto added = guard->add({term("cheap"), term("free")});
    REQUIRE(added.has_value());
    CHECK(*added == std::vector<std::string>{"free"});
    auto list = guard->list();
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].term == "cheap");
    CHECK(guard->remove("free").has_value());
    CHECK(guard->remove("free").error().kind == ErrorKind::not_found);
  }
}

}  // namespace automation_test_guard
