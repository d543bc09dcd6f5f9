// `svc simulate` as a library call: each policy, each replication, summarized; and when the model
// allows, the Erlang C / Erlang A prediction to print beside it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <svc/core/result.hpp>
#include <svc/simulate/erlang.hpp>
#include <svc/simulate/figures.hpp>
#include <svc/simulate/model.hpp>

namespace svc::simulate {

// Every policy (by routing name) on the same random streams: replication r of each sees the same
// arrivals, handling times and patience. Usage error for an unknown policy or an invalid model.
Result<std::vector<PolicyRun>> run_policies(const Model& model, const std::vector<std::string>& policies);

// The queue model behind the closed forms, when the simulated model is one: Poisson arrivals at a
// constant rate, agents of one chat each (the slowdown of one chat scales the handling time), all on
// duty the whole run and all eligible for every arrival, exponential handling time, patience none
// (Erlang C) or exponential (Erlang A). Otherwise nullopt and `why_not` says what does not fit.
std::optional<QueueModel> queue_model(const Model& model, std::string& why_not);

} // namespace svc::simulate
