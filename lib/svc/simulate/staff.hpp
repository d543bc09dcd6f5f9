// `svc simulate staff`: the fewest agents that meet the service-level target, by search over
// simulations of the same model with N identical agents (docs/simulate.md, "Staffing").
#pragma once

#include <optional>
#include <string>

#include <svc/core/result.hpp>
#include <svc/simulate/figures.hpp>
#include <svc/simulate/model.hpp>

namespace svc::simulate {

struct StaffResult {
  int agents = 0;                        // the fewest that meet the target
  PolicyRun at;                          // the figures with that many
  std::optional<PolicyRun> at_one_fewer; // and with one fewer (none when agents is 1)
  int simulations = 0;                   // staffing levels simulated
};

// The model's agents must be alike (skills, max chats, shifts): they are the template cloned N times.
// A level meets the target when its service level (over every replication) reaches the target share.
// Each level runs on the same seed, so levels differ by their agents only. Usage error past max_agents.
Result<StaffResult> find_staff(const Model& model, const std::string& policy, int max_agents = 10000);

} // namespace svc::simulate
