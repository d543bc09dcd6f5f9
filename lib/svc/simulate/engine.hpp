// One replication of the model under one policy: the discrete-event loop (docs/simulate.md, "How it
// runs"). Events are arrivals, chat completions, abandonments, shift changes and skills-overflow
// rechecks; each kind has its own allocation-free queue, and the loop takes the earliest by comparing
// their heads (a tag dispatch, no virtual call per event). The policy is asked through
// Policy::pick() over a routing::AgentIndex, the very rule `svc assign --auto` runs. Nothing is
// printed or allocated per event once the queues have grown to the run's size; memory depends on the
// floor and the longest queue, not on the number of arrivals.
#pragma once

#include <cstdint>
#include <vector>

#include <svc/routing/policy.hpp>
#include <svc/simulate/histogram.hpp>
#include <svc/simulate/model.hpp>

namespace svc::simulate {

// What one replication counted, overall or for one group: conversations that arrived in the measured
// window [warm-up, duration) and what became of them; occupancy over that window.
struct Tally {
  std::uint64_t offered = 0;
  std::uint64_t answered = 0;
  std::uint64_t abandoned = 0;
  std::uint64_t unanswered = 0;      // still waiting when the run stopped (see docs: the drain)
  std::uint64_t waited = 0;          // not assigned at the instant they arrived
  std::uint64_t within_target = 0;   // answered within target_s
  double wait_sum_s = 0;             // over the answered
  double busy_slot_s = 0;            // chats held x time
  double available_slot_s = 0;       // max_chats x time on shift (plus chats finished after it)
  std::uint64_t max_queue = 0;
  Histogram waits;                   // of the answered
  // The waits' percentiles (p50, p90, p99), kept by freeze() when the histogram is merged away.
  double quantiles[3] = {0, 0, 0};
  void freeze();
};

struct AgentTally {
  double busy_slot_s = 0;
  double available_slot_s = 0;
  std::uint64_t answered = 0;
};

struct Totals {
  Tally overall;
  std::vector<Tally> groups;         // model.groups order, then conversations without a group
  std::vector<AgentTally> agents;    // model.agents order
  std::uint64_t events = 0;
  std::uint64_t measured_arrivals = 0;
  std::uint64_t arrivals = 0;        // warm-up included
  double elapsed_s = 0;              // wall-clock time of the loop
};

// Runs replication `replication` (from 0) of a validated model. The same model, policy and
// replication give the same Totals (elapsed_s aside), bit for bit.
Totals run_replication(const Model& model, const routing::Policy& policy, int replication);

} // namespace svc::simulate
