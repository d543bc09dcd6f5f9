// Models for the simulator's tests: M/M/N(+M) built in one call, and a check of simulated figures
// against exact ones within the replications' confidence bounds.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <optional>
#include <string>

#include <svc/simulate/erlang.hpp>
#include <svc/simulate/simulate.hpp>

namespace svc::simulate::test {

// N agents of one chat, Poisson arrivals, exponential handling; patience exponential or none.
// `arrivals_per_rep` sets the duration; the warm-up is the default 10%.
inline Model
mmn(int agents, double arrival_rate, double handle_s, std::optional<double> patience_s, double arrivals_per_rep,
    int replications, std::uint64_t seed = 7)
{
  Model m;
  for (int i = 0; i < agents; ++i)
    m.agents.push_back({"a" + std::to_string(i + 1), {}, 1, {}});
  m.arrivals.kind = Arrivals::Kind::poisson;
  m.arrivals.rate_per_s = arrival_rate;
  m.handle = exponential(handle_s);
  if (patience_s)
    m.patience = exponential(*patience_s);
  m.duration_s = arrivals_per_rep / arrival_rate / 0.9;  // 90% of it is measured
  m.warmup_s = 0.1 * m.duration_s;
  m.replications = replications;
  m.seed = seed;
  m.target_s = handle_s / 9;
  return m;
}

inline QueueModel
queue_of(const Model& m)
{
  std::string why;
  auto q = queue_model(m, why);
  INFO(why);
  REQUIRE(q);
  return *q;
}

inline PolicyRun
run_one(const Model& m, const std::string& policy = "least-busy")
{
  auto runs = run_policies(m, {policy});
  REQUIRE(runs.has_value());
  REQUIRE(runs->size() == 1);
  return runs->front();
}

// |simulated - exact| within `k` 95% half-widths (plus `slack`, for figures the histogram rounds).
inline void
check_near(const char* figure, double simulated, double half_width, double exact, double k = 2, double slack = 0)
{
  INFO(figure << ": simulated " << simulated << " +- " << half_width << ", exact " << exact);
  CHECK(std::abs(simulated - exact) <= k * half_width + slack);
}

} // namespace svc::simulate::test
