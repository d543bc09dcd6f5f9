#include <svc/workflow/assign.hpp>

#include <nlohmann/json.hpp>

#include <svc/workflow/floor.hpp>

namespace svc::workflow {

Status
assign_to(store::Store& store, std::int64_t conversation_id, const std::string& agent, const std::string& by, bool force)
{
  return store.transaction([&]() -> Status {
    SVC_CHECK(store.workflow().require_not_claimed_by_other(conversation_id, by, force, "assign"));
    return store.workflow().assign(conversation_id, agent, by, nlohmann::json{{"by", "hand"}}.dump());
  });
}

Status
transfer(store::Store& store, std::int64_t conversation_id, const std::string& group, const std::string& note,
         const std::string& by, bool force)
{
  return store.transaction([&]() -> Status {
    SVC_CHECK(store.workflow().require_not_claimed_by_other(conversation_id, by, force, "transfer"));
    return store.workflow().transfer(conversation_id, group, note, by);
  });
}

namespace {

Result<routing::Decision>
decide(store::Store& store, std::int64_t conversation_id, const routing::Policy& policy, UnixTime now, bool explain)
{
  SVC_TRY(facts, store.workflow().routing_facts(conversation_id));
  SVC_TRY(floor, read_floor(store, now));
  return policy.choose(to_routing(facts, now), floor.view(), explain);
}

// Assigns inside the caller's transaction when the policy finds someone.
Status
apply(store::Store& store, const AutoAssignment& a, const routing::Policy& policy, const std::string& by)
{
  if (!a.decision.agent_id)
    return {};
  nlohmann::json detail{{"by", "policy"}, {"policy", std::string(policy.name())}};
  if (!a.decision.why.empty())
    detail["why"] = a.decision.why;
  return store.workflow().assign(a.conversation_id, a.decision.agent, by, detail.dump());
}

} // namespace

Result<AutoAssignment>
assign_auto(store::Store& store, std::int64_t conversation_id, const routing::Policy& policy, const std::string& by,
            bool force, UnixTime now)
{
  AutoAssignment out;
  out.conversation_id = conversation_id;
  SVC_CHECK(store.transaction([&]() -> Status {
    SVC_CHECK(store.workflow().require_not_claimed_by_other(conversation_id, by, force, "assign"));
    SVC_TRY(decision, decide(store, conversation_id, policy, now, true));
    out.decision = std::move(decision);
    return apply(store, out, policy, by);
  }));
  return out;
}

Result<routing::Decision>
explain(store::Store& store, std::int64_t conversation_id, const routing::Policy& policy, UnixTime now)
{
  return decide(store, conversation_id, policy, now, true);
}

Result<std::vector<AutoAssignment>>
assign_backlog(store::Store& store, const routing::Policy& policy, const std::string& by, UnixTime now)
{
  SVC_TRY(ids, store.workflow().unassigned());
  std::vector<routing::Conversation> backlog;
  for (auto id : ids) {
    SVC_TRY(facts, store.workflow().routing_facts(id));
    backlog.push_back(to_routing(facts, now));
  }
  policy.order_backlog(backlog);
  std::vector<AutoAssignment> out;
  for (const auto& c : backlog) {
    AutoAssignment a;
    a.conversation_id = c.id;
    // One transaction per conversation: another process may assign concurrently, so each decision is
    // made on a fresh snapshot and skipped when someone else took the conversation meanwhile.
    SVC_CHECK(store.transaction([&]() -> Status {
      SVC_TRY(facts, store.workflow().routing_facts(c.id));
      if (!facts.assignee.empty() || facts.status != "open") {
        a.decision.why = "taken or answered meanwhile by another process";
        return {};
      }
      SVC_TRY(claim, store.workflow().claim_of(c.id));
      if (claim && claim->agent != by) {
        a.decision.why = fmt::format("claimed by {}: left alone", claim->agent);
        return {};
      }
      SVC_TRY(decision, decide(store, c.id, policy, now, true));
      a.decision = std::move(decision);
      return apply(store, a, policy, by);
    }));
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace svc::workflow
