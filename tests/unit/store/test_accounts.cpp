// The account repository and Store::transaction on SQLite.
#include "store_test_util.hpp"

namespace store_test_accounts {

using namespace svc;
using namespace svc::test;

namespace {

domain::Account
account(const std::string& name, domain::Platform platform = domain::Platform::telegram)
{
  domain::Account a;
  a.name = name;
  a.platform = platform;
  a.token = {domain::SecretRef::Source::env, "TOKEN_OF_" + name};
  return a;
}

std::vector<std::string>
names(const std::vector<domain::Account>& all)
{
  std::vector<std::string> out;
  for (const auto& a : all)
    out.push_back(a.name);
  return out;
}

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
  store::AccountRepository& accounts() { return store->accounts(); }
};

} // namespace

TEST_CASE("store::AccountRepository::bind and get", "[store]")
{
  Fixture f;
  domain::Account a = account("shop");
  a.base_url = "https://gw.example";
  a.app_id = "wx123";
  a.secret = {domain::SecretRef::Source::file, "/etc/svc/secret"};
  a.callback_token = {domain::SecretRef::Source::env, "CB"};
  a.webhook_secret = {domain::SecretRef::Source::value, "hook-value"};
  auto bound = f.accounts().bind(a, false);
  REQUIRE(bound.has_value());
  CHECK(bound->id > 0);
  CHECK(bound->created_at == 1795000000);

  auto got = f.accounts().get("shop");
  REQUIRE(got.has_value());
  CHECK(got->id == bound->id);
  CHECK(got->name == "shop");
  CHECK(got->platform == domain::Platform::telegram);
  CHECK(got->base_url == "https://gw.example");
  CHECK(got->app_id == "wx123");
  CHECK(got->token.source == domain::SecretRef::Source::env);
  CHECK(got->token.ref == "TOKEN_OF_shop");
  CHECK(got->secret.source == domain::SecretRef::Source::file);
  CHECK(got->secret.ref == "/etc/svc/secret");
  CHECK(got->callback_token.ref == "CB");
  CHECK(got->webhook_secret.source == domain::SecretRef::Source::value);
  CHECK(got->webhook_secret.ref == "hook-value");
  CHECK(got->created_at == 1795000000);

  SECTION("unknown names are not_found with a hint")
  {
    auto missing = f.accounts().get("nosuch");
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().kind == ErrorKind::not_found);
    CHECK(missing.error().message.find("nosuch") != std::string::npos);
    CHECK(missing.error().hint.find("svc account list") != std::string::npos);
  }
  SECTION("a second bind of a bound name is a usage error and changes nothing")
  {
    auto again = f.accounts().bind(account("shop", domain::Platform::weibo), false);
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error().kind == ErrorKind::usage);
    auto all = f.accounts().list(true);
    REQUIRE(all.has_value());
    REQUIRE(all->size() == 1);
    CHECK(all->front().platform == domain::Platform::telegram);
  }
  SECTION("set_identity")
  {
    REQUIRE(f.accounts().set_identity(bound->id, "12345", "Shop Bot").has_value());
    auto after = f.accounts().get("shop");
    REQUIRE(after.has_value());
    CHECK(after->platform_user_id == "12345");
    CHECK(after->display_name == "Shop Bot");
  }
}

TEST_CASE("store::AccountRepository::list", "[store]")
{
  Fixture f;
  auto empty = f.accounts().list();
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
  for (const char* n : {"zeta", "alpha", "mid"})
    REQUIRE(f.accounts().bind(account(n), false).has_value());
  auto all = f.accounts().list();
  REQUIRE(all.has_value());
  CHECK(names(*all) == std::vector<std::string>{"alpha", "mid", "zeta"});
}

TEST_CASE("store::AccountRepository::get_default", "[store]")
{
  Fixture f;
  SECTION("none bound: not_found")
  {
    auto d = f.accounts().get_default();
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().kind == ErrorKind::not_found);
    CHECK_FALSE(d.error().hint.empty());
  }
  SECTION("a single account is the default without being marked")
  {
    REQUIRE(f.accounts().bind(account("only"), false).has_value());
    auto d = f.accounts().get_default();
    REQUIRE(d.has_value());
    CHECK(d->name == "only");
  }
  SECTION("several without a default: usage error naming the way out")
  {
    REQUIRE(f.accounts().bind(account("a"), false).has_value());
    REQUIRE(f.accounts().bind(account("b"), false).has_value());
    auto d = f.accounts().get_default();
    REQUIRE_FALSE(d.has_value());
    CHECK(d.error().kind == ErrorKind::usage);
    CHECK(d.error().hint.find("svc account use") != std::string::npos);
  }
  SECTION("bind with make_default, then set_default moves it")
  {
    REQUIRE(f.accounts().bind(account("a"), true).has_value());
    REQUIRE(f.accounts().bind(account("b"), false).has_value());
    CHECK(f.accounts().get_default()->name == "a");
    auto listed = f.accounts().list();
    REQUIRE(listed.has_value());
    CHECK((*listed)[0].is_default);
    CHECK_FALSE((*listed)[1].is_default);

    REQUIRE(f.accounts().set_default("b").has_value());
    CHECK(f.accounts().get_default()->name == "b");
    listed = f.accounts().list();
    CHECK_FALSE((*listed)[0].is_default);
    CHECK((*listed)[1].is_default);
    CHECK(f.accounts().get("b")->is_default);
  }
  SECTION("set_default of an unknown account is not_found and keeps the old default")
  {
    REQUIRE(f.accounts().bind(account("a"), true).has_value());
    REQUIRE(f.accounts().bind(account("b"), false).has_value());
    auto r = f.accounts().set_default("nosuch");
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::not_found);
    CHECK(f.accounts().get_default()->name == "a");
  }
  SECTION("binding another account with make_default replaces the default")
  {
    REQUIRE(f.accounts().bind(account("a"), true).has_value());
    REQUIRE(f.accounts().bind(account("b"), true).has_value());
    CHECK(f.accounts().get_default()->name == "b");
  }
}

TEST_CASE("store::AccountRepository::unbind", "[store]")
{
  Fixture f;
  auto first = f.accounts().bind(account("shop"), true);
  REQUIRE(first.has_value());
  REQUIRE(f.accounts().bind(account("other"), false).has_value());

  SECTION("keeps the row, drops its secrets, frees the name")
  {
    REQUIRE(f.accounts().unbind("shop", false).has_value());
    auto bound = f.accounts().list();
    REQUIRE(bound.has_value());
    CHECK(names(*bound) == std::vector<std::string>{"other"});
    auto everything = f.accounts().list(true);
    REQUIRE(everything.has_value());
    CHECK(names(*everything) == std::vector<std::string>{"other", "shop"});
    const auto& kept = everything->at(1);
    CHECK(kept.id == first->id);
    CHECK(kept.token.empty());
    CHECK(kept.token.ref.empty());
    CHECK_FALSE(kept.is_default);

    auto gone = f.accounts().get("shop");
    REQUIRE_FALSE(gone.has_value());
    CHECK(gone.error().kind == ErrorKind::not_found);

    // The default went with it: only "other" is left, so it is the default now.
    CHECK(f.accounts().get_default()->name == "other");

    auto rebound = f.accounts().bind(account("shop", domain::Platform::weibo), false);
    REQUIRE(rebound.has_value());
    CHECK(rebound->id != first->id);
    CHECK(f.accounts().get("shop")->platform == domain::Platform::weibo);
    everything = f.accounts().list(true);
    CHECK(names(*everything) == std::vector<std::string>{"other", "shop", "shop"});
  }
  SECTION("purge deletes the row")
  {
    REQUIRE(f.accounts().unbind("shop", true).has_value());
    auto everything = f.accounts().list(true);
    REQUIRE(everything.has_value());
    CHECK(names(*everything) == std::vector<std::string>{"other"});
  }
  SECTION("unbinding an unknown or already unbound account is not_found")
  {
    auto r = f.accounts().unbind("nosuch", false);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::not_found);
    REQUIRE(f.accounts().unbind("shop", false).has_value());
    auto twice = f.accounts().unbind("shop", true);
    REQUIRE_FALSE(twice.has_value());
    CHECK(twice.error().kind == ErrorKind::not_found);
    CHECK(f.accounts().list(true)->size() == 2); // the unbound row survived the failed purge
  }
}

TEST_CASE("store::Store::transaction", "[store]")
{
  Fixture f;
  SECTION("commits all of the work")
  {
    auto r = f.store->transaction([&]() -> Status {
      SVC_CHECK(f.accounts().bind(account("a"), false));
      SVC_CHECK(f.accounts().bind(account("b"), false));
      return {};
    });
    REQUIRE(r.has_value());
    CHECK(f.accounts().list()->size() == 2);
  }
  SECTION("work returning an error rolls everything back and returns that error")
  {
    auto r = f.store->transaction([&]() -> Status {
      SVC_CHECK(f.accounts().bind(account("a"), true));
      SVC_CHECK(f.accounts().bind(account("b"), false));
      return make_error(ErrorKind::conflict, "changed my mind");
    });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::conflict);
    CHECK(r.error().message == "changed my mind");
    CHECK(f.accounts().list(true)->empty());
    CHECK(f.accounts().get_default().error().kind == ErrorKind::not_found);
  }
  SECTION("a failing repository call inside rolls back what came before")
  {
    REQUIRE(f.accounts().bind(account("taken"), false).has_value());
    auto r = f.store->transaction([&]() -> Status {
      SVC_CHECK(f.accounts().bind(account("fresh"), false));
      SVC_CHECK(f.accounts().bind(account("taken"), false)); // usage: already bound
      return {};
    });
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().kind == ErrorKind::usage);
    CHECK(names(*f.accounts().list()) == std::vector<std::string>{"taken"});
  }
  SECTION("a nested transaction joins the outer one")
  {
    auto r = f.store->transaction([&]() -> Status {
      SVC_CHECK(f.accounts().bind(account("outer"), false));
      SVC_CHECK(f.store->transaction([&]() -> Status { return f.accounts().bind(account("inner"), false).has_value() ? Status{} : make_error(ErrorKind::failed, "bind"); }));
      return make_error(ErrorKind::usage, "abort the whole unit");
    });
    REQUIRE_FALSE(r.has_value());
    CHECK(f.accounts().list(true)->empty()); // the inner commit did not escape the outer rollback
  }
  SECTION("after a rolled back transaction the next one works")
  {
    CHECK_FALSE(f.store->transaction([&]() -> Status { return make_error(ErrorKind::usage, "no"); }).has_value());
    auto r = f.store->transaction([&]() -> Status { return f.accounts().bind(account("later"), false).has_value() ? Status{} : make_error(ErrorKind::failed, "bind"); });
    REQUIRE(r.has_value());
    CHECK(names(*f.accounts().list()) == std::vector<std::string>{"later"});
  }
  SECTION("a committed transaction is visible to another connection")
  {
    REQUIRE(f.store->transaction([&]() -> Status { return f.accounts().bind(account("seen"), false).has_value() ? Status{} : make_error(ErrorKind::failed, "bind"); }).has_value());
    RawDb raw(f.dir / "state.db");
    CHECK(raw.integer("SELECT count(*) FROM accounts WHERE name = 'seen'") == 1);
  }
}

TEST_CASE("store::Store::check and vacuum", "[store]")
{
  Fixture f;
  REQUIRE(f.accounts().bind(account("a"), false).has_value());
  REQUIRE(f.accounts().bind(account("b"), false).has_value());
  REQUIRE(f.accounts().unbind("b", false).has_value());
  auto report = f.store->check();
  REQUIRE(report.has_value());
  CHECK(report->integrity == "ok");
  CHECK(report->schema_version == store::known_schema_version());
  CHECK(report->known_version == store::known_schema_version());
  CHECK(report->journal_mode == "wal");
  CHECK(report->counts.at("accounts") == 2); // the unbound row is still there
  CHECK(report->counts.at("messages") == 0);
  REQUIRE(f.store->vacuum().has_value());
  auto after = f.store->check();
  REQUIRE(after.has_value());
  CHECK(after->integrity == "ok");
  CHECK(after->counts.at("accounts") == 2);
  CHECK(names(*f.accounts().list()) == std::vector<std::string>{"a"});
}

}  // namespace store_test_accounts
