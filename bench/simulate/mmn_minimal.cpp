// The floor of bench/simulate.sh: the benchmark's M/M/N+M queue as a minimal hand-written loop, with
// no policies, no agents, no statistics beyond counts and the mean wait. N identical servers are a
// count of free ones and a heap of completion times; waiting customers are a FIFO; abandonment is
// settled lazily when a customer reaches the head (whoever's deadline has passed left the queue
// unseen). Same random number generator as svc (xoshiro256++), exponential by inversion.
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

namespace {

struct Xoshiro {
  std::uint64_t s[4];
  explicit Xoshiro(std::uint64_t seed)
  {
    for (auto& x : s) {  // splitmix64
      std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      x = z ^ (z >> 31);
    }
  }
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t next()
  {
    const std::uint64_t r = rotl(s[0] + s[3], 23) + s[0];
    const std::uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
  double exp(double mean) { return -mean * std::log((static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53); }
};

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
  const double mean_gap = 3600 / per_hour;
  Xoshiro arrival_rng(static_cast<std::uint64_t>(seed)), handle_rng(static_cast<std::uint64_t>(seed) + 1),
    patience_rng(static_cast<std::uint64_t>(seed) + 2);

  const auto start = std::chrono::steady_clock::now();
  std::priority_queue<double, std::vector<double>, std::greater<double>> busy;  // completion times
  std::vector<Waiting> fifo(1024);
  std::size_t head = 0, count = 0;
  long free_agents = static_cast<long>(agents), arrived = 0, answered = 0, abandoned = 0;
  double wait_sum = 0, next_arrival = arrival_rng.exp(mean_gap);
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
    next_arrival = t + arrival_rng.exp(mean_gap);
    const double handle = handle_rng.exp(handle_s);
    const double patience = patience_rng.exp(patience_s);
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
