#include <svc/simulate/staff.hpp>

#include <cmath>
#include <map>

#include <fmt/format.h>

#include <svc/simulate/simulate.hpp>

namespace svc::simulate {

Result<StaffResult>
find_staff(const Model& model, const std::string& policy, int max_agents)
{
  SVC_CHECK(validate(model));
  const AgentSpec& like = model.agents.front();
  for (const auto& a : model.agents)
    if (a.skills != like.skills || a.max_chats != like.max_chats || a.shifts.size() != like.shifts.size())
      return make_error(ErrorKind::usage, "simulate staff needs agents that are alike (agent {} differs from {})",
                        a.name, like.name)
        .with_hint("staff clones one kind of agent: use --agents N with --max-chats, or a roster of one kind");

  std::map<int, PolicyRun> runs;
  auto run_with = [&](int n) -> Result<const PolicyRun*> {
    if (auto it = runs.find(n); it != runs.end())
      return &it->second;
    Model m = model;
    m.agents.clear();
    for (int i = 0; i < n; ++i) {
      AgentSpec a = like;
      a.name = fmt::format("agent-{}", i + 1);
      m.agents.push_back(std::move(a));
    }
    SVC_TRY(result, run_policies(m, {policy}));
    return &runs.emplace(n, std::move(result.front())).first->second;
  };
  auto meets = [&](int n) -> Result<bool> {
    SVC_TRY(run, run_with(n));
    return run->overall.value.service_level >= model.target_share;
  };

  // Start at the offered load in chats (what is needed just to keep up), then bracket and bisect.
  const double load = model.arrivals.mean_rate(model.duration_s) * model.handle.mean * model.factor(1);
  int hi = std::clamp(static_cast<int>(std::ceil(load / like.max_chats)), 1, max_agents);
  int lo = 0;  // the largest level known to miss (0: none)
  SVC_TRY(first, meets(hi));
  if (first) {
    // Step down by doubling until a level misses.
    int step = 1;
    while (hi > 1) {
      const int n = std::max(1, hi - step);
      SVC_TRY(ok, meets(n));
      if (!ok) {
        lo = n;
        break;
      }
      hi = n;
      step *= 2;
    }
  } else {
    lo = hi;
    for (;;) {
      if (hi >= max_agents)
        return make_error(ErrorKind::usage, "even {} agents do not meet the target {:g}% within {:g} s", max_agents,
                          model.target_share * 100, model.target_s)
          .with_hint("check the arrival rate and handling time, or loosen --target");
      hi = std::min(max_agents, hi * 2);
      SVC_TRY(ok, meets(hi));
      if (ok)
        break;
      lo = hi;
    }
  }
  while (hi - lo > 1) {
    const int mid = lo + (hi - lo) / 2;
    SVC_TRY(ok, meets(mid));
    (ok ? hi : lo) = mid;
  }
  StaffResult out;
  out.agents = hi;
  SVC_TRY(at, run_with(hi));
  out.at = *at;
  if (hi > 1) {
    SVC_TRY(fewer, run_with(hi - 1));
    out.at_one_fewer = *fewer;
  }
  out.simulations = static_cast<int>(runs.size());
  return out;
}

} // namespace svc::simulate
