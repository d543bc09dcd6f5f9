// The simulator against the closed forms (erlang.hpp) from light to heavy load and from 1 to 200
// agents, within the replications' 95% intervals (two half-widths). The heaviest loads without
// abandonment need tens of millions of arrivals for a tight bound: they are tagged [.slow] (hidden;
// run them with `test_simulate "[slow]"`).
#include "sim_test_util.hpp"

namespace simulate_test_against_erlang {

using namespace svc::simulate;
using namespace svc::simulate::test;

namespace {

// Simulated vs exact on every figure both have; the run must also be precise enough to mean
// something (the half-widths are bounded), or a loose interval could hide a biased simulator.
void
compare(const Model& m, double max_ci_share = 0.03)
{
  const PolicyRun run = run_one(m);
  const Analytic a = analytic_figures(queue_of(m));
  REQUIRE(a.stable);
  REQUIRE(run.overall.ci95);
  const Figures& v = run.overall.value;
  const Figures& ci = *run.overall.ci95;
  CHECK(ci.p_wait < max_ci_share);
  CHECK(ci.service_level < max_ci_share);
  check_near("p_wait", v.p_wait, ci.p_wait, a.p_wait, 2, 0.002);
  check_near("service_level", v.service_level, ci.service_level, a.service_level, 2, 0.002);
  check_near("abandon_rate", v.abandon_rate, ci.abandon_rate, a.abandon_rate, 2, 0.001);
  check_near("occupancy", v.occupancy, ci.occupancy, a.occupancy, 2, 0.002);
  // Waits in seconds: the slack is a small share of the handling time.
  const double h = m.handle.mean;
  check_near("mean_wait_s", v.mean_wait_s, ci.mean_wait_s, a.mean_wait_s, 2, 0.002 * h);
  if (a.wait_p90_s)  // the histogram's buckets are within 0.4%
    check_near("wait_p90_s", v.wait_p90_s, ci.wait_p90_s, *a.wait_p90_s, 2, 0.01 * *a.wait_p90_s + 0.002 * h);
}

// Arrivals per replication: more agents need more arrivals for the same number of busy periods, and
// without abandonment a heavier load needs more (its waits are correlated for longer).
double
arrivals_for(int agents, double load, bool patient)
{
  const double base = 6000 + 300.0 * agents;
  return patient ? base / (1.1 - load) : base;
}

} // namespace

TEST_CASE("simulate: the worked example, simulated (Erlang C)", "[simulate][erlang]")
{
  // 100 contacts per 30 minutes, 180 s, 14 agents: P(wait) 0.1741, ASA 7.84 s, 88.8% within 20 s.
  Model m = mmn(14, 100.0 / 1800, 180, std::nullopt, 60000, 10, 2024);
  m.target_s = 20;
  const PolicyRun run = run_one(m);
  const Figures& v = run.overall.value;
  const Figures& ci = *run.overall.ci95;
  check_near("p_wait", v.p_wait, ci.p_wait, 0.1741, 2, 0.0001);
  check_near("mean_wait_s", v.mean_wait_s, ci.mean_wait_s, 7.835, 2, 0.01);
  check_near("service_level", v.service_level, ci.service_level, 0.888, 2, 0.001);
  CHECK(ci.p_wait < 0.01);
  CHECK(ci.mean_wait_s < 0.6);
  CHECK(v.abandon_rate == 0);
  CHECK(run.measured_arrivals > 500000);
}

TEST_CASE("simulate: Erlang C from light to heavy load, 1 to 200 agents", "[simulate][erlang]")
{
  const int agents = GENERATE(1, 10, 50, 200);
  const double load = GENERATE(0.5, 0.8, 0.9);
  INFO(agents << " agents at load " << load);
  compare(mmn(agents, load * agents / 100.0, 100, std::nullopt, arrivals_for(agents, load, true), 8, 11), 0.04);
}

TEST_CASE("simulate: Erlang A from light load to overload, 1 to 200 agents", "[simulate][erlang]")
{
  const int agents = GENERATE(1, 10, 50, 200);
  const double load = GENERATE(0.5, 0.9, 0.97, 1.2);
  // Patient customers (mean patience 3 handling times) at light load, impatient ones at heavy load.
  const double patience = load < 0.9 ? 300.0 : 60.0;
  INFO(agents << " agents at offered load " << load << ", mean patience " << patience << " s");
  compare(mmn(agents, load * agents / 100.0, 100, patience, arrivals_for(agents, load, false), 8, 12));
}

TEST_CASE("simulate: the benchmark model (M/M/50+M at 0.9) matches Erlang A", "[simulate][erlang]")
{
  compare(mmn(50, 540.0 / 3600, 300, 180.0, 40000, 8, 5));
}

TEST_CASE("simulate: Erlang C at heavy load, slow tier", "[simulate][erlang][.slow]")
{
  const int agents = GENERATE(1, 2, 10, 50, 100, 200);
  const double load = GENERATE(0.95, 0.97);
  INFO(agents << " agents at load " << load);
  // Waits correlate over about 1/(1 - sqrt(load))^2 handling times for one agent: millions of
  // arrivals per replication.
  compare(mmn(agents, load * agents / 100.0, 100, std::nullopt, 2.0e6, 10, 13), 0.02);
}

}  // namespace simulate_test_against_erlang
