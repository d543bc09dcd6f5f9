// The closed forms themselves: the worked example, known values, and the limits that tie
// Erlang A to Erlang C and to the birth-death chain's own identities.
#include <catch2/catch.hpp>

#include <cmath>

#include <svc/simulate/erlang.hpp>

namespace simulate_test_erlang {

using namespace svc::simulate;

namespace {

QueueModel
example()
{
  // 100 contacts per 30 minutes, 180 s handling, 14 agents, target 20 s.
  QueueModel q;
  q.agents = 14;
  q.arrival_rate = 100.0 / 1800;
  q.handle_s = 180;
  q.target_s = 20;
  return q;
}

} // namespace

TEST_CASE("simulate::erlang_c: the worked example", "[simulate][erlang]")
{
  const Analytic a = erlang_c_figures(example());
  CHECK(a.model == "erlang_c");
  CHECK(a.stable);
  CHECK(a.p_wait == Approx(0.1741).margin(0.00005));
  CHECK(a.mean_wait_s == Approx(7.835).margin(0.005));     // the example's "ASA = 7.84 s", rounded
  CHECK(a.service_level == Approx(0.888).margin(0.0005));  // "88.8% within 20 s"
  CHECK(a.occupancy == Approx(10.0 / 14));
  CHECK(a.abandon_rate == 0);
}

TEST_CASE("simulate::erlang_b and erlang_c: known values", "[simulate][erlang]")
{
  CHECK(erlang_b(1, 1) == Approx(0.5));
  CHECK(erlang_b(2, 1) == Approx(0.2));                   // (1/2) / (1 + 1 + 1/2)
  CHECK(erlang_c(1, 0.5) == Approx(0.5));                 // M/M/1: P(wait) = rho
  CHECK(erlang_c(2, 1) == Approx(1.0 / 3));               // 2 * 0.2 / (2 - 1 * 0.8)
  CHECK(erlang_c(3, 3) == 1);                             // unstable
  CHECK(erlang_c(200, 190) > erlang_c(200, 180));
}

TEST_CASE("simulate::erlang_c: M/M/1 closed forms", "[simulate][erlang]")
{
  QueueModel q;
  q.agents = 1;
  q.arrival_rate = 0.8;
  q.handle_s = 1;
  q.target_s = 2;
  const Analytic a = erlang_c_figures(q);
  CHECK(a.p_wait == Approx(0.8));
  CHECK(a.mean_wait_s == Approx(0.8 / 0.2));              // rho / (mu - lambda)
  CHECK(a.service_level == Approx(1 - 0.8 * std::exp(-0.2 * 2)));
  CHECK(*a.wait_p50_s == Approx(std::log(0.8 / 0.5) / 0.2));
  CHECK(*a.wait_p99_s == Approx(std::log(0.8 / 0.01) / 0.2));

  q.arrival_rate = 1.2;
  const Analytic over = erlang_c_figures(q);
  CHECK_FALSE(over.stable);
}

TEST_CASE("simulate::erlang_a: tends to Erlang C as patience grows", "[simulate][erlang]")
{
  QueueModel q = example();
  q.patience_s = 1e7;  // customers almost never give up
  const Analytic a = erlang_a_figures(q);
  const Analytic c = erlang_c_figures(example());
  CHECK(a.model == "erlang_a");
  CHECK(a.p_wait == Approx(c.p_wait).epsilon(1e-4));
  CHECK(a.mean_wait_s == Approx(c.mean_wait_s).epsilon(1e-3));
  CHECK(a.service_level == Approx(c.service_level).epsilon(1e-4));
  CHECK(a.abandon_rate < 1e-5);
  REQUIRE(a.wait_p90_s);
  CHECK(*a.wait_p90_s == Approx(*c.wait_p90_s).epsilon(1e-3));
}

TEST_CASE("simulate::erlang_a: consistent with the birth-death chain", "[simulate][erlang]")
{
  // M/M/1+M with theta = mu: the chain is M/M/infinity-like above one busy agent; every state's
  // probability is Poisson, so P(wait) = P(K >= 1) = 1 - exp(-lambda/mu).
  QueueModel q;
  q.agents = 1;
  q.arrival_rate = 2;
  q.handle_s = 1;
  q.patience_s = 1;
  q.target_s = 1;
  const Analytic a = erlang_a_figures(q);
  CHECK(a.p_wait == Approx(1 - std::exp(-2.0)).epsilon(1e-9));
  // Abandonments = theta E[queue] / lambda; with K ~ Poisson(2): E[queue] = E[K] - P(K >= 1).
  CHECK(a.abandon_rate == Approx((2 - (1 - std::exp(-2.0))) / 2).epsilon(1e-9));
  CHECK(a.occupancy == Approx(1 - std::exp(-2.0)).epsilon(1e-9));  // P(agent busy)
  CHECK(a.service_level > 1 - a.p_wait);
  CHECK(a.service_level < 1 - a.abandon_rate);
}

TEST_CASE("simulate::erlang_a: overload stays finite", "[simulate][erlang]")
{
  QueueModel q = example();
  q.agents = 8;  // 10 erlangs on 8 agents: Erlang C has no steady state, Erlang A does
  q.patience_s = 120;
  const Analytic a = erlang_a_figures(q);
  CHECK(a.stable);
  CHECK(a.abandon_rate > 0.2);
  CHECK(a.occupancy < 1);
  CHECK(a.occupancy == Approx(q.arrival_rate * (1 - a.abandon_rate) * q.handle_s / q.agents));
}

}  // namespace simulate_test_erlang
