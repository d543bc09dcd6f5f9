// The benchmark model through svc's simulator (lib/svc/simulate, the real routing policy code):
// M/M/N+M, N agents of one chat, Poisson arrivals, exponential handling and patience, one policy.
// Prints one JSON object: arrivals, answered, abandoned, mean wait, events, seconds (the loop alone,
// as measured inside run_replication; model setup and output are not timed), and the closed form's
// abandonment and mean wait (Erlang A) for reference.
//
//   simulate_bench [--arrivals 5000000] [--agents 50] [--rate-per-hour 540] [--handle-s 300]
//                  [--patience-s 180] [--policy least-busy] [--seed 1]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <svc/routing/policy.hpp>
#include <svc/simulate/engine.hpp>
#include <svc/simulate/erlang.hpp>

using namespace svc::simulate;

int
main(int argc, char** argv)
{
  double arrivals = 5e6, agents = 50, per_hour = 540, handle_s = 300, patience_s = 180, seed = 1;
  std::string policy_name = "least-busy";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--arrivals") arrivals = std::atof(v);
    else if (k == "--agents") agents = std::atof(v);
    else if (k == "--rate-per-hour") per_hour = std::atof(v);
    else if (k == "--handle-s") handle_s = std::atof(v);
    else if (k == "--patience-s") patience_s = std::atof(v);
    else if (k == "--seed") seed = std::atof(v);
    else if (k == "--policy") policy_name = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  Model m;
  for (int i = 0; i < static_cast<int>(agents); ++i)
    m.agents.push_back({"agent" + std::to_string(i + 1), {}, 1, {}});
  m.arrivals.kind = Arrivals::Kind::poisson;
  m.arrivals.rate_per_s = per_hour / 3600;
  m.handle = exponential(handle_s);
  m.patience = patience_s > 0 ? exponential(patience_s) : Distribution{};
  // The run's length that gives about `arrivals` arrivals; no warm-up, so every arrival is measured.
  m.duration_s = arrivals / m.arrivals.rate_per_s;
  m.warmup_s = 0;
  m.seed = static_cast<std::uint64_t>(seed);
  if (auto ok = validate(m); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().message.c_str());
    return 2;
  }
  auto policy = svc::routing::make_policy(policy_name);
  if (!policy) {
    std::fprintf(stderr, "%s\n", policy.error().message.c_str());
    return 2;
  }
  const Totals t = run_replication(m, **policy, 0);
  const auto& o = t.overall;
  QueueModel q;
  q.agents = static_cast<int>(agents);
  q.arrival_rate = m.arrivals.rate_per_s;
  q.handle_s = handle_s;
  if (patience_s > 0)
    q.patience_s = patience_s;
  const Analytic exact = analytic_figures(q);
  std::printf("{\"arrivals\": %llu, \"answered\": %llu, \"abandoned\": %llu, \"mean_wait_s\": %.6f, "
              "\"events\": %llu, \"seconds\": %.6f, \"exact_abandon_rate\": %.6f, \"exact_mean_wait_s\": %.6f, "
              "\"exact_model\": \"%s\"}\n",
              static_cast<unsigned long long>(t.arrivals), static_cast<unsigned long long>(o.answered),
              static_cast<unsigned long long>(o.abandoned), o.answered ? o.wait_sum_s / o.answered : 0.0,
              static_cast<unsigned long long>(t.events), t.elapsed_s, exact.abandon_rate, exact.mean_wait_s,
              exact.model.c_str());
  return 0;
}
