// store::contact_names: which of a page's authors pull must ask the platform about (the stored contact
// has no name), for one account only.
#include <svc/store/contact_names.hpp>

#include "store_test_util.hpp"

namespace store_test_contact_names {

using namespace svc;
using namespace svc::test;

namespace {

struct Fixture {
  TempDir dir;
  FixedClock clock{1795000000};
  std::unique_ptr<store::Store> store;
  Fixture()
  {
    auto opened = open_at(dir / "state.db", clock);
    REQUIRE(opened.has_value());
    store = std::move(*opened);
  }
  domain::Account bind(const std::string& name)
  {
    domain::Account a;
    a.name = name;
    a.platform = domain::Platform::wechat;
    a.app_id = "wx" + name;
    a.secret = {domain::SecretRef::Source::env, "SECRET"};
    auto bound = store->accounts().bind(a, false);
    REQUIRE(bound.has_value());
    return *bound;
  }
  // A message from `user`, named `name` ("" for unknown).
  void message(const domain::Account& account, const std::string& user, const std::string& name, const std::string& id)
  {
    domain::InboundMessage m;
    m.platform_message_id = id;
    m.thread_key = user;
    m.author.id = user;
    m.author.name = name;
    m.text = "hello " + id;
    m.created_at = 1794999000;
    auto r = store->messages().ingest(account, "history", {m}, id, store::Via::pull);
    REQUIRE(r.has_value());
    REQUIRE(r->stored == 1);
  }
};

} // namespace

TEST_CASE("store::contact_names lists the authors stored without a name", "[store]")
{
  Fixture f;
  auto wx = f.bind("wx");
  auto other = f.bind("other");
  f.message(wx, "o-named", "Ann", "1");
  f.message(wx, "o-nameless", "", "2");
  f.message(wx, "o-second", "", "3");
  f.message(other, "o-named", "", "4"); // the same id, nameless, under another account
  auto names = store::contact_names(*f.store);

  auto found = names->nameless(wx.id, {"o-second", "o-named", "o-unknown", "o-nameless"});
  REQUIRE(found.has_value());
  CHECK(*found == std::vector<std::string>{"o-second", "o-nameless"});

  auto of_other = names->nameless(other.id, {"o-named", "o-nameless"});
  REQUIRE(of_other.has_value());
  CHECK(*of_other == std::vector<std::string>{"o-named"});

  SECTION("a name learned later takes the contact off the list")
  {
    f.message(wx, "o-nameless", "Bo", "5");
    auto now = names->nameless(wx.id, {"o-nameless", "o-second"});
    REQUIRE(now.has_value());
    CHECK(*now == std::vector<std::string>{"o-second"});
  }
  SECTION("no ids, no query result")
  {
    auto none = names->nameless(wx.id, {});
    REQUIRE(none.has_value());
    CHECK(none->empty());
  }
}

}  // namespace store_test_contact_names
