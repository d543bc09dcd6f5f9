#include <svc/simulate/distribution.hpp>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include <svc/core/time.hpp>

namespace svc::simulate {

namespace {

std::string
seconds_text(double s)
{
  const auto whole = static_cast<long long>(std::llround(s));
  if (std::abs(s - static_cast<double>(whole)) > 1e-9)
    return fmt::format("{:g}s", s);
  if (whole != 0 && whole % 3600 == 0)
    return fmt::format("{}h", whole / 3600);
  if (whole != 0 && whole % 60 == 0)
    return fmt::format("{}m", whole / 60);
  return fmt::format("{}s", whole);
}

Error
bad(std::string_view what, std::string_view text, bool allow_none)
{
  return make_error(ErrorKind::usage, "invalid {} '{}'", what, text)
    .with_hint(fmt::format("use exp:MEAN, lognormal:MEAN,SD, fixed:VALUE{} or empirical, with durations like 180s or "
                           "4m",
                           allow_none ? ", none" : ""));
}

Result<double>
positive_duration(std::string_view text, std::string_view what, std::string_view whole, bool allow_none)
{
  auto d = parse_duration(text);
  if (!d)
    return bad(what, whole, allow_none);
  if (d->count() <= 0)
    return make_error(ErrorKind::usage, "{} '{}': the duration must be more than 0", what, whole)
      .with_hint("e.g. exp:4m");
  return static_cast<double>(d->count());
}

} // namespace

double
Distribution::sample_empirical(double u) const
{
  // The first step whose cumulative probability reaches u; beyond the last one: never.
  auto it = std::lower_bound(cumulative.begin(), cumulative.end(), u);
  if (it == cumulative.end())
    return k_never;
  return values[static_cast<std::size_t>(it - cumulative.begin())];
}

std::string
Distribution::describe() const
{
  switch (kind) {
  case Kind::exponential:
    return "exp:" + seconds_text(mean);
  case Kind::lognormal:
    return "lognormal:" + seconds_text(mean) + "," + seconds_text(sd);
  case Kind::fixed:
    return "fixed:" + seconds_text(mean);
  case Kind::empirical:
    return wants_history ? std::string("empirical") : fmt::format("empirical ({} observations)", values.size());
  case Kind::none:
    return "none";
  }
  return {};
}

Distribution
exponential(double mean_s)
{
  Distribution d;
  d.kind = Distribution::Kind::exponential;
  d.mean = mean_s;
  return d;
}

Distribution
fixed(double value_s)
{
  Distribution d;
  d.kind = Distribution::Kind::fixed;
  d.mean = value_s;
  return d;
}

Distribution
empirical(std::vector<double> observations)
{
  std::sort(observations.begin(), observations.end());
  std::vector<double> cumulative(observations.size());
  const double n = static_cast<double>(observations.size());
  for (std::size_t i = 0; i < observations.size(); ++i)
    cumulative[i] = static_cast<double>(i + 1) / n;
  if (!cumulative.empty())
    cumulative.back() = 1.0;  // exactly: u < 1 always finds a step
  return empirical_steps(std::move(observations), std::move(cumulative));
}

Distribution
empirical_steps(std::vector<double> values, std::vector<double> cumulative)
{
  Distribution d;
  d.kind = Distribution::Kind::empirical;
  double sum = 0, previous = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum += values[i] * (cumulative[i] - previous);
    previous = cumulative[i];
  }
  d.mean = previous > 0 ? sum / previous : 0;
  d.values = std::move(values);
  d.cumulative = std::move(cumulative);
  return d;
}

Result<Distribution>
parse_distribution(std::string_view text, std::string_view what, bool allow_none)
{
  if (text == "none") {
    if (!allow_none)
      return make_error(ErrorKind::usage, "{} cannot be none", what).with_hint("use exp:MEAN, lognormal:MEAN,SD or fixed:VALUE");
    return Distribution{};
  }
  if (text == "empirical") {
    Distribution d;
    d.kind = Distribution::Kind::empirical;
    d.wants_history = true;
    return d;
  }
  const auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return bad(what, text, allow_none);
  const std::string_view kind = text.substr(0, colon);
  const std::string_view args = text.substr(colon + 1);
  if (kind == "exp" || kind == "exponential") {
    SVC_TRY(mean, positive_duration(args, what, text, allow_none));
    return exponential(mean);
  }
  if (kind == "fixed") {
    SVC_TRY(value, positive_duration(args, what, text, allow_none));
    return fixed(value);
  }
  if (kind == "lognormal") {
    const auto comma = args.find(',');
    if (comma == std::string_view::npos)
      return bad(what, text, allow_none);
    SVC_TRY(mean, positive_duration(args.substr(0, comma), what, text, allow_none));
    SVC_TRY(sd, positive_duration(args.substr(comma + 1), what, text, allow_none));
    Distribution d;
    d.kind = Distribution::Kind::lognormal;
    d.mean = mean;
    d.sd = sd;
    // The normal's parameters that give this mean and standard deviation.
    d.sigma = std::sqrt(std::log1p((sd * sd) / (mean * mean)));
    d.mu = std::log(mean) - d.sigma * d.sigma / 2;
    return d;
  }
  return bad(what, text, allow_none);
}

} // namespace svc::simulate
