// The random durations of the model: handling time (work at normal speed) and patience. Written on
// the command line as `exp:MEAN`, `lognormal:MEAN,SD`, `fixed:VALUE`, `none` (patience only: never
// abandons) or `empirical` (filled from the state file's history, lib/svc/simulate/history.hpp). Every
// duration is in any unit svc accepts (`180s`, `4m`, `1h30m`). Sampling is one switch, no virtual call.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/simulate/rng.hpp>

namespace svc::simulate {

inline constexpr double k_never = std::numeric_limits<double>::infinity();

struct Distribution {
  enum class Kind { exponential, lognormal, fixed, empirical, none };
  Kind kind = Kind::none;
  double mean = 0;                 // seconds (exponential, lognormal, fixed); empirical: of the finite part
  double sd = 0;                   // lognormal
  double mu = 0, sigma = 0;        // lognormal: of the underlying normal
  // empirical: values ascending, each with the cumulative probability up to it; past the last
  // cumulative probability (< 1 for patience estimated from censored data): never.
  std::vector<double> values;
  std::vector<double> cumulative;
  bool wants_history = false;      // `empirical` before history was read

  double sample(Rng& rng) const
  {
    switch (kind) {
    case Kind::exponential:
      return rng.exponential(mean);
    case Kind::lognormal:
      return std::exp(mu + sigma * rng.normal());
    case Kind::fixed:
      return mean;
    case Kind::empirical:
      return sample_empirical(rng.uniform());
    case Kind::none:
      return k_never;
    }
    return k_never;
  }

  double sample_empirical(double u) const;
  bool finite() const { return kind != Kind::none; }
  // "exp:3m", "lognormal:4m,2m", "fixed:90s", "none", "empirical (1204 conversations)".
  std::string describe() const;
};

Distribution exponential(double mean_s);
Distribution fixed(double value_s);
// Equal weight to every observation (handling times); a non-empty vector.
Distribution empirical(std::vector<double> observations);
// From (value, cumulative probability) steps, e.g. a Kaplan-Meier estimate; the rest is "never".
Distribution empirical_steps(std::vector<double> values, std::vector<double> cumulative);

// `what` names the option in errors ("--handle"). `none` only where allow_none.
Result<Distribution> parse_distribution(std::string_view text, std::string_view what, bool allow_none);

} // namespace svc::simulate
