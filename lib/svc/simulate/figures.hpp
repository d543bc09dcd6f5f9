// The figures `svc simulate` reports (cli.md, docs/simulate.md "Figures"), computed from the
// replications' tallies. Ratio figures are ratios of totals over every replication (not means of
// ratios); counts are means per replication; percentiles come from the merged histograms. With two
// replications or more, each figure has a 95% confidence half-width from the spread between
// replications (Student's t; the delta method for ratios).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <svc/simulate/engine.hpp>

namespace svc::simulate {

struct Figures {
  double offered = 0;
  double answered = 0;
  double abandoned = 0;
  double unanswered = 0;
  double abandon_rate = 0;      // abandoned / offered
  double p_wait = 0;            // waited / offered
  double mean_wait_s = 0;       // over answered
  double wait_p50_s = 0;
  double wait_p90_s = 0;
  double wait_p99_s = 0;
  double service_level = 0;     // answered within the target / offered
  double occupancy = 0;         // busy chat-slot time / available chat-slot time
  double max_queue = 0;
};

// The fields of Figures by their JSON names, in output order; `count`: a number of conversations
// (a whole number with one replication, a mean per replication with more).
struct FigureField {
  std::string_view name;
  double Figures::*field;
  bool count = false;
};
const std::vector<FigureField>& figure_fields();

struct Summary {
  Figures value;
  std::optional<Figures> ci95;  // two replications or more
};

struct AgentSummary {
  std::string name;
  double occupancy = 0;
  double answered = 0;          // per replication
};

struct GroupSummary {
  std::string name;             // "" for conversations without a group
  Summary figures;
};

struct PolicyRun {
  std::string policy;
  int agents = 0;
  int replications = 0;
  Summary overall;
  std::vector<GroupSummary> groups;      // when the model has groups (those that saw arrivals or have members)
  std::vector<AgentSummary> per_agent;
  std::uint64_t measured_arrivals = 0;   // over every replication
  std::uint64_t arrivals = 0;            // over every replication, warm-up included
  std::uint64_t events = 0;
  double elapsed_s = 0;
};

// `replications` may be frozen (Tally::freeze: their histograms merged into `merged` and released, so
// that many replications take little memory); `merged` holds the sum of their histograms.
PolicyRun summarize(const Model& model, std::string policy, const std::vector<Totals>& replications,
                    const Totals& merged);

// Adds a replication's histograms to `merged` (its first call sizes it), then freezes the replication.
void merge_and_freeze(Totals& merged, Totals& replication);

// Student's t quantile at 0.975 for `df` degrees of freedom (1.96 as df grows).
double t975(int df);

} // namespace svc::simulate
