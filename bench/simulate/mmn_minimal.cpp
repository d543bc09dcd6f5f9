// The floor of bench/simulate.sh: the benchmark's M/M/N+M queue as a minimal hand-written loop, with
// no policies, no agents, no statistics beyond counts and the mean wait. N identical servers are a
// count of free ones and a heap of completion times; waiting customers are a FIFO; abandonment is
// settled lazily when a customer reaches the head (whoever's deadline has passed left the queue
// unseen). The random numbers are svc's own (lib/svc/simulate/rng.hpp: xoshiro256++, the exponential by
// the ziggurat, the same streams per seed), so that the comparison times the loop, not the sampler;
// with the same customers and identical agents of one chat, its counts match svc's but for rounding
// (which agent serves does not change this queue).
//
//   mmn_minimal [--arrivals 5000000] [--agents 50] [--rate-per-hour 540] [--handle-s 300] [--patience-s 180] [--seed 1]
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <queue>
#include <string>
#include <vector>

#include <svc/simulate/rng.hpp>

namespace {

struct Waiting {
  double arrived, handle, deadline;
};

} // namespace

int
main(int argc, char** argv)
{
  double arrivals = 5e6, agents = 50, per_hour = 540, handle_s = 300, patience_s = 180, seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const double v = std::atof(argv[i + 1]);
    if (k == "--arrivals") arrivals = v;
    else if (k == "--agents") agents = v;
    else if (k == "--rate-per-hour") per_hour = v;
    else if (k == "--handle-s") handle_s = v;
    else if (k == "--patience-s") patience_s = v;
    else if (k == "--seed") seed = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const auto n = static_cast<long>(arrivals);
  const double mean_gap = 1 / (per_hour / 3600);  // as svc computes it
  using svc::simulate::Purpose;
  const auto s = static_cast<std::uint64_t>(seed);
  svc::simulate::Rng arrival_rng = svc::simulate::stream(s, 0, Purpose::arrivals),
                     handle_rng = svc::simulate::stream(s, 0, Purpose::handling),
                     patience_rng = svc::simulate::stream(s, 0, Purpose::patience);

  const auto start = std::chrono::steady_clock::now();
  std::priority_queue<double, std::vector<double>, std::greater<double>> busy;  // completion times
  std::vector<Waiting> fifo(1024);
  std::size_t head = 0, count = 0;
  long free_agents = static_cast<long>(agents), arrived = 0, answered = 0, abandoned = 0;
  double wait_sum = 0, next_arrival = arrival_rng.exponential(mean_gap);
  while (arrived < n || count > 0) {
    if (!busy.empty() && (arrived >= n || busy.top() < next_arrival)) {
      const double t = busy.top();
      busy.pop();
      ++free_agents;
      while (count > 0) {  // the next customer still waiting, if any
        const Waiting w = fifo[head];
        head = (head + 1) & (fifo.size() - 1);
        --count;
        if (w.deadline < t) {
          ++abandoned;
          continue;
        }
        ++answered;
        wait_sum += t - w.arrived;
        --free_agents;
        busy.push(t + w.handle);
        break;
      }
      continue;
    }
    const double t = next_arrival;
    ++arrived;
    next_arrival = t + arrival_rng.exponential(mean_gap);
    const double handle = handle_rng.exponential(handle_s);
    const double patience = patience_rng.exponential(patience_s);
    if (free_agents > 0) {
      --free_agents;
      ++answered;
      busy.push(t + handle);
    } else {
      if (count == fifo.size()) {  // grow the ring
        std::vector<Waiting> bigger(2 * fifo.size());
        for (std::size_t i = 0; i < count; ++i)
          bigger[i] = fifo[(head + i) & (fifo.size() - 1)];
        fifo.swap(bigger);
        head = 0;
      }
      fifo[(head + count) & (fifo.size() - 1)] = {t, handle, t + patience};
      ++count;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"arrivals\": %ld, \"answered\": %ld, \"abandoned\": %ld, \"mean_wait_s\": %.6f, \"seconds\": %.6f}\n",
              arrived, answered, abandoned, answered ? wait_sum / static_cast<double>(answered) : 0.0, seconds);
  return 0;
}
