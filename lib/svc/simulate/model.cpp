#include <svc/simulate/model.hpp>

#include <charconv>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include <svc/core/time.hpp>

namespace svc::simulate {

namespace {

std::optional<double>
number(std::string_view text)
{
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    return std::nullopt;
  return value;
}

} // namespace

double
Arrivals::mean_rate(double duration_s) const
{
  switch (kind) {
  case Kind::poisson:
    return rate_per_s;
  case Kind::profile: {
    double total = 0;
    for (std::size_t i = 0; i < profile.size(); ++i) {
      const double end = i + 1 < profile.size() ? profile[i + 1].first : k_day_s + profile.front().first;
      total += profile[i].second * (end - profile[i].first);
    }
    return total / k_day_s;
  }
  case Kind::trace:
    return duration_s > 0 ? static_cast<double>(trace.size()) / duration_s : 0;
  }
  return 0;
}

Status
validate(const Model& m)
{
  if (m.agents.empty())
    return make_error(ErrorKind::usage, "the model has no agents")
      .with_hint("give --agents N, --agents-file FILE or --from-state (with agents added by `svc agent add`)");
  std::set<std::string> names;
  for (const auto& a : m.agents) {
    if (a.max_chats < 1)
      return make_error(ErrorKind::usage, "agent {}: max chats must be at least 1", a.name);
    if (!names.insert(a.name).second)
      return make_error(ErrorKind::usage, "two agents are called '{}'", a.name).with_hint("agent names must differ");
  }
  std::set<std::string> groups;
  for (const auto& g : m.groups)
    if (!groups.insert(g.name).second)
      return make_error(ErrorKind::usage, "two groups are called '{}'", g.name);
  if (!(m.duration_s > 0))
    return make_error(ErrorKind::usage, "--duration must be more than 0").with_hint("e.g. --duration 8h");
  if (!(m.warmup_s >= 0) || m.warmup_s >= m.duration_s)
    return make_error(ErrorKind::usage, "the warm-up ({} s) must be shorter than the duration ({} s)", m.warmup_s,
                      m.duration_s)
      .with_hint("e.g. --warmup 10% or --warmup 30m");
  if (m.replications < 1)
    return make_error(ErrorKind::usage, "--replications must be at least 1, not {}", m.replications)
      .with_hint("--replications 1 is a single run; 2 or more give 95% intervals");
  if (!(m.target_s >= 0) || !(m.target_share > 0 && m.target_share <= 1))
    return make_error(ErrorKind::usage, "invalid target").with_hint("e.g. --target 80/20s");
  for (double f : m.slowdown)
    if (!(f > 0))
      return make_error(ErrorKind::usage, "--slowdown factors must be more than 0").with_hint("e.g. --slowdown 1,1.25,1.5");
  if (m.handle.kind == Distribution::Kind::none || m.handle.wants_history ||
      (m.handle.kind == Distribution::Kind::empirical && m.handle.values.empty()))
    return make_error(ErrorKind::usage, "no handling time to draw from ({})", m.handle.describe())
      .with_hint("--handle empirical needs history in the state file (with --replay or --from-state); or use exp:MEAN");
  if (m.patience.wants_history)
    return make_error(ErrorKind::usage, "--patience empirical needs history from the state file")
      .with_hint("use it with --replay or --from-state, or give exp:MEAN or none");
  const auto& a = m.arrivals;
  switch (a.kind) {
  case Arrivals::Kind::poisson:
    if (!(a.rate_per_s > 0))
      return make_error(ErrorKind::usage, "the arrival rate must be more than 0").with_hint("e.g. --arrivals 120/h");
    break;
  case Arrivals::Kind::profile:
    if (a.profile.empty() || !(a.mean_rate(m.duration_s) > 0))
      return make_error(ErrorKind::usage, "the arrival profile has no arrivals")
        .with_hint("each line: TIME RATE, e.g. `08:00 120/h`");
    break;
  case Arrivals::Kind::trace:
    break;
  }
  if (!a.mix.empty()) {
    double total = 0;
    for (const auto& s : a.mix) {
      if (!(s.share >= 0))
        return make_error(ErrorKind::usage, "a group share must not be negative");
      if (!s.group.empty() && !groups.count(s.group))
        return make_error(ErrorKind::usage, "the arrival mix names group '{}', which the model does not have", s.group)
          .with_hint("define the group in the roster file (or `svc group add` with --from-state)");
      total += s.share;
    }
    if (std::abs(total - 1) > 1e-6)
      return make_error(ErrorKind::usage, "the arrival mix adds up to {:g}, not 1", total)
        .with_hint("give each group its share of the arrivals, e.g. {\"sales\": 0.6, \"support\": 0.4}");
  }
  if (!(a.vip_share >= 0 && a.vip_share <= 1))
    return make_error(ErrorKind::usage, "the VIP share must be between 0 and 1");
  return {};
}

Result<double>
parse_arrival_rate(std::string_view text)
{
  auto rate = parse_rate(text);
  if (!rate || !(*rate > 0))
    return make_error(ErrorKind::usage, "invalid arrival rate '{}'", text).with_hint("e.g. --arrivals 120/h (or 2/m, 0.5/s)");
  return *rate;
}

Result<Target>
parse_target(std::string_view text)
{
  const auto slash = text.find('/');
  auto bad = [&] {
    return make_error(ErrorKind::usage, "invalid target '{}'", text)
      .with_hint("PERCENT/WAIT: e.g. --target 80/20s (80% answered within 20 s)");
  };
  if (slash == std::string_view::npos)
    return bad();
  std::string_view percent = text.substr(0, slash);
  if (percent.ends_with('%'))
    percent.remove_suffix(1);
  auto share = number(percent);
  auto within = parse_duration(text.substr(slash + 1));
  if (!share || !within || !(*share > 0 && *share <= 100))
    return bad();
  return Target{*share / 100, static_cast<double>(within->count())};
}

Result<double>
parse_warmup(std::string_view text, double duration_s)
{
  if (text.ends_with('%')) {
    auto p = number(text.substr(0, text.size() - 1));
    if (!p || !(*p >= 0 && *p < 100))
      return make_error(ErrorKind::usage, "invalid warm-up '{}'", text).with_hint("a share of the duration below 100% (10%) or a duration (30m)");
    return duration_s * *p / 100;
  }
  auto d = parse_duration(text);
  if (!d)
    return make_error(ErrorKind::usage, "invalid warm-up '{}'", text).with_hint("a share of the duration (10%) or a duration (30m)");
  return static_cast<double>(d->count());
}

Result<std::vector<double>>
parse_slowdown(std::string_view text)
{
  std::vector<double> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    auto f = number(item);
    if (!f || !(*f > 0))
      return make_error(ErrorKind::usage, "invalid --slowdown '{}'", text)
        .with_hint("the factor for 1, 2, 3... chats held at once, e.g. 1,1.25,1.5");
    out.push_back(*f);
    if (comma == std::string_view::npos)
      break;
    start = comma + 1;
  }
  return out;
}

Result<double>
parse_time_of_day(std::string_view text)
{
  auto bad = [&] {
    return make_error(ErrorKind::usage, "invalid time of day '{}'", text).with_hint("HH:MM, e.g. 08:30 (24:00 ends a day)");
  };
  const auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return bad();
  auto h = number(text.substr(0, colon));
  auto m = number(text.substr(colon + 1));
  if (!h || !m || *h < 0 || *m < 0 || *m >= 60 || *h != std::floor(*h) || *m != std::floor(*m) || *h * 60 + *m > 24 * 60)
    return bad();
  return *h * 3600 + *m * 60;
}

Result<Shift>
parse_shift(std::string_view text)
{
  const auto dash = text.find('-');
  if (dash == std::string_view::npos)
    return make_error(ErrorKind::usage, "invalid shift '{}'", text).with_hint("START-END, e.g. 08:00-16:00 or 22:00-06:00");
  SVC_TRY(start, parse_time_of_day(text.substr(0, dash)));
  SVC_TRY(end, parse_time_of_day(text.substr(dash + 1)));
  if (start == end)
    return make_error(ErrorKind::usage, "shift '{}' is empty", text).with_hint("START-END, e.g. 08:00-16:00");
  return Shift{start, end};
}

} // namespace svc::simulate
