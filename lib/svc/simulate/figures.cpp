#include <svc/simulate/figures.hpp>

#include <array>
#include <cmath>
#include <functional>

namespace svc::simulate {

const std::vector<FigureField>&
figure_fields()
{
  static const std::vector<FigureField> fields = {
    {"offered", &Figures::offered, true},   {"answered", &Figures::answered, true},
    {"abandoned", &Figures::abandoned, true}, {"unanswered", &Figures::unanswered, true},
    {"abandon_rate", &Figures::abandon_rate}, {"p_wait", &Figures::p_wait},
    {"mean_wait_s", &Figures::mean_wait_s}, {"wait_p50_s", &Figures::wait_p50_s},
    {"wait_p90_s", &Figures::wait_p90_s},   {"wait_p99_s", &Figures::wait_p99_s},
    {"service_level", &Figures::service_level}, {"occupancy", &Figures::occupancy},
    {"max_queue", &Figures::max_queue, true},
  };
  return fields;
}

double
t975(int df)
{
  static constexpr std::array<double, 30> table = {
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
    2.120,  2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1)
    return INFINITY;
  if (df <= 30)
    return table[static_cast<std::size_t>(df - 1)];
  // Cornish-Fisher expansion around the normal quantile: within 1e-4 past 30 degrees of freedom.
  const double z = 1.959964, d = df;
  return z + (z * z * z + z) / (4 * d) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d);
}

namespace {

using Get = std::function<double(const Tally&)>;

// sum X / sum Y, with the delta-method half-width over replications.
std::pair<double, double>
ratio(const std::vector<const Tally*>& reps, const Get& x, const Get& y)
{
  double sx = 0, sy = 0;
  for (const Tally* t : reps) {
    sx += x(*t);
    sy += y(*t);
  }
  const double r = sy > 0 ? sx / sy : 0;
  const std::size_t n = reps.size();
  if (n < 2 || sy <= 0)
    return {r, 0};
  double ss = 0;
  for (const Tally* t : reps) {
    const double d = x(*t) - r * y(*t);
    ss += d * d;
  }
  const double mean_y = sy / static_cast<double>(n);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  return {r, t975(static_cast<int>(n - 1)) * sd / std::sqrt(static_cast<double>(n)) / mean_y};
}

// The mean over replications with its half-width.
std::pair<double, double>
mean(const std::vector<const Tally*>& reps, const Get& x)
{
  const std::size_t n = reps.size();
  double s = 0;
  for (const Tally* t : reps)
    s += x(*t);
  const double m = s / static_cast<double>(n);
  if (n < 2)
    return {m, 0};
  double ss = 0;
  for (const Tally* t : reps)
    ss += (x(*t) - m) * (x(*t) - m);
  return {m, t975(static_cast<int>(n - 1)) * std::sqrt(ss / static_cast<double>(n - 1)) /
               std::sqrt(static_cast<double>(n))};
}

Summary
summarize_tallies(const std::vector<const Tally*>& reps, const Tally& merged)
{
  Summary out;
  Figures ci;
  auto set = [&](double Figures::*field, std::pair<double, double> v) {
    out.value.*field = v.first;
    ci.*field = v.second;
  };
  auto u = [](std::uint64_t Tally::*f) { return [f](const Tally& t) { return static_cast<double>(t.*f); }; };
  set(&Figures::offered, mean(reps, u(&Tally::offered)));
  set(&Figures::answered, mean(reps, u(&Tally::answered)));
  set(&Figures::abandoned, mean(reps, u(&Tally::abandoned)));
  set(&Figures::unanswered, mean(reps, u(&Tally::unanswered)));
  set(&Figures::max_queue, mean(reps, u(&Tally::max_queue)));
  set(&Figures::abandon_rate, ratio(reps, u(&Tally::abandoned), u(&Tally::offered)));
  set(&Figures::p_wait, ratio(reps, u(&Tally::waited), u(&Tally::offered)));
  set(&Figures::service_level, ratio(reps, u(&Tally::within_target), u(&Tally::offered)));
  set(&Figures::mean_wait_s, ratio(reps, [](const Tally& t) { return t.wait_sum_s; }, u(&Tally::answered)));
  set(&Figures::occupancy, ratio(reps, [](const Tally& t) { return t.busy_slot_s; },
                                 [](const Tally& t) { return t.available_slot_s; }));
  // Percentiles: of the merged histogram; the half-width from the replications' own percentiles.
  const std::array fields{&Figures::wait_p50_s, &Figures::wait_p90_s, &Figures::wait_p99_s};
  const std::array qs{0.5, 0.9, 0.99};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out.value.*fields[i] = merged.waits.quantile(qs[i]);
    ci.*fields[i] = mean(reps, [i](const Tally& t) { return t.quantiles[i]; }).second;
  }
  if (reps.size() >= 2)
    out.ci95 = ci;
  return out;
}

} // namespace

void
merge_and_freeze(Totals& merged, Totals& replication)
{
  if (merged.groups.size() != replication.groups.size())
    merged.groups.resize(replication.groups.size());
  merged.overall.waits.merge(replication.overall.waits);
  replication.overall.freeze();
  for (std::size_t g = 0; g < replication.groups.size(); ++g) {
    merged.groups[g].waits.merge(replication.groups[g].waits);
    replication.groups[g].freeze();
  }
}

PolicyRun
summarize(const Model& model, std::string policy, const std::vector<Totals>& replications, const Totals& merged)
{
  PolicyRun out;
  out.policy = std::move(policy);
  out.agents = static_cast<int>(model.agents.size());
  out.replications = static_cast<int>(replications.size());
  std::vector<const Tally*> overall;
  for (const auto& r : replications) {
    overall.push_back(&r.overall);
    out.measured_arrivals += r.measured_arrivals;
    out.arrivals += r.arrivals;
    out.events += r.events;
    out.elapsed_s += r.elapsed_s;
  }
  out.overall = summarize_tallies(overall, merged.overall);
  if (!model.groups.empty()) {
    for (std::size_t g = 0; g <= model.groups.size(); ++g) {
      std::vector<const Tally*> reps;
      std::uint64_t offered = 0;
      for (const auto& r : replications) {
        reps.push_back(&r.groups[g]);
        offered += r.groups[g].offered;
      }
      if (g == model.groups.size() && offered == 0)
        continue;  // no conversation without a group: no row for them
      out.groups.push_back({g < model.groups.size() ? model.groups[g].name : std::string(),
                            summarize_tallies(reps, merged.groups[g])});
      if (g == model.groups.size()) {  // conversations without a group have no agents of their own
        out.groups.back().figures.value.occupancy = NAN;
        if (out.groups.back().figures.ci95)
          out.groups.back().figures.ci95->occupancy = NAN;
      }
    }
  }
  for (std::size_t i = 0; i < model.agents.size(); ++i) {
    double busy = 0, available = 0, answered = 0;
    for (const auto& r : replications) {
      busy += r.agents[i].busy_slot_s;
      available += r.agents[i].available_slot_s;
      answered += static_cast<double>(r.agents[i].answered);
    }
    out.per_agent.push_back({model.agents[i].name, available > 0 ? busy / available : 0,
                             answered / static_cast<double>(replications.size())});
  }
  return out;
}

} // namespace svc::simulate
