// The state file's history as model inputs (docs/simulate.md, "Replay and empirical distributions"):
// the replayed arrivals, the empirical handling time (first agent reply to resolution) and the
// empirical patience (Kaplan-Meier over the inquiries' waits, answered ones censored).
#pragma once

#include <vector>

#include <svc/core/clock.hpp>
#include <svc/simulate/distribution.hpp>
#include <svc/simulate/model.hpp>
#include <svc/store/simulation_source.hpp>

namespace svc::simulate {

// Arrivals at their offset from `since`, each with its contact, group, VIP flag, channel, and its own
// handling time when it was answered and resolved.
std::vector<TraceArrival> trace_of(const std::vector<store::InquiryRow>& inquiries, UnixTime since);

// Handling times (resolved - answered, positive) of the answered, resolved inquiries; not_found-like
// usage error when there are none.
Result<Distribution> empirical_handle(const std::vector<store::InquiryRow>& inquiries);

// Patience by Kaplan-Meier: an inquiry resolved without an answer gave up at its resolution; an
// answered one was still there when answered (censored at its wait); one still unanswered at `until`
// is censored at until - arrival. The mass left past the last give-up is "never".
Result<Distribution> empirical_patience(const std::vector<store::InquiryRow>& inquiries, UnixTime until);

} // namespace svc::simulate
