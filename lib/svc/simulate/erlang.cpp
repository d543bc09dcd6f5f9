#include <svc/simulate/erlang.hpp>

#include <cmath>
#include <vector>

namespace svc::simulate {

double
erlang_b(int agents, double erlangs)
{
  double b = 1;
  for (int k = 1; k <= agents; ++k)
    b = erlangs * b / (k + erlangs * b);
  return b;
}

double
erlang_c(int agents, double erlangs)
{
  if (erlangs >= agents)
    return 1;
  const double b = erlang_b(agents, erlangs);
  return agents * b / (agents - erlangs * (1 - b));
}

Analytic
erlang_c_figures(const QueueModel& q)
{
  Analytic out;
  out.model = "erlang_c";
  const double a = q.arrival_rate * q.handle_s;
  const int n = q.agents;
  if (a >= n) {
    out.stable = false;
    out.p_wait = 1;
    out.mean_wait_s = INFINITY;
    out.occupancy = 1;
    return out;
  }
  const double c = erlang_c(n, a);
  const double drain = (n - a) / q.handle_s;  // P(W > t) = C exp(-drain t)
  out.p_wait = c;
  out.mean_wait_s = c / drain;
  out.service_level = 1 - c * std::exp(-drain * q.target_s);
  out.occupancy = a / n;
  auto quantile = [&](double p) { return p <= 1 - c ? 0.0 : std::log(c / (1 - p)) / drain; };
  out.wait_p50_s = quantile(0.5);
  out.wait_p90_s = quantile(0.9);
  out.wait_p99_s = quantile(0.99);
  return out;
}

namespace {

double
poisson_pmf(long k, double mean)
{
  if (mean <= 0)
    return k == 0 ? 1 : 0;
  return std::exp(-mean + static_cast<double>(k) * std::log(mean) - std::lgamma(static_cast<double>(k) + 1));
}

} // namespace

// A customer who finds j others waiting is served if, in each of the j + 1 stages until an agent frees
// for them, a service completion (rate N mu) or an abandonment ahead (i theta) comes before their own
// abandonment (theta): stage i (i ahead) lasts Exp(N mu + (i + 1) theta) whatever ends it, so
//   P(served | j) = N mu / (N mu + (j + 1) theta)        (the product telescopes)
//   W | served, j ~ sum over i = 0..j of Exp(N mu + (i + 1) theta)
// and the chance of finding j waiting is the birth-death chain's stationary probability (PASTA).
// The hypoexponential CDFs are computed together by uniformization.
Analytic
erlang_a_figures(const QueueModel& q)
{
  Analytic out;
  out.model = "erlang_a";
  const int n = q.agents;
  const double lambda = q.arrival_rate, mu = 1 / q.handle_s, theta = 1 / *q.patience_s;
  const double served_rate = n * mu;

  // Relative to the chance of all N agents busy and nobody waiting: r_j for j waiting.
  std::vector<double> r{1.0};
  double tail = 0;
  for (int j = 1; j < 2'000'000; ++j) {
    const double x = r.back() * lambda / (served_rate + j * theta);
    r.push_back(x);
    tail += x;
    if (served_rate + j * theta > lambda && x < 1e-17 * (1 + tail))
      break;
  }
  const double b = erlang_b(n, lambda / mu);
  const double c = 1 / (1 + b * tail);  // the states below N weigh c, the loss system's distribution
  const std::size_t J = r.size();
  std::vector<double> u(J);             // P(find j waiting and be served)
  double abandon = 0, within_w = 0, prefix = 0, waited_served = 0;
  for (std::size_t j = 0; j < J; ++j) {
    const double w = c * b * r[j];
    const double stage_rate = served_rate + static_cast<double>(j + 1) * theta;
    const double served = served_rate / stage_rate;
    u[j] = w * served;
    abandon += w * (1 - served);
    prefix += 1 / stage_rate;
    within_w += u[j] * prefix;
    waited_served += u[j];
  }
  out.p_wait = c * b * (1 + tail);
  out.abandon_rate = abandon;
  const double answered = 1 - abandon;
  out.mean_wait_s = answered > 0 ? within_w / answered : 0;
  out.occupancy = lambda * answered / served_rate;

  // g[k] = sum_j u_j P(served within k uniformized steps | j); G(t) = sum_k Poisson(k; Lambda t) g[k].
  const double big_lambda = served_rate + static_cast<double>(J) * theta;
  const double mean_served_wait = waited_served > 0 ? within_w / waited_served : 0;
  const double t_high = q.target_s + 30 * mean_served_wait + 10 / (served_rate + theta);
  const double m_high = big_lambda * t_high;
  auto steps_for = [](double m) { return static_cast<long>(m + 10 * std::sqrt(m) + 50); };
  const bool percentiles = static_cast<double>(J) * static_cast<double>(steps_for(m_high)) < 3e8;
  const long steps = steps_for(big_lambda * (percentiles ? t_high : q.target_s));
  std::vector<double> g(static_cast<std::size_t>(steps) + 1, 0.0);
  std::vector<double> v(J, 0.0);
  for (long k = 1; k <= steps; ++k) {
    double sum = 0;
    for (std::size_t i = J; i-- > 0;) {
      const double p = (served_rate + static_cast<double>(i + 1) * theta) / big_lambda;
      const double ahead = i == 0 ? 1.0 : v[i - 1];
      v[i] = p * ahead + (1 - p) * v[i];
      sum += u[i] * v[i];
    }
    g[static_cast<std::size_t>(k)] = sum;
  }
  auto served_within = [&](double t) {  // G(t)
    const double m = big_lambda * t;
    double total = 0, weight = 0;
    const long last = std::min<long>(steps, steps_for(m));
    for (long k = 0; k <= last; ++k) {
      const double p = poisson_pmf(k, m);
      total += p * g[static_cast<std::size_t>(k)];
      weight += p;
    }
    return total + (1 - weight) * g[static_cast<std::size_t>(last)];
  };
  out.service_level = (1 - out.p_wait) + served_within(q.target_s);
  if (percentiles && answered > 0) {
    auto quantile = [&](double p) -> std::optional<double> {
      auto share = [&](double t) { return ((1 - out.p_wait) + served_within(t)) / answered; };
      if (share(0) >= p)
        return 0.0;
      if (share(t_high) < p)
        return std::nullopt;
      double lo = 0, hi = t_high;
      for (int i = 0; i < 60 && hi - lo > 1e-6 * (1 + hi); ++i) {
        const double mid = (lo + hi) / 2;
        (share(mid) >= p ? hi : lo) = mid;
      }
      return (lo + hi) / 2;
    };
    out.wait_p50_s = quantile(0.5);
    out.wait_p90_s = quantile(0.9);
    out.wait_p99_s = quantile(0.99);
  }
  return out;
}

} // namespace svc::simulate
