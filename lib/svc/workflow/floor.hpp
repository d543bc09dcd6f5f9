// The routing snapshot of the state file: agents, groups and one conversation as lib/svc/routing sees them.
#pragma once

#include <vector>

#include <svc/routing/policy.hpp>
#include <svc/store/store.hpp>

namespace svc::workflow {

struct FloorSnapshot {
  std::vector<routing::Agent> agents;
  std::vector<routing::Group> groups;
  double now = 0;

  routing::Floor view() const { return {agents, groups, now}; }
};

Result<FloorSnapshot> read_floor(store::Store& store, UnixTime now);

routing::Conversation to_routing(const store::RoutingFacts& facts, UnixTime now);

} // namespace svc::workflow
