// The per-account request budget: a token bucket in the state file, shared by every svc process.
#include <catch2/catch.hpp>

#include <svc/inbox/budget.hpp>
#include <svc/store/store.hpp>

#include "support/temp_dir.hpp"

namespace inbox_test_budget {

using namespace svc;

namespace {

// Answers every request with 200 and counts them.
class CountingTransport final : public http::Transport
{
public:
  Result<http::Response> send(const http::Request&) override
  {
    ++calls;
    return http::Response{200, {}, "{}", 0};
  }
  int calls = 0;
};

std::unique_ptr<store::Store>
open_store_at(const std::filesystem::path& path, const Clock& clock)
{
  store::OpenOptions o;
  o.path = path;
  o.clock = &clock;
  auto opened = store::open_store(o);
  REQUIRE(opened.has_value());
  return std::move(opened).value();
}

std::int64_t
bind_account(store::Store& s)
{
  domain::Account a;
  a.name = "shop";
  a.platform = domain::Platform::telegram;
  a.token = {domain::SecretRef::Source::env, "T"};
  auto bound = s.accounts().bind(a, true);
  REQUIRE(bound.has_value());
  return bound->id;
}

} // namespace

TEST_CASE("inbox::BudgetTransport", "[inbox][budget]")
{
  test::TempDir dir;
  FixedClock clock(1795000000);
  auto path = dir / "state.db";
  auto first = open_store_at(path, clock);
  std::int64_t account = bind_account(*first);
  CountingTransport inner;
  double now = 1000.0;
  std::vector<double> sleeps;
  auto fake_now = [&] { return now; };
  auto fake_sleep = [&](std::chrono::duration<double> d) { sleeps.push_back(d.count()); };

  SECTION("within the burst nothing waits; past it each request waits 1/rate")
  {
    inbox::BudgetTransport budget(inner, *first, account, 2.0, fake_now, fake_sleep);
    for (int i = 0; i < 4; ++i)
      REQUIRE(budget.send({}).has_value());
    CHECK(inner.calls == 4);
    REQUIRE(sleeps.size() == 2); // burst of 2, then debt
    CHECK(sleeps[0] == Approx(0.5));
    CHECK(sleeps[1] == Approx(1.0));
  }

  SECTION("two handles on one state file (two processes) share one bucket")
  {
    auto second = open_store_at(path, clock);
    inbox::BudgetTransport a(inner, *first, account, 1.0, fake_now, fake_sleep);
    inbox::BudgetTransport b(inner, *second, account, 1.0, fake_now, fake_sleep);
    REQUIRE(a.send({}).has_value());
    REQUIRE(b.send({}).has_value()); // the first took the only token: the second must wait
    REQUIRE(sleeps.size() == 1);
    CHECK(sleeps[0] == Approx(1.0));
    now += 10; // refilled (up to the burst of 1)
    REQUIRE(b.send({}).has_value());
    CHECK(sleeps.size() == 1);
  }

  SECTION("rate 0 means no budget and no state written")
  {
    inbox::BudgetTransport budget(inner, *first, account, 0.0, fake_now, fake_sleep);
    for (int i = 0; i < 50; ++i)
      REQUIRE(budget.send({}).has_value());
    CHECK(sleeps.empty());
    auto bucket = first->budgets().get(account, "requests");
    REQUIRE(bucket.has_value());
    CHECK_FALSE(bucket->has_value());
  }
}

TEST_CASE("inbox::default_request_rate", "[inbox][budget]")
{
  for (auto p : {domain::Platform::weibo, domain::Platform::wechat, domain::Platform::telegram})
    CHECK(inbox::default_request_rate(p) > 0);
  CHECK(inbox::default_request_rate(domain::Platform::telegram) <= 30); // Telegram's ~30 msg/s overall
}

}  // namespace inbox_test_budget
