#include <svc/simulate/history.hpp>

#include <algorithm>

namespace svc::simulate {

std::vector<TraceArrival>
trace_of(const std::vector<store::InquiryRow>& inquiries, UnixTime since)
{
  std::vector<TraceArrival> out;
  out.reserve(inquiries.size());
  for (const auto& q : inquiries) {
    TraceArrival a;
    a.at_s = static_cast<double>(q.arrived_at - since);
    a.group = q.group;
    a.contact = q.contact;
    a.vip = q.vip;
    a.channel = q.channel;
    if (q.answered_at && q.resolved_at && *q.resolved_at > *q.answered_at)
      a.handle_s = static_cast<double>(*q.resolved_at - *q.answered_at);
    out.push_back(std::move(a));
  }
  std::stable_sort(out.begin(), out.end(), [](const TraceArrival& x, const TraceArrival& y) { return x.at_s < y.at_s; });
  return out;
}

Result<Distribution>
empirical_handle(const std::vector<store::InquiryRow>& inquiries)
{
  std::vector<double> times;
  for (const auto& q : inquiries)
    if (q.answered_at && q.resolved_at && *q.resolved_at > *q.answered_at)
      times.push_back(static_cast<double>(*q.resolved_at - *q.answered_at));
  if (times.empty())
    return make_error(ErrorKind::usage, "--handle empirical: the history has no conversation answered and resolved")
      .with_hint("widen --since, or give the handling time: --handle exp:4m");
  return empirical(std::move(times));
}

Result<Distribution>
empirical_patience(const std::vector<store::InquiryRow>& inquiries, UnixTime until)
{
  struct Observation {
    double at;
    bool gave_up;
  };
  std::vector<Observation> obs;
  for (const auto& q : inquiries) {
    if (q.answered_at)
      obs.push_back({static_cast<double>(*q.answered_at - q.arrived_at), false});
    else if (q.resolved_at)
      obs.push_back({static_cast<double>(*q.resolved_at - q.arrived_at), true});
    else
      obs.push_back({static_cast<double>(until - q.arrived_at), false});
  }
  if (std::none_of(obs.begin(), obs.end(), [](const Observation& o) { return o.gave_up; }))
    return make_error(ErrorKind::usage,
                      "--patience empirical: no conversation in the history was given up unanswered")
      .with_hint("use --patience none (nobody gives up) or exp:MEAN");
  // Give-ups before censorings at the same time (the usual Kaplan-Meier convention).
  std::sort(obs.begin(), obs.end(), [](const Observation& x, const Observation& y) {
    return x.at != y.at ? x.at < y.at : x.gave_up > y.gave_up;
  });
  std::vector<double> values, cumulative;
  double survival = 1;
  std::size_t at_risk = obs.size();
  for (std::size_t i = 0; i < obs.size();) {
    std::size_t j = i, deaths = 0;
    while (j < obs.size() && obs[j].at == obs[i].at) {
      deaths += obs[j].gave_up ? 1 : 0;
      ++j;
    }
    if (deaths > 0) {
      survival *= 1 - static_cast<double>(deaths) / static_cast<double>(at_risk);
      values.push_back(std::max(obs[i].at, 0.0));
      cumulative.push_back(1 - survival);
    }
    at_risk -= j - i;
    i = j;
  }
  return empirical_steps(std::move(values), std::move(cumulative));
}

} // namespace svc::simulate
