// Closed forms of the M/M/N queue, beside which `svc simulate --analytic` prints its figures and
// against which the tests check the simulator (docs/simulate.md, "Erlang C and Erlang A"):
//   Erlang C  M/M/N, customers wait as long as it takes (patience none);
//   Erlang A  M/M/N+M, exponential patience (Palm's model): customers abandon.
// Figures use the simulator's definitions: p_wait is the share of arrivals that wait at all,
// mean_wait_s and the percentiles are over answered conversations, service_level is the share of
// arrivals answered within the target.
#pragma once

#include <optional>
#include <string>

namespace svc::simulate {

// Erlang B (blocking of M/M/N/N) and Erlang C (probability of waiting in M/M/N) for offered load
// `erlangs` = arrival rate x mean handling time, by the stable recursion on N.
double erlang_b(int agents, double erlangs);
double erlang_c(int agents, double erlangs);   // 1 when erlangs >= agents

struct QueueModel {
  int agents = 1;
  double arrival_rate = 0;                 // per second
  double handle_s = 0;                     // mean
  std::optional<double> patience_s;        // mean of exponential patience; none: Erlang C
  double target_s = 20;
};

struct Analytic {
  std::string model;                       // "erlang_c" or "erlang_a"
  bool stable = true;                      // Erlang C with load >= agents: the queue grows without end
  double p_wait = 0;
  double mean_wait_s = 0;                  // answered
  std::optional<double> wait_p50_s, wait_p90_s, wait_p99_s;
  double service_level = 0;
  double abandon_rate = 0;
  double occupancy = 0;
};

Analytic erlang_c_figures(const QueueModel& q);
Analytic erlang_a_figures(const QueueModel& q);
inline Analytic
analytic_figures(const QueueModel& q)
{
  return q.patience_s ? erlang_a_figures(q) : erlang_c_figures(q);
}

} // namespace svc::simulate
