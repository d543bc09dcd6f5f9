#include <svc/simulate/simulate.hpp>

#include <svc/routing/eligibility.hpp>
#include <svc/simulate/engine.hpp>

namespace svc::simulate {

Result<std::vector<PolicyRun>>
run_policies(const Model& model, const std::vector<std::string>& policies)
{
  SVC_CHECK(validate(model));
  std::vector<std::unique_ptr<routing::Policy>> made;
  for (const auto& name : policies) {
    SVC_TRY(policy, routing::make_policy(name));
    made.push_back(std::move(policy));
  }
  std::vector<PolicyRun> out;
  for (std::size_t p = 0; p < made.size(); ++p) {
    // Each replication's histograms are merged as it ends, then released: memory does not grow
    // with the number of replications beyond a few counters each.
    std::vector<Totals> reps;
    reps.reserve(static_cast<std::size_t>(model.replications));
    Totals merged;
    for (int r = 0; r < model.replications; ++r) {
      reps.push_back(run_replication(model, *made[p], r));
      merge_and_freeze(merged, reps.back());
    }
    out.push_back(summarize(model, policies[p], reps, merged));
  }
  return out;
}

std::optional<QueueModel>
queue_model(const Model& model, std::string& why_not)
{
  if (model.arrivals.kind != Arrivals::Kind::poisson) {
    why_not = "arrivals are not Poisson at a constant rate";
    return std::nullopt;
  }
  if (model.handle.kind != Distribution::Kind::exponential) {
    why_not = "the handling time is not exponential";
    return std::nullopt;
  }
  if (model.patience.kind != Distribution::Kind::none && model.patience.kind != Distribution::Kind::exponential) {
    why_not = "patience is neither none nor exponential";
    return std::nullopt;
  }
  for (const auto& a : model.agents) {
    if (a.max_chats != 1) {
      why_not = "agents hold more than one chat at once";
      return std::nullopt;
    }
    if (!a.shifts.empty()) {
      why_not = "agents work shifts";
      return std::nullopt;
    }
  }
  // Every arrival must be able to go to every agent: its group (if any) takes all of them.
  std::vector<std::string> arriving;
  for (const auto& s : model.arrivals.mix)
    if (s.share > 0)
      arriving.push_back(s.group);
  for (const auto& name : arriving) {
    if (name.empty())
      continue;
    const routing::Group* g = routing::find_group(model.groups, name);
    for (const auto& a : model.agents) {
      routing::Agent r;
      r.skills = a.skills;
      if (!g || !routing::in_group(r, *g)) {
        why_not = "not every agent can take every conversation (skill groups)";
        return std::nullopt;
      }
    }
  }
  QueueModel q;
  q.agents = static_cast<int>(model.agents.size());
  q.arrival_rate = model.arrivals.rate_per_s;
  q.handle_s = model.handle.mean * model.factor(1);
  if (model.patience.kind == Distribution::Kind::exponential)
    q.patience_s = model.patience.mean;
  q.target_s = model.target_s;
  return q;
}

} // namespace svc::simulate
