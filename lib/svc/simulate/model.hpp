// What `svc simulate` simulates (docs/simulate.md, "The model"): agents with skills, a chat capacity
// and shifts; skill groups with overflow; arrivals (Poisson, a time-of-day profile, or a replayed
// history); handling time and patience; the slowdown of agents holding several chats; the run's
// length, warm-up, replications and seed. Built from the command line, a scenario file, a roster file
// and the state file (commands/simulate.cpp); plain data, checked by validate().
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/routing/policy.hpp>
#include <svc/simulate/distribution.hpp>

namespace svc::simulate {

inline constexpr double k_day_s = 86400;

// A daily window of time of day, in seconds from midnight; end < start runs past midnight.
struct Shift {
  double start_s = 0;
  double end_s = k_day_s;
};

struct AgentSpec {
  std::string name;
  std::vector<std::string> skills;
  int max_chats = 1;
  std::vector<Shift> shifts;  // none: on duty the whole run
};

// A share of the arrivals that belongs to a group ("" for none).
struct GroupShare {
  std::string group;
  double share = 0;
};

// One replayed arrival: when (seconds from the start of the run), with what, from whom.
struct TraceArrival {
  double at_s = 0;
  std::string group;                 // "" for none
  std::int64_t contact = 0;          // 0: a contact never seen again; else sticky routing remembers it
  bool vip = false;
  std::string channel;               // dm | comment | mention (reported, not routed on)
  std::optional<double> handle_s;    // the history's own handling time, used with --handle empirical
};

struct Arrivals {
  enum class Kind { poisson, profile, trace };
  Kind kind = Kind::poisson;
  double rate_per_s = 0;                             // poisson
  std::vector<std::pair<double, double>> profile;    // (time of day s, rate per s) ascending; repeats daily
  std::vector<TraceArrival> trace;                   // ascending by at_s
  std::vector<GroupShare> mix;                       // poisson and profile: each arrival's group
  double vip_share = 0;                              // poisson and profile: share of VIP contacts

  // Arrivals per second averaged over a day (profile) or the rate (poisson); trace: count / duration.
  double mean_rate(double duration_s) const;
};

struct Model {
  std::vector<AgentSpec> agents;
  std::vector<routing::Group> groups;
  Arrivals arrivals;
  Distribution handle = exponential(240);
  Distribution patience;                             // none
  std::vector<double> slowdown;                      // factor while holding k chats: [k-1]; the last holds beyond
  double duration_s = 8 * 3600;
  double warmup_s = 0.1 * 8 * 3600;
  double target_share = 0.8;                         // --target 80/20s
  double target_s = 20;
  std::uint64_t seed = 1;
  int replications = 1;

  double factor(int chats) const
  {
    if (slowdown.empty() || chats <= 0)
      return 1.0;
    return slowdown[static_cast<std::size_t>(std::min<int>(chats, static_cast<int>(slowdown.size())) - 1)];
  }
};

// Usage errors (exit 2) for a model that cannot run: no agents, a rate of 0, a warm-up not shorter
// than the duration, shares that do not add up, a group mix naming an unknown group, ...
Status validate(const Model& model);

// The parsers of the option values.
Result<double> parse_arrival_rate(std::string_view text);                 // "120/h" -> per second
struct Target {
  double share = 0.8;
  double within_s = 20;
};
Result<Target> parse_target(std::string_view text);                       // "80/20s"
Result<double> parse_warmup(std::string_view text, double duration_s);    // "10%" or "30m"
Result<std::vector<double>> parse_slowdown(std::string_view text);        // "1,1.25,1.5"
Result<double> parse_time_of_day(std::string_view text);                  // "08:30" -> 30600
Result<Shift> parse_shift(std::string_view text);                         // "08:00-16:00"

} // namespace svc::simulate
