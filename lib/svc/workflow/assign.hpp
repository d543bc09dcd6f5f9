// Assignment and hand-over: by hand, or by a routing policy (lib/svc/routing) over a snapshot of the floor
// read in the same write transaction as the assignment, so parallel `svc assign --auto` runs never push an
// agent past their cap. A conversation another agent has claimed is refused (exit 6) without force.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <svc/routing/policy.hpp>
#include <svc/store/store.hpp>

namespace svc::workflow {

// The contact tag that makes a conversation VIP for the priority policy.
inline constexpr std::string_view k_vip_tag = "vip";

Status assign_to(store::Store& store, std::int64_t conversation_id, const std::string& agent, const std::string& by,
                 bool force);

Status transfer(store::Store& store, std::int64_t conversation_id, const std::string& group, const std::string& note,
                const std::string& by, bool force);

struct AutoAssignment {
  std::int64_t conversation_id = 0;
  routing::Decision decision;
};

// Assigns one conversation by `policy`; the decision says who (or nobody, leaving it in the backlog).
Result<AutoAssignment> assign_auto(store::Store& store, std::int64_t conversation_id, const routing::Policy& policy,
                                   const std::string& by, bool force, UnixTime now);

// What `policy` would decide for the conversation now, with every candidate's verdict; changes nothing.
Result<routing::Decision> explain(store::Store& store, std::int64_t conversation_id, const routing::Policy& policy,
                                  UnixTime now);

// The waiting backlog (open, unassigned, waiting), served in the policy's order, each on a fresh snapshot
// so capacity freed or taken meanwhile counts. Returns one entry per conversation considered; one nobody
// can take stays in the backlog (no agent_id in its decision).
Result<std::vector<AutoAssignment>> assign_backlog(store::Store& store, const routing::Policy& policy,
                                                   const std::string& by, UnixTime now);

} // namespace svc::workflow
